import Logging
import PostgresNIO
import TenantryCore

/// A target's `tenantry_seeds` table, next to its migration history: created and read only under the lock.
struct SeedTable {
    static let name = try! SQLIdentifier("tenantry_seeds")

    let target: MigrationTarget
    let logger: Logger

    /// Schema-qualified and quoted.
    var qualified: String { "\(target.historySchema.quoted).\(Self.name.quoted)" }

    func create(on connection: PostgresConnection) async throws {
        try await connection.execute("CREATE SCHEMA IF NOT EXISTS \(target.historySchema.quoted)", logger: logger)
        try await connection.execute("""
            CREATE TABLE IF NOT EXISTS \(qualified) (
                name text PRIMARY KEY,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, logger: logger)
    }

    /// Name → checksum of every seed applied.
    func read(on connection: PostgresConnection) async throws -> [String: String] {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT name, checksum FROM \(qualified)"), logger: logger).collect()
        var applied: [String: String] = [:]
        for row in rows {
            let (name, checksum) = try row.decode((String, String).self)
            applied[name] = checksum
        }
        return applied
    }

    func insert(_ seed: Seed, on connection: PostgresConnection) async throws {
        var query = PostgresQuery(unsafeSQL: "INSERT INTO \(qualified) (name, checksum) VALUES ($1, $2)")
        query.binds.append(seed.name)
        query.binds.append(seed.checksum)
        _ = try await connection.query(query, logger: logger).collect()
    }
}
