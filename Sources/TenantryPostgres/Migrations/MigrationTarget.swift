import TenantryCore

/// One place a track of migrations is applied to: a database, or a schema inside one.
public struct MigrationTarget: Sendable {
    /// Connects to the target's database.
    public let connector: PostgresConnector
    /// Schema-per-tenant: the tenant's schema, which holds its history table and is first on the search path.
    public let schema: SQLIdentifier?
    /// Where the history table lives when `schema` is nil (config `migrations.history_schema`, default `public`).
    public let historySchema: SQLIdentifier
    /// `master` or `tenant`: part of the lock key, so tracks never block each other.
    public let track: String
    /// How the target is named in messages: "master (tenantry_master)", "tenant acme (t_3fa1c2)".
    public let label: String
    /// Schema-per-tenant: how the tenant files run in `schema` (its search path, the source schema's names
    /// rewritten, extensions in their shared schema). Nil: the files run as written, with `schema` alone on the path.
    public var tenancy: SchemaTenancy?

    public init(connector: PostgresConnector, schema: SQLIdentifier? = nil, historySchema: SQLIdentifier, track: String, label: String) {
        self.connector = connector
        self.schema = schema
        self.historySchema = schema ?? historySchema
        self.track = track
        self.label = label
    }

    /// The `search_path` of a schema target's migrations and seeds; nil for a database target.
    public var searchPath: String? {
        schema.map { schema in tenancy?.searchPath(for: schema) ?? schema.quoted }
    }

    /// Statements as they run on this target (see `SchemaTenancy`).
    public func adapt(_ statements: [PreparedStatement]) -> [PreparedStatement] {
        guard let schema, let tenancy else { return statements }
        return tenancy.adapt(statements, to: schema)
    }

    /// The history table, schema-qualified and quoted.
    public var historyTable: String {
        "\(historySchema.quoted).\(HistoryTable.name.quoted)"
    }

    /// A 64-bit advisory-lock key from (database, schema, track): different tenants never share a lock.
    public var lockKey: Int64 {
        AdvisoryLock.key("tenantry", connector.settings.database, historySchema.name, track)
    }
}
