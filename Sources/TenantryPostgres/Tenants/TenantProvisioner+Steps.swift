import Logging
import PostgresNIO
import TenantryCore

// The provisioning steps; each one is idempotent, so a resumed run repeats them safely.
extension TenantProvisioner {
    /// Creates the tenant's database (database layout) or schema (schema layout) unless it exists. A location that
    /// came from outside becomes Tenantry's (`ownsLocation`) when Tenantry is the one to create it: recorded before
    /// the CREATE, so nothing Tenantry makes is left unowned by a crash in between.
    func ensureLocation(of tenant: Tenant) async throws -> [Step] {
        if let schemaName = tenant.schemaName {
            let schema = try SQLIdentifier(schemaName)
            if tenant.server != nil {
                // On the master's server the shared database is the master database; elsewhere it may be new.
                try await DatabaseAdmin(server: try servers.server(named: tenant.server)).ensureDatabase(try SQLIdentifier(tenant.databaseName))
            }
            if tenant.ownsLocation != true, try await !schemaExists(schema, of: tenant) {
                try await registry.recordOwnsLocation(tenant.id)
            }
            if let cloneSchemaTemplate, tenant.server == nil, tenant.databaseName == master.settings.database {
                return try await cloneSchemaTemplate.clone(into: schema) ? [.clonedSchema(schema.name, template: cloneSchemaTemplate.name.name)] : []
            }
            let connector = try servers.connector(for: tenant)
            let created = try await connector.withConnection { connection in
                do {
                    try await connection.execute("CREATE SCHEMA \(schema.quoted)", logger: logger)
                    return true
                } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P06" {
                    return false  // duplicate_schema: it exists (a resumed run, or another run made it)
                }
            }
            return created ? [.createdSchema(schema.name)] : []
        }
        let database = try SQLIdentifier(tenant.databaseName)
        if tenant.ownsLocation != true, try await !DatabaseAdmin(server: try servers.server(named: tenant.server)).databaseExists(database) {
            try await registry.recordOwnsLocation(tenant.id)
        }
        if let cloneTemplate, tenant.server == nil {
            return try await cloneTemplate.clone(into: database, owner: databaseOwner) ? [.clonedDatabase(database.name, template: cloneTemplate.name.name)] : []
        }
        let created = try await DatabaseAdmin(server: try servers.server(named: tenant.server)).ensureDatabase(database, owner: databaseOwner, template: databaseTemplate)
        return created ? [.createdDatabase(database.name)] : []
    }

    private func schemaExists(_ schema: SQLIdentifier, of tenant: Tenant) async throws -> Bool {
        let connector = try servers.connector(for: tenant)
        return try await connector.withConnection { connection in
            try await !connection.query("SELECT 1 FROM pg_namespace WHERE nspname = \(schema.name)", logger: logger).collect().isEmpty
        }
    }

    /// `CREATE EXTENSION IF NOT EXISTS` for each configured extension, in the tenant's database; schema-per-tenant,
    /// once per shared database in the extensions' schema, under a lock (`SchemaTenancy.ensureExtension`).
    func ensureExtensions(on connector: PostgresConnector) async throws -> [Step] {
        guard !extensions.isEmpty else { return [] }
        let names = try extensions.map { try SQLIdentifier($0) }
        return try await connector.withConnection { connection in
            var steps: [Step] = []
            for name in names {
                do {
                    try await connection.execute(layout == .schema ? SchemaTenancy.ensureExtension(name, schema: tenancy.extensionsSchema)
                                                 : "CREATE EXTENSION IF NOT EXISTS \(name.quoted)", logger: logger)
                } catch where ProvisioningFailure.isMissingExtension(error) {
                    let major = try? await connection.query("SELECT current_setting('server_version_num')::int / 10000", logger: logger)
                        .collect().first?.decode(Int.self)
                    throw ProvisioningFailure.missingExtension(name.name, database: connector.settings.database, major: major ?? 15)
                }
                steps.append(.ensuredExtension(name.name))
            }
            return steps
        }
    }

    /// Where the tenant's migrations (and seeds) go: its schema in the shared database, or its own database.
    public func target(for tenant: Tenant) throws(TenantryError) -> MigrationTarget {
        try target(for: tenant, on: try servers.connector(for: tenant))
    }

    /// Every migration, rollback or seed of a tenant goes through here: a name that is no place for a tenant
    /// (`locationRules`) stops it before anything runs.
    func target(for tenant: Tenant, on connector: PostgresConnector) throws(TenantryError) -> MigrationTarget {
        try locationRules.check(tenant)
        let schema = try tenant.schemaName.map { (name: String) throws(TenantryError) in try SQLIdentifier(name) }
        let label = "tenant \(tenant.id) (\(schema?.name ?? tenant.databaseName))"
        var target = MigrationTarget(connector: connector, schema: schema, historySchema: historySchema, track: "tenant", label: label)
        target.tenancy = schema == nil ? nil : tenancy
        return target
    }

    /// Applies the tenant track: history in the tenant's schema (schema layout) or database.
    func migrate(_ tenant: Tenant, on connector: PostgresConnector, newTarget: Bool = false) async throws -> (step: Step, version: MigrationVersion?) {
        let target = try self.target(for: tenant, on: connector)
        // Provisioning, retry and `up` finish a no-transaction migration that stopped part way, as `migrate --resume` does.
        var options = MigrationRunner.Options(newTarget: newTarget)
        options.resumeWhenPartial = true
        let outcome = try await MigrationRunner(target: target, migrations: tenantMigrations, timeouts: timeouts, logger: logger)
            .migrate(options)
        return (.migrated(outcome.applied.count), outcome.after)
    }

    /// A fleet run's new schema tenant (on the master's server, built from migrations): its extensions, then its
    /// schema and whole track in one block sent with other new tenants' (`MigrationRunner.migrateCreatingSchema`).
    /// Nil when that does not apply or the block did not run to its end: the classic steps then find what is
    /// there and carry on. The phase follows the work, for the FAILED mark.
    func provisionInOneBlock(_ tenant: Tenant, on connector: PostgresConnector, phase: inout Phase)
        async throws -> (steps: [Step], migrated: Step, version: MigrationVersion?)? {
        guard let batchers, let schemaName = tenant.schemaName, tenant.server == nil, cloneSchemaTemplate == nil,
              tenant.ownsLocation == true else { return nil }
        phase = .extensions
        let extensionSteps = try await ensureExtensions(on: connector)
        phase = .migrate
        let target = try self.target(for: tenant, on: connector)
        let runner = MigrationRunner(target: target, migrations: tenantMigrations, timeouts: timeouts, logger: logger)
        guard let outcome = try await runner.migrateCreatingSchema(.init(newTarget: true), batcher: batchers.batcher(for: connector)) else {
            return nil
        }
        return ([.createdSchema(schemaName)] + extensionSteps, .migrated(outcome.applied.count), outcome.after)
    }
}

extension TenantProvisioner {
    /// `mark-applied tenants`: records `version` of the tenant track as applied on `tenant` without running it
    /// (or completes a partial row, the rest having been finished by hand). `recorded` is false when the tenant has
    /// it recorded as applied already.
    ///
    /// - Throws: a usage error when the catalog has no such version.
    public func markApplied(_ version: MigrationVersion, on tenant: Tenant) async throws -> (migration: Migration, recorded: Bool) {
        let runner = MigrationRunner(target: try target(for: tenant), migrations: tenantMigrations, timeouts: timeouts, logger: logger)
        guard let migration = tenantMigrations.first(where: { $0.version == version }) else {
            throw TenantryError.usage("there is no migration \(version) in the tenant track", hint: "check the version with `tenantry status tenants`")
        }
        do {
            return (try await runner.markApplied(version), true)
        } catch let error as TenantryError where error.kind == .usage {
            return (migration, false)  // already recorded as applied
        }
    }
}
