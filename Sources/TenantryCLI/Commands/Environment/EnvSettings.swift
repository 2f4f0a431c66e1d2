import TenantryCore

/// Every setting of `Config` under its key in tenantry.yml, as shown by `env show`.
enum EnvSettings {
    struct Row: Encodable {
        let key: String
        let value: String
        let source: String
    }

    static func values(_ config: Config) -> [(key: String, value: String?)] {
        let master = config.master, tenants = config.tenants, migrate = config.migrate
        var values: [(String, String?)] = [
            ("layout", config.layout.rawValue),
            ("guard", String(config.isGuarded)),
            ("master.url", master.url),
            ("master.database", master.database),
            ("master.migrations", master.migrations),
            ("master.format", master.format?.rawValue),
            ("master.seeds", master.seeds),
            ("master.new_tenants", String(master.newTenants)),
            ("master.connections", master.connections.map(String.init)),
            ("tenants.migrations", tenants.migrations),
            ("tenants.format", tenants.format?.rawValue),
            ("tenants.seeds", tenants.seeds),
            ("tenants.naming", tenants.naming),
            ("tenants.extensions", tenants.extensions.isEmpty ? nil : tenants.extensions.joined(separator: ", ")),
            ("tenants.source_schema", tenants.sourceSchema),
            ("tenants.extensions_schema", tenants.extensionsSchema),
            ("tenants.owner", tenants.owner),
            ("tenants.template", tenants.template),
            ("tenants.query", tenants.query),
            ("migrate.history_schema", migrate.historySchema),
            ("migrate.lock_timeout", migrate.lockTimeout),
            ("migrate.statement_timeout", migrate.statementTimeout),
            ("migrate.lock_wait", "\(migrate.lockWaitSeconds.formatted())s"),
            ("migrate.allow_out_of_order", String(migrate.allowOutOfOrder)),
            ("migrate.concurrency", String(migrate.concurrency)),
            ("migrate.canary_tenants", migrate.canaryTenants.isEmpty ? nil : migrate.canaryTenants.joined(separator: ", ")),
            ("migrate.canary_tier", migrate.canaryTier),
        ]
        values += [("preview.tenants", config.preview.tenants.isEmpty ? nil : config.preview.tenants.joined(separator: ", ")),
                   ("preview.template", config.preview.template), ("preview.seed", String(config.preview.seed))]
        if let roles = config.roles {
            values.append(("roles.owner", roles.owner))
            for (key, login) in [("read_write", roles.readWrite), ("read_only", roles.readOnly)] {
                values.append(("roles.\(key).name", login?.name))
                switch login?.password {
                case .value: values.append(("roles.\(key).password", Redactor.mask))
                case .variable(let pattern): values.append(("roles.\(key).password_env", pattern))
                case nil: break
                }
            }
        }
        for server in config.servers {
            values += [("servers.\(server.name).url", server.url),
                       ("servers.\(server.name).connections", server.connections.map(String.init)),
                       ("servers.\(server.name).new_tenants", String(server.newTenants))]
        }
        return values
    }

    /// The rows with secrets masked: passwords inside URLs always, and whole values read from a variable named
    /// like a secret.
    static func rows(_ project: Project) -> [Row] {
        values(project.config).map { key, value in
            // `servers: {eu: URL}` is the short form of `servers: {eu: {url: URL}}`.
            let origin = project.origins[key] ?? (key.hasSuffix(".url") ? project.origins[String(key.dropLast(4))] : nil)
            var shown = value.map(Redactor.redactURLPasswords) ?? "(not set)"
            if let value, origin?.readsSecret == true, !value.contains("://") { shown = Redactor.mask }
            return Row(key: key, value: Redactor.shared.redact(shown), source: origin?.description ?? "default")
        }
    }
}

private extension Double {
    func formatted() -> String { self == rounded() ? String(Int(self)) : String(self) }
}
