import Foundation

/// Turns an interpolated `ConfigNode` into `Config`, refusing unknown keys and bad values with the file line.
struct ConfigDecoder {
    let file: String

    static let topLevelKeys = ["layout", "master", "tenants", "migrate", "servers", "preview", "roles", "environments"]
    static let environmentKeys = topLevelKeys.filter { $0 != "environments" } + ["guard"]
    static let sectionKeys = [
        "master": ["url", "database", "migrations", "format", "seeds", "new_tenants", "connections"],
        "tenants": ["migrations", "format", "seeds", "naming", "extensions", "source_schema", "extensions_schema", "owner", "template", "provision", "query"],
        "preview": previewKeys,
        "roles": ["owner", "read_write", "read_only"],
        "migrate": ["history_schema", "lock_timeout", "lock_retries", "lock_retry_delay", "statement_timeout", "lock_wait", "allow_out_of_order", "concurrency",
                    "canary_tenants", "canary_tier"],
    ]

    func decode(_ root: ConfigNode, into config: inout Config) throws(TenantryError) {
        let entries = try mapping(root, path: "the top level")
        try checkKeys(entries, allowed: Self.environmentKeys + ["environments"], path: "")
        for entry in entries {
            switch entry.key {
            case "layout": config.layout = try oneOf(entry, path: "layout")
            case "master": try decodeMaster(entry.value, into: &config.master)
            case "tenants": try decodeTenants(entry.value, into: &config.tenants)
            case "guard": config.isGuarded = try bool(entry, path: "guard")
            case "migrate": try decodeMigrate(entry.value, into: &config.migrate)
            case "servers": config.servers = try decodeServers(entry.value)
            case "preview": try decodePreview(entry.value, into: &config.preview)
            case "roles": config.roles = try decodeRoles(entry.value)
            default: break
            }
        }
    }

    private func decodeMaster(_ node: ConfigNode, into master: inout Config.Master) throws(TenantryError) {
        let entries = try mapping(node, path: "master")
        try checkKeys(entries, allowed: Self.sectionKeys["master"]!, path: "master.")
        for entry in entries {
            let path = "master.\(entry.key)"
            switch entry.key {
            case "url": master.url = try optionalString(entry, path: path)
            case "database": master.database = try optionalString(entry, path: path)
            case "migrations": master.migrations = try string(entry, path: path)
            case "format": master.format = try oneOf(entry, path: path)
            case "seeds": master.seeds = try string(entry, path: path)
            case "new_tenants": master.newTenants = try bool(entry, path: path)
            case "connections": master.connections = try positiveInt(entry, path: path)
            default: break
            }
        }
    }

    private func decodeTenants(_ node: ConfigNode, into tenants: inout Config.Tenants) throws(TenantryError) {
        let entries = try mapping(node, path: "tenants")
        try checkKeys(entries, allowed: Self.sectionKeys["tenants"]!, path: "tenants.")
        for entry in entries {
            let path = "tenants.\(entry.key)"
            switch entry.key {
            case "migrations": tenants.migrations = try string(entry, path: path)
            case "format": tenants.format = try oneOf(entry, path: path)
            case "seeds": tenants.seeds = try string(entry, path: path)
            case "naming": tenants.naming = try string(entry, path: path)
            case "extensions": tenants.extensions = try stringList(entry, path: path)
            case "source_schema": tenants.sourceSchema = try schemaName(entry, path: path)
            case "extensions_schema": tenants.extensionsSchema = try schemaName(entry, path: path)
            case "query": tenants.query = try optionalString(entry, path: path)
            case "owner": tenants.owner = try optionalString(entry, path: path)
            case "template": tenants.template = try optionalString(entry, path: path)
            case "provision": tenants.provision = try oneOf(entry, path: path)
            default: break
            }
        }
    }

    private func decodeMigrate(_ node: ConfigNode, into migrate: inout Config.Migrate) throws(TenantryError) {
        let entries = try mapping(node, path: "migrate")
        try checkKeys(entries, allowed: Self.sectionKeys["migrate"]!, path: "migrate.")
        for entry in entries {
            let path = "migrate.\(entry.key)"
            switch entry.key {
            case "history_schema":
                migrate.historySchema = try string(entry, path: path)
                guard migrate.historySchema != "tenantry" else {
                    throw .setup("\(file):\(entry.line): \(path) cannot be 'tenantry': that schema holds Tenantry's own registry and its history",
                                 hint: "use public (the default) or a schema of your own")
                }
            case "lock_timeout": migrate.lockTimeout = try duration(entry, path: path)
            case "statement_timeout": migrate.statementTimeout = try duration(entry, path: path)
            case "lock_wait": migrate.lockWaitSeconds = try seconds(entry, path: path)
            case "lock_retries": migrate.lockRetries = try nonNegativeInt(entry, path: path)
            case "lock_retry_delay": migrate.lockRetryDelaySeconds = try seconds(entry, path: path)
            case "allow_out_of_order": migrate.allowOutOfOrder = try bool(entry, path: path)
            case "concurrency": migrate.concurrency = try positiveInt(entry, path: path)
            case "canary_tenants": migrate.canaryTenants = try stringList(entry, path: path)
            case "canary_tier": migrate.canaryTier = try optionalString(entry, path: path)
            default: break
            }
        }
    }

