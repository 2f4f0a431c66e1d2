import Foundation
import PostgresNIO
import TenantryCore

extension MigrationRunner {
    /// `migrate` for a target whose history was read a moment ago without the lock (a fleet run reads every
    /// tenant's in bulk): each pending migration goes out as one block that takes the lock for its transaction,
    /// checks the history is still `applied` (plus the migrations before it), runs the file and records it.
    /// One round trip per migration instead of the lock, two history reads and the block.
    ///
    /// Whatever the blocks cannot do takes the classic path (`migrate(options)`, under the session lock): a
    /// partial or inconsistent history, a file that cannot go as a block, the lock held elsewhere, a history
    /// that changed, an error the block cannot place. Nothing is applied twice: a block that stops changes nothing,
    /// and the classic path plans again from the history it reads under the lock.
    ///
    /// With a `batcher` (a fleet run on tenant schemas), the blocks go out with other tenants' in one statement.
    public func migrate(knownHistory applied: [AppliedMigration], _ options: Options,
                        batcher: MigrationBatcher? = nil) async throws -> Outcome {
        try await explainingExistingObjects { try await migrateInBlocks(knownHistory: applied, options, batcher: batcher) }
    }

    private func migrateInBlocks(knownHistory applied: [AppliedMigration], _ options: Options, batcher: MigrationBatcher?) async throws -> Outcome {
        guard let steps = blocks(knownHistory: applied, options) else { return try await migrate(options) }
        let executor = self.executor
        let done: [Migration]
        if let batcher {
            let reply = try await batcher.send(steps.blocks.map(\.1))
            if let error = reply.error {
                // A statement's failure is thrown; anything else goes the classic way below.
                _ = try await executor.stopped(steps.blocks[reply.kept].1, at: reply.part, by: error, connection: nil)
            }
            done = steps.blocks.prefix(reply.kept).map(\.0)
        } else {
            // Each block resets the session itself (`KnownHistory.sessionReset`); a block that stops rolled back all
            // it did, and an error closes the connection.
            done = try await target.connector.withConnection(runsUserSQL: false) { connection in
                var done: [Migration] = []
                for (migration, block) in steps.blocks {
                    guard try await executor.send(block, on: connection) == nil else { break }
                    done.append(migration)
                }
                return done
            }
        }
        guard done.count < steps.blocks.count else {
            return Outcome(before: steps.before, after: done.last?.version ?? steps.before, applied: done)
        }
        let rest = try await migrate(options)
        return Outcome(before: done.isEmpty ? rest.before : steps.before, after: rest.after, applied: done + rest.applied)
    }

    /// The blocks for the plan from `applied`, or nil when the classic path must do it.
    private func blocks(knownHistory applied: [AppliedMigration], _ options: Options)
        -> (before: MigrationVersion?, blocks: [(Migration, MigrationBlock)])? {
        let plan = MigrationPlan.make(catalog: migrations, applied: applied, target: options.to, allowOutOfOrder: options.allowOutOfOrder)
        guard !options.resume, !options.newTarget, plan.partial == nil, plan.problems.isEmpty, !plan.pending.isEmpty,
              let prepared = try? self.prepared(plan.pending.map(\.up)) else { return nil }
        var expected = applied.map(KnownHistory.Row.init)
        var blocks: [(Migration, MigrationBlock)] = []
        for (migration, statements) in zip(plan.pending, prepared) {
            let settings = executor.settings(for: migration.up)
            // A repeatable replaces its row, which a block's insert cannot: it goes the classic way.
            guard migration.up.directives.transactional, !migration.version.isRepeatable,
                  MigrationBlock.isEligible(statements, settings: settings) else { return nil }
            let checks = KnownHistory.checks(lockKey: target.lockKey, historyTable: target.historyTable, expected: expected)
            blocks.append((migration, MigrationBlock(migration: migration, statements: statements, settings: settings,
                                                                 historyTable: target.historyTable, appliedBy: HistoryTable.appliedBy,
                                                                 checks: checks, closing: KnownHistory.sessionReset)))
            expected.append(KnownHistory.Row(applying: migration))
        }
        return (plan.current, blocks)
    }

    /// The history of a target on which Tenantry applied every catalog migration up to `version`, in order and to
    /// the end (what a tenant's recorded `track_version` stands for); nil when one of those files cannot be read.
    /// `migrate(knownHistory:)` proves it against the target's real history before it changes anything. Nil too
    /// when the track has repeatables: which of their versions ran is only known from the history itself.
    public static func assumedHistory(of catalog: [Migration], upTo version: MigrationVersion) -> [AppliedMigration]? {
        guard catalog.last?.version.isRepeatable != true else { return nil }
        let applied = catalog.filter { $0.version <= version }
        guard let prepared = try? prepare(applied.map(\.up)) else { return nil }
        return zip(applied, prepared).map { migration, statements in
            // A no-transaction file's row keeps its statement count once complete.
            let count = migration.up.directives.transactional ? nil : statements.count
            return AppliedMigration(version: migration.version, name: migration.name, checksum: migration.checksum, appliedAt: .distantPast,
                                    executionMilliseconds: 0, appliedBy: HistoryTable.appliedBy, kind: .applied,
                                    statementsApplied: count, statementsTotal: count)
        }
    }
}
