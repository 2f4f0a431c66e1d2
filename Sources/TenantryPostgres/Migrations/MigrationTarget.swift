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

    public init(connector: PostgresConnector, schema: SQLIdentifier? = nil, historySchema: SQLIdentifier, track: String, label: String) {
        self.connector = connector
        self.schema = schema
        self.historySchema = schema ?? historySchema
        self.track = track
        self.label = label
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
