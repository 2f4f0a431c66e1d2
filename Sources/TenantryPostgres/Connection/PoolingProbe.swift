import Logging
import PostgresNIO
import Synchronization
import TenantryCore

/// Detects a connection pooler in transaction or statement mode (PgBouncer's `pool_mode = transaction`) between
/// Tenantry and a server, once per server and process, on the first connection made to it.
///
/// Through such a pooler, consecutive statements of one client connection run in whichever server session is free:
/// session advisory locks (one migration per target at a time) and session settings cannot hold, and runs fail
/// with false "lock busy" or "stopped part way" errors. So Tenantry refuses, naming what it saw. The probe: two
/// connections, A and B; B holds a transaction open while A asks again. Directly or with session pooling, A keeps
/// one server process and B has another; with transaction pooling B is handed A's server process, or A changes.
enum PoolingProbe {
    private static let verified = Mutex<Set<String>>([])

    static func isVerified(_ settings: ConnectionSettings) -> Bool {
        verified.withLock { $0.contains(key(settings)) }
    }

    /// - Throws: a setup error when the server is reached through transaction or statement pooling.
    static func verify(_ first: PostgresConnection, configuration: PostgresConnection.Configuration, settings: ConnectionSettings,
                       logger: Logger) async throws {
        let second: PostgresConnection
        do {
            second = try await PostgresConnection.connect(on: ClientLoop.shared.eventLoop, configuration: configuration, id: 2, logger: logger)
        } catch {
            // No second connection to be had (a role limited to one, a full server): nothing to compare, so no
            // verdict; the connection in hand is used as it is, and the probe is not tried again.
            logger.debug("pooling probe skipped: no second connection", metadata: ["server": "\(settings.serverDescription)"])
            _ = verified.withLock { $0.insert(key(settings)) }
            return
        }
        do {
            try await probe(first, second, settings: settings, logger: logger)
            try? await second.close()
        } catch {
            try? await second.close()
            throw error
        }
        _ = verified.withLock { $0.insert(key(settings)) }
    }

    private static func probe(_ first: PostgresConnection, _ second: PostgresConnection, settings: ConnectionSettings, logger: Logger) async throws {
        func pid(_ connection: PostgresConnection) async throws -> Int32 {
            try await connection.query("SELECT pg_backend_pid()", logger: logger).collect().first?.decode(Int32.self) ?? -1
        }
        let a1 = try await pid(first)
        do {
            try await second.execute("BEGIN", logger: logger)
        } catch let error as PSQLError {
            let message = error.serverInfo?[.message] ?? ""
            guard message.lowercased().contains("pool") else { throw error }
            throw refusal(settings, mode: "statement", seen: "the pooler refused a transaction block (\(message))")
        }
        let b1 = try await pid(second)
        let a2 = try await pid(first)
        try await second.execute("COMMIT", logger: logger)
        let b2 = try await pid(second)
        let a3 = try await pid(first)
        if b1 == a1 || b2 == a1 || a2 != a1 || a3 != a1 {
            throw refusal(settings, mode: "transaction",
                          seen: "one connection's statements ran in server processes \(Set([a1, a2, a3]).sorted()), one of them also serving another connection")
        }
    }

    private static func key(_ settings: ConnectionSettings) -> String {
        "\(settings.serverDescription)|\(settings.user)"
    }

    static func refusal(_ settings: ConnectionSettings, mode: String, seen: String) -> TenantryError {
        .setup("\(settings.serverDescription) is reached through a connection pooler in \(mode) pooling mode (such as PgBouncer's pool_mode = \(mode)): \(seen). "
               + "Migrations need one server session per connection for their advisory locks and settings, so Tenantry refuses to run through it",
               hint: "point Tenantry at the server directly (for example the pooler's backend host and port), or at a pool with pool_mode = session")
    }
}
