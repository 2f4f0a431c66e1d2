import Logging
import PostgresNIO
import TenantryCore

extension PostgresConnection {
    /// Runs SQL built from trusted text (quoted identifiers only, never values) and discards its rows.
    func execute(_ sql: String, logger: Logger) async throws {
        try ensureOpen()
        _ = try await query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
    }

    /// PostgresNIO 1.x never completes a query written to a connection that has already closed (the fix in
    /// vapor/postgres-nio#487 was reverted in #501), so after a server crash or restart the next statement would
    /// wait forever. Every statement that may follow a lost connection checks first.
    func ensureOpen() throws(TenantryError) {
        guard isClosed else { return }
        throw .failed("the connection to the server was lost (did it restart or end the session?)",
                      hint: "run the command again once the server accepts connections (`tenantry wait`)")
    }
}
