import Logging
import PostgresNIO
import TenantryCore

extension DatabaseAdmin {
    /// Drops the database if it exists, ending every other session on it first (`WITH (FORCE)`, PostgreSQL
    /// 13+; older servers get `pg_terminate_backend` and a plain DROP). Returns true when it existed.
    @discardableResult
    public func dropDatabase(_ name: SQLIdentifier) async throws -> Bool {
        try await connector.withConnection { connection in
            let logger = connector.logger
            let rows = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(name.name)", logger: logger).collect()
            guard !rows.isEmpty else { return false }
            let version = try await connection.query("SELECT current_setting('server_version_num')::int", logger: logger)
                .collect().first?.decode(Int.self) ?? 0
            do {
                if version >= 130000 {
                    try await connection.execute("DROP DATABASE IF EXISTS \(name.quoted) WITH (FORCE)", logger: logger)
                } else {
                    _ = try await connection.query("""
                        SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = \(name.name) AND pid <> pg_backend_pid()
                        """, logger: logger).collect()
                    try await connection.execute("DROP DATABASE IF EXISTS \(name.quoted)", logger: logger)
                }
            } catch {
                throw PostgresErrorDescriber.queryError(error, doing: "dropping database \(name)", kind: .failed)
            }
            return true
        }
    }
}
