import Logging
import PostgresNIO
import TenantryCore

/// Applies a seed catalog to one target, once: each seed runs in its own transaction together with its row in
/// `tenantry_seeds` (in the target's history schema), under the target's advisory lock.
///
/// A seed already recorded with the same checksum is skipped. One recorded with a different checksum is
/// reported in ``SeedReport/changed`` and not run again: seeds insert data, so re-running an edited seed would
/// duplicate the rows it already inserted. Put further data in a new seed file instead.
public struct SeedRunner: Sendable {
    public let target: MigrationTarget
    public let logger: Logger
    /// How long to wait for another run holding the target's lock.
    public var lockWait: Duration = .seconds(60)

    public init(target: MigrationTarget, logger: Logger) {
        self.target = target
        self.logger = logger
    }

    /// Applies the seeds of `catalog` not yet applied, in order.
    ///
    /// - Parameter tenant: the tenant the target belongs to: its values replace `${tenant.…}` placeholders
    ///   (see `SeedPlaceholders`). Nil for the master: no substitution.
    /// - Throws: a `TenantryError` naming the target, file, statement, line and SQLSTATE when a seed fails (that
    ///   seed's transaction is rolled back; the ones before it stay applied); placeholder and parse errors for the
    ///   seeds to run are raised before any of them runs.
    public func apply(_ catalog: SeedCatalog, tenant: Tenant?) async throws -> SeedReport {
        let table = SeedTable(target: target, logger: logger)
        return try await target.connector.withConnection(runsUserSQL: true) { connection in
            let lock = AdvisoryLock(key: target.lockKey, target: target.label, timeout: lockWait, logger: logger)
            return try await lock.withLock(on: connection) {
                try await table.create(on: connection)
                let recorded = try await table.read(on: connection)
                var report = SeedReport(target: target.label)
                var pending: [Seed] = []
                for seed in catalog.seeds {
                    switch recorded[seed.name] {
                    case nil: pending.append(seed)
                    case seed.checksum: report.skipped.append(seed)
                    case let checksum?: report.changed.append(.init(seed: seed, recordedChecksum: checksum))
                    }
                }
                let prepared = try pending.map { seed throws(TenantryError) in try prepare(seed, tenant: tenant) }
                for (seed, statements) in zip(pending, prepared) {
                    try await run(seed, statements, table: table, on: connection)
                    report.applied.append(seed)
                }
                return report
            }
        }
    }

    /// The seed's statements after substitution, parsed and checked (no transaction control, no COPY FROM STDIN).
    func prepare(_ seed: Seed, tenant: Tenant?) throws(TenantryError) -> [PreparedStatement] {
        let sql = try tenant.map { tenant throws(TenantryError) in try SeedPlaceholders.substitute(seed.sql, file: seed.file, tenant: tenant) } ?? seed.sql
        let script = MigrationScript(sql: sql, file: seed.file, firstLine: 1)
        let statements = try StatementAnalyzer.statements(of: script)
        try StatementAnalyzer.validate(statements, script: script)
        return target.adapt(statements)
    }

    private func run(_ seed: Seed, _ statements: [PreparedStatement], table: SeedTable, on connection: PostgresConnection) async throws {
        try await connection.execute("BEGIN", logger: logger)
        do {
            // As migrations do: a schema target's unqualified names resolve in its schema (reset by COMMIT).
            if let searchPath = target.searchPath {
                _ = try await connection.query("SELECT set_config('search_path', \(searchPath), true)", logger: logger).collect()
            }
            for statement in statements {
                do {
                    try await connection.execute(statement.sql, logger: logger)
                } catch {
                    throw SeedFailure.describe(error, target: target, seed: seed, statement: statement, total: statements.count)
                }
            }
            try await table.insert(seed, on: connection)
            try await connection.execute("COMMIT", logger: logger)
        } catch {
            try? await connection.execute("ROLLBACK", logger: logger)
            throw error
        }
    }
}
