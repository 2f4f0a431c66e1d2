import Foundation
import Logging
import PostgresNIO
import TenantryCore

/// Runs one migration's statements on a connection that holds the target's lock, recording history.
struct MigrationExecutor {
    let target: MigrationTarget
    let history: HistoryTable
    let timeouts: MigrationTimeouts
    let logger: Logger

    /// The whole migration and its history row in one transaction: all or nothing. Sent as one `DO` block when
    /// it can be (see `MigrationBlock`); an error the block cannot place runs the file again the classic way, whose
    /// errors are exact (the block's transaction left nothing behind).
    func applyInTransaction(_ migration: Migration, _ statements: [PreparedStatement], on connection: PostgresConnection) async throws -> Int {
        let started = ContinuousClock.now
        let settings = self.settings(for: migration.up)
        if !migration.version.isRepeatable, MigrationBlock.isEligible(statements, settings: settings) {
            let block = MigrationBlock(migration: migration, statements: statements, settings: settings,
                                       historyTable: target.historyTable, appliedBy: HistoryTable.appliedBy)
            if try await send(block, on: connection) == nil { return started.elapsedMilliseconds }
        }
        // SET TRANSACTION must precede every query of the transaction, Tenantry's settings included.
        let leading = statements.prefix { $0.setsTransactionMode }
        try await inTransaction(on: connection) {
            try await run(Array(leading), of: migration, script: migration.up, transactional: true, on: connection)
            try await configure(migration.up, local: true, on: connection)
            try await run(Array(statements.dropFirst(leading.count)), of: migration, script: migration.up, transactional: true, on: connection)
            // A repeatable's row is replaced each time it runs again.
            if migration.version.isRepeatable { try await history.delete(migration.version, on: connection) }
            try await history.insert(migration, kind: .applied, milliseconds: started.elapsedMilliseconds, progress: nil, on: connection)
        }
        return started.elapsedMilliseconds
    }

    /// One block for these transactional files, each committed on its own; nil when one of them cannot go as a
    /// block (see `MigrationBlock.isEligible`). `checks` run first and `closing` last (see `MigrationBlock`).
    func block(_ migrations: [Migration], _ prepared: [[PreparedStatement]], checks: [String] = [], closing: [String] = []) -> MigrationBlock? {
        var files: [MigrationBlock.File] = []
        for (migration, statements) in zip(migrations, prepared) {
            let settings = settings(for: migration.up)
            guard migration.up.directives.transactional, !migration.version.isRepeatable,
                  MigrationBlock.isEligible(statements, settings: settings) else { return nil }
            files.append(MigrationBlock.File(migration: migration, statements: statements, settings: settings))
        }
        return MigrationBlock(files: files, historyTable: target.historyTable, appliedBy: HistoryTable.appliedBy,
                              checks: checks, closing: closing)
    }

    /// Sends a block of one or more files: nil when all applied, else how many files it committed before it
    /// stopped where it cannot say (a check, or an error outside the files' statements; what it rolled back left
    /// nothing behind, so the caller runs those files the classic way, whose errors are exact). A statement's
    /// error is thrown as that statement's failure (the files before it stay applied).
    func send(_ block: MigrationBlock, on connection: PostgresConnection) async throws -> Int? {
        do {
            try connection.ensureOpen()
            try await connection.execute(block.sql, logger: logger)
            return nil
        } catch let error as PSQLError where error.serverInfo != nil {
            return try await stopped(block, at: block.part(of: error), by: error, connection: connection)
        }
    }

    /// What a block's error from `part` means: a statement's failure is thrown as that statement's (the files
    /// before it stay applied); anything else returns how many files the block kept (see `send`).
    func stopped(_ block: MigrationBlock, at part: MigrationBlock.Part?, by error: PSQLError,
                 connection: PostgresConnection?) async throws -> Int {
        switch part {
        case .statement(let file, let index):
            let failed = block.files[file]
            throw await MigrationFailure.describe(
                error, target: target, migration: failed.migration, script: failed.migration.up,
                statement: failed.statements[index - 1], total: failed.statements.count, transactional: true,
                applied: 0, connection: connection, logger: logger)
        case .setting(let file, let name, let value):
            throw invalidSetting(name, value, script: block.files[file].migration.up)
        case .history(let file):
            logger.debug("a migration block failed where it cannot say", metadata: [
                "target": "\(target.label)", "file": "\(block.files[file].migration.file)",
                "sqlstate": "\(error.serverInfo?[.sqlState] ?? "")"])
            return file
        case .check, nil:
            logger.debug("a migration block stopped before its files, or failed where it cannot say",
                         metadata: ["target": "\(target.label)", "sqlstate": "\(error.serverInfo?[.sqlState] ?? "")"])
            return 0
        }
    }