    /// A PostgreSQL duration setting as written (`5s`, `500ms`, `10min`, `0`), checked for shape here so a
    /// typo fails at load time rather than in the middle of a run.
    private func duration(_ entry: ConfigNode.Entry, path: String) throws(TenantryError) -> String {
        let value = try string(entry, path: path)
        guard Self.durationSeconds(value) != nil else {
            throw .setup("\(file):\(entry.line): \(path) must be a duration like 5s, 500ms or 10min (got '\(value)')")
        }
        return value
    }

    private func seconds(_ entry: ConfigNode.Entry, path: String) throws(TenantryError) -> Double {
        let value = try string(entry, path: path)
        guard let seconds = Self.durationSeconds(value), seconds > 0 else {
            throw .setup("\(file):\(entry.line): \(path) must be a positive duration like 60s or 5min (got '\(value)')")
        }
        return seconds
    }

    /// Seconds in `5s`, `500ms`, `10min`, `2h`, `1d`, or a bare number of milliseconds (PostgreSQL's default unit).
    static func durationSeconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits) else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let scale: [String: Double] = ["": 0.001, "us": 0.000_001, "ms": 0.001, "s": 1, "min": 60, "h": 3600, "d": 86400]
        return scale[unit].map { number * $0 }
    }

    // MARK: - Typed readers

    func mapping(_ node: ConfigNode, path: String) throws(TenantryError) -> [ConfigNode.Entry] {
        switch node {
        case .mapping(let entries, _): return entries
        case .null: return []
        default: throw .setup("\(file):\(node.line): \(path) must be a mapping of keys to values")
        }
    }

    func checkKeys(_ entries: [ConfigNode.Entry], allowed: [String], path: String) throws(TenantryError) {
        for entry in entries where !allowed.contains(entry.key) {
            let suggestion = allowed.min { editDistance($0, entry.key) < editDistance($1, entry.key) }
            let didYouMean = suggestion.flatMap { editDistance($0, entry.key) <= 2 ? " (did you mean '\(path)\($0)'?)" : nil } ?? ""
            throw .setup(
                "\(file):\(entry.line): unknown key '\(path)\(entry.key)'\(didYouMean)",
                hint: "known keys here: \(allowed.joined(separator: ", "))"
            )
        }
    }

    func string(_ entry: ConfigNode.Entry, path: String) throws(TenantryError) -> String {
        guard case .scalar(let value, _) = entry.value, !value.isEmpty else {
            throw .setup("\(file):\(entry.line): \(path) must be a non-empty string")
        }
        return value
    }

    /// A schema a setting names: a valid identifier, and neither Tenantry's own schema nor a system one.
    func schemaName(_ entry: ConfigNode.Entry, path: String) throws(TenantryError) -> String {
        let name = try string(entry, path: path)
        do {
            _ = try SQLIdentifier(name)
        } catch {
            throw .setup("\(file):\(entry.line): \(path): \(error.message)", hint: error.hint)
        }
        guard name != "tenantry", name != "information_schema", !name.hasPrefix("pg_") else {
            throw .setup("\(file):\(entry.line): \(path) cannot be '\(name)': that schema belongs to \(name == "tenantry" ? "Tenantry" : "PostgreSQL")",
                         hint: "use public (the default) or a schema of your own")
        }
        return name
    }

    func optionalString(_ entry: ConfigNode.Entry, path: String) throws(TenantryError) -> String? {
        switch entry.value {
        case .null: return nil
        case .scalar(let value, _): return value.isEmpty ? nil : value
        default: throw .setup("\(file):\(entry.line): \(path) must be a string")
        }
    }

    func stringList(_ entry: ConfigNode.Entry, path: String) throws(TenantryError) -> [String] {
        guard case .sequence(let items, _) = entry.value else {
            throw .setup("\(file):\(entry.line): \(path) must be a list, like [pgcrypto, citext]")
        }
        var values: [String] = []
        for item in items {
            guard case .scalar(let value, _) = item, !value.isEmpty else {
                throw .setup("\(file):\(item.line): each item of \(path) must be a non-empty string")
            }
            values.append(value)
        }
        return values
    }

    func bool(_ entry: ConfigNode.Entry, path: String) throws(TenantryError) -> Bool {
        guard case .scalar(let value, _) = entry.value, let flag = ["true": true, "false": false, "yes": true, "no": false][value.lowercased()] else {
            throw .setup("\(file):\(entry.line): \(path) must be true or false")
        }
        return flag
    }

    private func oneOf<Value: RawRepresentable & CaseIterable>(_ entry: ConfigNode.Entry, path: String) throws(TenantryError) -> Value
    where Value.RawValue == String {
        guard case .scalar(let raw, _) = entry.value, let value = Value(rawValue: raw) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: " or ")
            throw .setup("\(file):\(entry.line): \(path) must be \(allowed)")
        }
        return value
    }
}

/// Levenshtein distance, for "did you mean" on misspelled keys.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
