import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs SQL built from trusted text (quoted identifiers only, never values) and discards its rows.
    func execute(_ sql: String, logger: Logger) async throws {
        _ = try await query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
    }
}