    /// A no-transaction migration: statement by statement, progress recorded after each, resumable.
    ///
    /// A statement that may run in a transaction commits together with its progress, so no kill can leave it done
    /// but unrecorded. One that cannot (CREATE INDEX CONCURRENTLY, VACUUM, …) records its progress right after.
    /// A concurrent index is reconciled with the catalog first (see `reconcileConcurrentIndex`).
    func applyStatementByStatement(
        _ migration: Migration, _ statements: [PreparedStatement], startingAt first: Int, resuming: Bool = false,
        on connection: PostgresConnection
    ) async throws -> Int {
        let started = ContinuousClock.now
        if first == 1 && !resuming {
            if migration.version.isRepeatable { try await history.delete(migration.version, on: connection) }
            try await history.insert(migration, kind: .applied, milliseconds: 0, progress: (0, statements.count), on: connection)
        }
        try await configure(migration.up, local: false, on: connection)
        // A file's own BEGIN … COMMIT groups: each runs as one transaction, its progress recorded at its COMMIT.
        let groups = migration.up.directives.transactionGroups ? TransactionControl.groups(statements) ?? [] : []
        for statement in statements where statement.index >= first {
            if let group = groups.first(where: { $0.contains(statement.index - 1) }) {
                guard group.lowerBound == statement.index - 1 else { continue }  // inside a group that already ran
                let body = Array(statements[group].dropFirst().dropLast())
                let done = group.upperBound + 1
                do {
                    try await inTransaction(on: connection, begin: statements[group.lowerBound].sql) {
                        try await run(body, of: migration, script: migration.up, transactional: false, on: connection,
                                      applied: statement.index - 1, total: statements.count)
                        try await history.recordProgress(migration, done: done, progressChecksum: StatementChecksum.of(statements.prefix(done)),
                                                         finishedAfter: done == statements.count ? started.elapsedMilliseconds : nil, on: connection)
                    }
                } catch {
                    // As for a first statement: nothing of the file ran, so no partial row is left to block the target.
                    if group.lowerBound == 0 && !resuming { try? await history.delete(migration.version, on: connection) }
                    throw error
                }
                continue
            }
            let done = statement.index
            let recordProgress = {
                try await history.recordProgress(migration, done: done, progressChecksum: StatementChecksum.of(statements.prefix(done)),
                                                 finishedAfter: done == statements.count ? started.elapsedMilliseconds : nil, on: connection)
            }
            let runIt = {
                try await run([statement], of: migration, script: migration.up, transactional: false, on: connection,
                              applied: done - 1, total: statements.count)
            }
            var ran = false
            do {
                let index = try await reconcileConcurrentIndex(statement, builtCounts: resuming && done == first, on: connection)
                if index == .built {
                    ran = true
                    try await recordProgress()
                } else if statement.refusesTransaction == nil {
                    try await inTransaction(on: connection) {
                        try await runIt()
                        try await recordProgress()
                    }
                } else {
                    try await runIt()
                    ran = true
                    try await recordProgress()
                }
            } catch {
                // Nothing of the file ran: no partial row (0 of n) is left to block the target, so the fixed file
                // simply runs again (a changed file could never be resumed).
                if done == 1 && !ran { try? await history.delete(migration.version, on: connection) }
                throw error
            }
        }
        try await resetSettings(migration.up, on: connection)
        return started.elapsedMilliseconds
    }

