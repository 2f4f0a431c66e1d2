import Logging
import PostgresNIO
import TenantryCore

/// The advisory locks of a template, held on a connection to the master database (where every runner connects
/// anyway): `clone` (shared by clones, exclusive for a refresh's swap or a drop) and `refresh` (one at a time).
struct TemplateLocks: Sendable {
    let name: SQLIdentifier
    let master: PostgresConnector
    let logger: Logger

    /// Runs `body` holding the lock, on the connection that holds it (the master database).
    func with<Result: Sendable>(_ purpose: String, shared: Bool, _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let key = AdvisoryLock.key("tenantry", "template", purpose, name.name)
        let (lock, unlock) = shared ? ("pg_advisory_lock_shared", "pg_advisory_unlock_shared") : ("pg_advisory_lock", "pg_advisory_unlock")
        return try await master.withConnection { connection in
            _ = try await connection.query("SELECT \(unescaped: lock)(\(key))", logger: logger).collect()
            let result: Swift.Result<Result, any Error>
            do { result = .success(try await body(connection)) } catch { result = .failure(error) }
            // A lost connection released the lock with it.
            if !connection.isClosed { _ = try? await connection.query("SELECT \(unescaped: unlock)(\(key))", logger: logger).collect() }
            return try result.get()
        }
    }
}
