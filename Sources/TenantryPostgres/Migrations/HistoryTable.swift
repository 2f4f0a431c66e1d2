import Foundation
import Logging
import PostgresNIO
import TenantryCore

/// A target's `tenantry_migrations` table: created and read only while holding the target's lock.
struct HistoryTable {
    static let name = try! SQLIdentifier("tenantry_migrations")

    let target: MigrationTarget
    let logger: Logger

    /// The schema and the table, in one round trip (a new tenant's first step on its connection).
    func create(on connection: PostgresConnection) async throws {
        try connection.ensureOpen()
        try await connection.execute("DO $tenantry_history$ BEGIN\n\(createStatements.joined(separator: "\n"))\nEND $tenantry_history$",
                                     logger: logger)
    }

    /// The schema and the table unless they exist, as statements a `DO` block (or a migration block) runs.
    var createStatements: [String] {
        [
            "CREATE SCHEMA IF NOT EXISTS \(target.historySchema.quoted);",
            """
            CREATE TABLE IF NOT EXISTS \(target.historyTable) (
                version text PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                execution_ms integer NOT NULL DEFAULT 0,
                applied_by text NOT NULL,
                kind text NOT NULL CHECK (kind IN ('applied', 'baseline')),
                statements_applied integer,
                statements_total integer,
                progress_checksum text
            );
            """,
        ]
    }

    /// Whether the table exists (read-only commands do not create it).
    func exists(on connection: PostgresConnection) async throws -> Bool {
        try connection.ensureOpen()
        let rows = try await connection.query("SELECT to_regclass(\(target.historyTable)) IS NOT NULL", logger: logger).collect()
        return try rows.first?.decode(Bool.self) ?? false
    }

    func read(on connection: PostgresConnection) async throws -> [AppliedMigration] {
        try connection.ensureOpen()
        let rows = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT \(Self.columns) FROM \(target.historyTable)
            """), logger: logger).collect()
        return try rows.map { row in
            try Self.applied(try row.decode(Row.self), label: target.label, table: target.historyTable)
        }
    }

    /// The history, creating the table first when it (or its schema) does not exist yet. Reading first saves
    /// the two DDL round trips on every target that has one, which is all of them after the first run.
    func readCreatingIfMissing(on connection: PostgresConnection) async throws -> [AppliedMigration] {
        do {
            return try await read(on: connection)
        } catch let error as PSQLError where ["42P01", "3F000"].contains(error.serverInfo?[.sqlState] ?? "") {
            // undefined_table or invalid_schema_name, outside any transaction: nothing to roll back.
            try await create(on: connection)
            return try await read(on: connection)
        }
    }

    /// The columns `read` selects, in the order of `Row`.
    static let columns = """
        version, name, checksum, applied_at, execution_ms, applied_by, kind, statements_applied, statements_total, progress_checksum
        """

    typealias Row = (String, String, String, Date, Int32, String, String, Int32?, Int32?, String?)

    static func applied(_ values: Row, label: String, table: String) throws(TenantryError) -> AppliedMigration {
        let (version, name, checksum, appliedAt, milliseconds, appliedBy, kind, done, total, progressChecksum) = values
        guard let parsed = MigrationVersion(version), let kind = AppliedMigration.Kind(rawValue: kind) else {
            throw TenantryError.setup("\(label): the history table \(table) has a row Tenantry cannot read (version \(version), kind \(kind))",
                                      hint: "fix or remove that row by hand")
        }
        return AppliedMigration(version: parsed, name: name, checksum: checksum, appliedAt: appliedAt,
                                executionMilliseconds: Int(milliseconds), appliedBy: appliedBy, kind: kind,
                                statementsApplied: done.map(Int.init), statementsTotal: total.map(Int.init),
                                progressChecksum: progressChecksum)
    }

    /// - Parameter appliedAt: when another tool applied it (`adopt`); nil: now.
    func insert(_ migration: Migration, kind: AppliedMigration.Kind, milliseconds: Int, progress: (done: Int, total: Int)?,
                appliedAt: Date? = nil, on connection: PostgresConnection) async throws {
        try connection.ensureOpen()
        let done = progress.map { Int32($0.done) }
        let total = progress.map { Int32($0.total) }
        var query = PostgresQuery(unsafeSQL: """
            INSERT INTO \(target.historyTable) (version, name, checksum, execution_ms, applied_by, kind, statements_applied, statements_total, applied_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, now()))
            """)
        query.binds.append(migration.version.text)
        query.binds.append(migration.name)
        query.binds.append(migration.checksum)
        query.binds.append(Int32(clamping: milliseconds))
        query.binds.append(Self.appliedBy)
        query.binds.append(kind.rawValue)
        query.binds.append(done)
        query.binds.append(total)
        query.binds.append(appliedAt)
        _ = try await connection.query(query, logger: logger).collect()
    }

    /// After each statement of a no-transaction file: how many ran and the checksum of exactly those; when the
    /// file is done, its checksum becomes the file's current one (a resumed, fixed file is then not "edited").
    func recordProgress(
        _ migration: Migration, done: Int, progressChecksum: String, finishedAfter milliseconds: Int?, on connection: PostgresConnection
    ) async throws {
        try connection.ensureOpen()
        var query = PostgresQuery(unsafeSQL: """
            UPDATE \(target.historyTable)
            SET statements_applied = $1, progress_checksum = $2, execution_ms = coalesce($3, execution_ms),
                checksum = CASE WHEN $3 IS NULL THEN checksum ELSE $4 END
            WHERE version = $5
            """)
        query.binds.append(Int32(done))
        query.binds.append(progressChecksum)
        query.binds.append(milliseconds.map { Int32(clamping: $0) })
        query.binds.append(migration.checksum)
        query.binds.append(migration.version.text)
        _ = try await connection.query(query, logger: logger).collect()
    }

    /// Sets the row's `progress_checksum` as is (a down section's `RevertProgress`, or the value it had before).
    func recordProgressText(_ text: String?, of version: MigrationVersion, on connection: PostgresConnection) async throws {
        try connection.ensureOpen()
        var query = PostgresQuery(unsafeSQL: "UPDATE \(target.historyTable) SET progress_checksum = $1 WHERE version = $2")
        query.binds.append(text)
        query.binds.append(version.text)
        _ = try await connection.query(query, logger: logger).collect()
    }

    /// `mark-applied` on a partial row: the rest was finished by hand, and the file as it is now is accepted.
    func markComplete(_ migration: Migration, on connection: PostgresConnection) async throws {
        try connection.ensureOpen()
        var query = PostgresQuery(unsafeSQL: """
            UPDATE \(target.historyTable) SET statements_applied = statements_total, checksum = $1 WHERE version = $2
            """)
        query.binds.append(migration.checksum)
        query.binds.append(migration.version.text)
        _ = try await connection.query(query, logger: logger).collect()
    }

    func delete(_ version: MigrationVersion, on connection: PostgresConnection) async throws {
        try connection.ensureOpen()
        var query = PostgresQuery(unsafeSQL: "DELETE FROM \(target.historyTable) WHERE version = $1")
        query.binds.append(version.text)
        _ = try await connection.query(query, logger: logger).collect()
    }

    /// "user@host": who applied a migration, for the history row.
    static let appliedBy: String = {
        let user = ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName
        return "\(user)@\(ProcessInfo.processInfo.hostName)"
    }()
}
