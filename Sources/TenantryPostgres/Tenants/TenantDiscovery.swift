import Logging
import PostgresNIO
import TenantryCore

/// `tenants.query`: the tenants listed by the application's own table (e.g. the seeds'
/// `SELECT database_name FROM tenants ORDER BY subdomain`), read in a READ ONLY transaction.
public struct TenantDiscovery: Sendable {
    /// One row: `id` (or, failing that, the first column) is the slug; `name`, `tier`, `database_name` /
    /// `schema_name`, and `server` (a name from `servers:`) or `url` (a connection URL without password, for
    /// tenants on other servers) are used when present.
    public struct Listed: Sendable, Equatable {
        public var id: String
        public var name: String?
        public var tier: String?
        public var location: String?
        public var server: String?
        public var url: String?
        /// Soft-deleted in the application's table: a `deleted_at` column that is set, or `deleted` / `is_deleted` true.
        public var deleted = false
        /// An `engine` or `database_type` (`"databaseType"`) column, when the query returns one.
        public var engine: String?

        /// The registry slug: a database name such as wellos_internal becomes wellos-internal.
        public var slug: String { id.replacingOccurrences(of: "_", with: "-") }

        /// Why Tenantry must leave this row alone; nil when it is a PostgreSQL tenant in use.
        public var skipReason: String? {
            if deleted { return "soft-deleted in the application's table" }
            if let engine, !["postgresql", "postgres", "pg"].contains(engine.lowercased()) {
                return "engine \(engine) in the application's table"
            }
            return nil
        }
    }

    public let master: PostgresConnector
    public let query: String
    public let layout: Config.Layout

    public init(master: PostgresConnector, query: String, layout: Config.Layout) {
        self.master = master
        self.query = query
        self.layout = layout
    }

    public func list() async throws -> [Listed] {
        try await master.withConnection { connection in
            let logger = master.logger
            try await connection.execute("BEGIN READ ONLY", logger: logger)
            do {
                let rows = try await connection.query(PostgresQuery(unsafeSQL: query), logger: logger).collect()
                try await connection.execute("COMMIT", logger: logger)
                return try rows.map { try Self.listed($0.makeRandomAccess(), layout: layout) }
            } catch {
                try? await connection.execute("ROLLBACK", logger: logger)
                throw PostgresErrorDescriber.queryError(error, doing: "tenants.query", kind: .setup)
            }
        }
    }

    private static func listed(_ row: PostgresRandomAccessRow, layout: Config.Layout) throws -> Listed {
        func text(_ column: String) throws -> String? {
            row.contains(column) ? try row[column].decode(String?.self) : nil
        }
        let locationColumn = layout == .database ? "database_name" : "schema_name"
        guard let id = try text("id") ?? (row.count > 0 ? try row[0].decode(String?.self) : nil) else {
            throw TenantryError.setup("tenants.query returned a row without an id",
                                      hint: "select the tenant's slug as id, e.g. SELECT subdomain AS id, database_name FROM tenants")
        }
        var listed = Listed(id: id, name: try text("name"), tier: try text("tier"), location: try text(locationColumn),
                            server: try text("server"), url: try text("url"))
        // Whatever its type, a set deleted_at is not NULL.
        let deletedAt = row.contains("deleted_at") && row["deleted_at"].bytes != nil
        var deletedFlag = false
        for column in ["deleted", "is_deleted"] where row.contains(column) {
            deletedFlag = try row[column].decode(Bool?.self) == true || deletedFlag
        }
        listed.deleted = deletedAt || deletedFlag
        listed.engine = try ["engine", "database_type", "databaseType", "databasetype"].lazy.compactMap { try text($0) }.first
        return listed
    }
}
