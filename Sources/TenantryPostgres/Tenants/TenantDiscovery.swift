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
        return Listed(id: id, name: try text("name"), tier: try text("tier"), location: try text(locationColumn),
                      server: try text("server"), url: try text("url"))
    }
}
