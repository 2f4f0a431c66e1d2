import Crypto
import Foundation
import Logging
import PostgresNIO
import TenantryCore

/// The per-target session advisory lock, taken by try-and-poll.
///
/// A blocking `pg_advisory_lock` would sit in a transaction-less wait that a concurrent
/// `CREATE INDEX CONCURRENTLY` on the holder's side never conflicts with, but the waiter's own snapshot
/// would; polling with short statements keeps every waiter out of CIC's way.
struct AdvisoryLock {
    let key: Int64
    let target: String
    let timeout: Duration
    let logger: Logger
    /// A 64-bit key from the first 8 bytes of SHA-256 over the parts joined by NUL: distinct identities never collide
    /// in practice, and the same identity gives the same key in every process.
    static func key(_ parts: String...) -> Int64 {
        let digest = Array(SHA256.hash(data: Data(parts.joined(separator: "\u{0}").utf8)))
        return digest.prefix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
    }

    /// Told once, with who holds the lock, when the first try fails.
    var onWait: @Sendable (String) -> Void = { _ in }

    /// Takes the lock, then runs `body`. There is no unlock: the connection comes from
    /// `withConnection(runsUserSQL: true)`, which ends the session's locks with `DISCARD ALL` (or by closing the
    /// connection) as soon as the body returns, a round trip saved on every target of a fleet run.
    func withLock<Result: Sendable>(
        on connection: PostgresConnection, _ body: () async throws -> Result
    ) async throws -> Result {
        try await acquire(on: connection)
        return try await body()
    }

    private func acquire(on connection: PostgresConnection) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var delay = Duration.milliseconds(20)
        var announced = false
        while true {
            try connection.ensureOpen()
            let rows = try await connection.query("SELECT pg_try_advisory_lock(\(key))", logger: logger).collect()
            if try rows.first?.decode(Bool.self) == true { return }
            let holder = try await describeHolder(on: connection)
            if !announced {
                logger.debug("waiting for the migration lock", metadata: ["target": "\(target)", "holder": "\(holder)"])
                onWait(holder)
                announced = true
            }
            guard clock.now + delay < deadline else {
                throw TenantryError.setup(
                    "timed out after \(timeout) waiting for the migration lock of \(target), held by \(holder)",
                    hint: "another tenantry run is migrating this target; wait for it, or stop it (pg_terminate_backend) if it is stuck")
            }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(1))
        }
    }

    /// "backend 4242 (tenantry)": who holds the lock, from pg_locks (bigint keys split into classid/objid).
    private func describeHolder(on connection: PostgresConnection) async throws -> String {
        let high = Int64(UInt32(truncatingIfNeeded: key >> 32))
        let low = Int64(UInt32(truncatingIfNeeded: key))
        let rows = try await connection.query("""
            SELECT a.pid, coalesce(a.application_name, '') FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.classid::bigint = \(high) AND l.objid::bigint = \(low)
            """, logger: logger).collect()
        guard let row = rows.first else { return "another session (it was just released)" }
        let (pid, application) = try row.decode((Int32, String).self)
        return application.isEmpty ? "backend \(pid)" : "backend \(pid) (\(application))"
    }
}