    /// Runs the down script and removes the history row: in one transaction, or statement by statement for a
    /// no-transaction down section, which records its progress in the row (`RevertProgress`) so that a failure or a
    /// kill leaves an honest history; `resuming` continues such a section after its last recorded statement. The
    /// row goes once the last statement has run. `row` is the migration's history row as read under the lock.
    func revert(_ migration: Migration, _ statements: [PreparedStatement], row: AppliedMigration?, resuming: RevertProgress? = nil,
                on connection: PostgresConnection) async throws {
        guard let down = migration.down else { return }
        guard down.directives.transactional else {
            try await configure(down, local: false, on: connection)
            let first = (resuming?.done ?? 0) + 1
            // A down section's own BEGIN … COMMIT groups run as units too, their progress recorded at the COMMIT.
            let groups = down.directives.transactionGroups ? TransactionControl.groups(statements) ?? [] : []
            for statement in statements where statement.index >= first {
                let group = groups.first { $0.contains(statement.index - 1) }
                if let group, group.lowerBound != statement.index - 1 { continue }  // inside a group that already ran
                let done = group.map { $0.upperBound + 1 } ?? statement.index
                let progress = RevertProgress(done: done, total: statements.count, checksum: StatementChecksum.of(statements.prefix(done)))
                let runIt = { (pieces: [PreparedStatement]) in
                    try await run(pieces, of: migration, script: down, transactional: false, on: connection,
                                  applied: statement.index - 1, total: statements.count)
                }
                do {
                    if resuming == nil && statement.index == 1 {
                        try await history.recordProgressText(RevertProgress(done: 0, total: statements.count, checksum: StatementChecksum.of(statements.prefix(0))).recorded,
                                                             of: migration.version, on: connection)
                    }
                    if let group {
                        try await inTransaction(on: connection, begin: statements[group.lowerBound].sql) {
                            try await runIt(Array(statements[group].dropFirst().dropLast()))
                            try await history.recordProgressText(progress.recorded, of: migration.version, on: connection)
                        }
                    } else if statement.refusesTransaction == nil {
                        try await inTransaction(on: connection) {
                            try await runIt([statement])
                            try await history.recordProgressText(progress.recorded, of: migration.version, on: connection)
                        }
                    } else {
                        try await runIt([statement])
                        try await history.recordProgressText(progress.recorded, of: migration.version, on: connection)
                    }
                } catch {
                    // Nothing of the down section ran: the migration is still applied, as its row said before.
                    if statement.index == 1 { try? await history.recordProgressText(row?.progressChecksum, of: migration.version, on: connection) }
                    throw error
                }
            }
            try await resetSettings(down, on: connection)
            try await history.delete(migration.version, on: connection)
            return
        }
        let leading = statements.prefix { $0.setsTransactionMode }
        try await inTransaction(on: connection) {
            try await run(Array(leading), of: migration, script: down, transactional: true, on: connection)
            try await configure(down, local: true, on: connection)
            try await run(Array(statements.dropFirst(leading.count)), of: migration, script: down, transactional: true, on: connection)
            try await history.delete(migration.version, on: connection)
        }
    }

    func markApplied(_ migration: Migration, on connection: PostgresConnection) async throws {
        try await history.insert(migration, kind: .baseline, milliseconds: 0, progress: nil, on: connection)
    }

    // MARK: - Pieces

    /// - Parameter begin: the statement that opens it: a file's own `BEGIN ISOLATION LEVEL …` keeps its modes.
    func inTransaction(on connection: PostgresConnection, begin: String = "BEGIN", _ body: () async throws -> Void) async throws {
        try await connection.execute(begin, logger: logger)
        do {
            try await body()
            try await connection.execute("COMMIT", logger: logger)
        } catch {
            try? await connection.execute("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// A script's timeouts and, for a schema target, the search path.
    func settings(for script: MigrationScript) -> [(name: String, value: String)] {
        var settings = timeouts.settings(for: script)
        if let searchPath = target.searchPath { settings.append(("search_path", searchPath)) }
        return settings
    }

    /// Timeouts and, for a schema target, the search path; values are bound through set_config.
    private func configure(_ script: MigrationScript, local: Bool, on connection: PostgresConnection) async throws {
        for (name, value) in settings(for: script) {
            try connection.ensureOpen()
            do {
                _ = try await connection.query("SELECT set_config(\(name), \(value), \(local))", logger: logger).collect()
            } catch {
                throw invalidSetting(name, value, script: script)
            }
        }
    }

    private func invalidSetting(_ name: String, _ value: String, script: MigrationScript) -> TenantryError {
        TenantryError.setup("\(target.label): \(name) '\(value)' from \(script.file) is not a valid setting",
                            hint: "use a PostgreSQL duration such as 5s, 500ms or 10min")
    }

    private func resetSettings(_ script: MigrationScript, on connection: PostgresConnection) async throws {
        for (name, _) in timeouts.settings(for: script) {
            try await connection.execute("RESET \(try SQLIdentifier(name).quoted)", logger: logger)
        }
        if target.schema != nil { try await connection.execute("RESET search_path", logger: logger) }
    }

    private func run(
        _ statements: [PreparedStatement], of migration: Migration, script: MigrationScript, transactional: Bool,
        on connection: PostgresConnection, applied: Int = 0, total: Int? = nil
    ) async throws {
        for statement in statements {
            do {
                try await connection.execute(statement.sql, logger: logger)
            } catch {
                throw await MigrationFailure.describe(
                    error, target: target, migration: migration, script: script, statement: statement,
                    total: total ?? statements.count, transactional: transactional, applied: applied,
                    connection: connection, logger: logger)
            }
        }
    }
}

extension ContinuousClock.Instant {
    var elapsedMilliseconds: Int {
        let elapsed = ContinuousClock.now - self
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}
