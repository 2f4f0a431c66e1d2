import PostgresNIO
import TenantryCore

extension MigrationRunner {
    /// `migrate` for a target made a moment ago (a new tenant's schema or database), in one round trip: one block
    /// takes the target's session lock, creates the history table, checks it is empty, runs every file (each
    /// committed on its own with its history row) and resets the session (`KnownHistory.sessionReset`, which
    /// also releases the lock). The classic path takes about four round trips more per tenant.
    ///
    /// Returns nil, having done nothing, when a file cannot go as a block: the caller takes the classic path.
    /// When the block stops before its end (the lock held elsewhere, a history already there, an error it cannot
    /// place), the files it committed stay, the session is reset, and the classic path carries on from the
    /// history it reads under the lock. A failing statement is thrown as that file's failure; the files before it
    /// stay applied.
    func migrateNewTarget(_ options: Options, onEvent: @escaping @Sendable (Event) -> Void) async throws -> Outcome? {
        guard let plan = try? MigrationPlan.make(catalog: migrations, applied: [], target: options.to,
                                                 allowOutOfOrder: options.allowOutOfOrder),
              plan.problems.isEmpty, !plan.pending.isEmpty,
              let prepared = try? Self.prepare(plan.pending.map(\.up)) else { return nil }
        let executor = self.executor
        guard let block = executor.block(plan.pending, prepared, checks: newTargetChecks, closing: KnownHistory.sessionReset) else {
            return nil
        }
        let started = ContinuousClock.now
        let kept = try await target.connector.withConnection(runsUserSQL: false) { connection in
            let kept = try await executor.send(block, on: connection)
            // Stopped before its closing reset: the session may still hold the lock, or a setting from a kept file.
            if kept != nil { try await connection.execute("DISCARD ALL", logger: logger) }
            return kept
        }
        let applied = Array(plan.pending.prefix(kept ?? plan.pending.count))
        for migration in applied {
            onEvent(.applying(migration, resumingAt: nil))
            onEvent(.applied(migration, milliseconds: started.elapsedMilliseconds))
        }
        guard kept != nil else { return Outcome(before: nil, after: applied.last?.version, applied: applied) }
        var rest = options
        rest.newTarget = false
        let outcome = try await migrate(rest, onEvent: onEvent)
        return Outcome(before: applied.isEmpty ? outcome.before : nil, after: outcome.after, applied: applied + outcome.applied)
    }

    /// The block's first statements: the session lock (held across the block's COMMITs, as the classic path holds
    /// it), the history table, and proof that it is empty (anything else was not made a moment ago by us).
    private var newTargetChecks: [String] {
        ["IF NOT pg_try_advisory_lock(\(target.lockKey)) THEN "
            + "RAISE EXCEPTION USING ERRCODE = '\(KnownHistory.lockedState)', MESSAGE = 'tenantry: the target is locked'; END IF;"]
            + history.createStatements
            + ["IF EXISTS (SELECT FROM \(target.historyTable)) THEN "
                + "RAISE EXCEPTION USING ERRCODE = '\(KnownHistory.changedState)', MESSAGE = 'tenantry: the history is not empty'; END IF;"]
    }
}
