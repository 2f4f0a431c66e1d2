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
        let started = ContinuousClock.now
        guard let plan = newTargetPlan(options), let kept = try await sendNewTargetBlock(plan, creatingSchema: false, batcher: nil) else {
            return nil
        }
        let applied = Array(plan.pending.prefix(kept))
        for migration in applied {
            onEvent(.applying(migration, resumingAt: nil))
            onEvent(.applied(migration, milliseconds: started.elapsedMilliseconds))
        }
        guard kept < plan.pending.count else { return Outcome(before: nil, after: applied.last?.version, applied: applied) }
        var rest = options
        rest.newTarget = false
        let outcome = try await migrate(rest, onEvent: onEvent)
        return Outcome(before: applied.isEmpty ? outcome.before : nil, after: outcome.after, applied: applied + outcome.applied)
    }

    /// A new tenant's schema and its whole track in one block (through `batcher`, with other new tenants, when
    /// there is one): the block creates the schema first, and stops when it exists. Returns the outcome when the
    /// block ran to its end; nil when it cannot go as a block or stopped before its end (the files it committed
    /// stay), and the caller provisions the classic way, which finds what is there. A failing statement is thrown
    /// as that file's failure.
    public func migrateCreatingSchema(_ options: Options, batcher: MigrationBatcher?) async throws -> Outcome? {
        guard target.schema != nil, let plan = newTargetPlan(options),
              try await sendNewTargetBlock(plan, creatingSchema: true, batcher: batcher) == plan.pending.count else { return nil }
        return Outcome(before: nil, after: plan.pending.last?.version, applied: plan.pending)
    }

    private func newTargetPlan(_ options: Options) -> MigrationPlan? {
        let plan = MigrationPlan.make(catalog: migrations, applied: [], target: options.to, allowOutOfOrder: options.allowOutOfOrder)
        guard plan.problems.isEmpty, !plan.pending.isEmpty else { return nil }
        return plan
    }

    /// Sends the new target's block: how many of its files it kept (all when it ran to its end); nil, having sent
    /// nothing, when a file cannot go as a block.
    private func sendNewTargetBlock(_ plan: MigrationPlan, creatingSchema: Bool, batcher: MigrationBatcher?) async throws -> Int? {
        let executor = self.executor
        guard let prepared = try? self.prepared(plan.pending.map(\.up)),
              let block = executor.block(plan.pending, prepared, checks: newTargetChecks(creatingSchema: creatingSchema),
                                         closing: KnownHistory.sessionReset) else { return nil }
        if let batcher {
            let reply = try await batcher.send([block])
            guard let error = reply.error else { return plan.pending.count }
            return try await executor.stopped(block, at: reply.part, by: error, connection: nil)
        }
        return try await target.connector.withConnection(runsUserSQL: false) { connection in
            guard let kept = try await executor.send(block, on: connection) else { return plan.pending.count }
            // Stopped before its closing reset: the session may still hold the lock, or a setting from a kept file.
            try await connection.execute("DISCARD ALL", logger: logger)
            return kept
        }
    }

    /// The block's first statements: the session lock (held across the block's COMMITs, as the classic path holds
    /// it), the schema when the block makes it (an existing one stops the block), the history table, and proof
    /// that it is empty (anything else was not made a moment ago by us).
    private func newTargetChecks(creatingSchema: Bool) -> [String] {
        ["IF NOT pg_try_advisory_lock(\(target.lockKey)) THEN "
            + "RAISE EXCEPTION USING ERRCODE = '\(KnownHistory.lockedState)', MESSAGE = 'tenantry: the target is locked'; END IF;"]
            + (creatingSchema ? target.schema.map { ["CREATE SCHEMA \($0.quoted);"] } ?? [] : [])
            + history.createStatements
            + ["IF EXISTS (SELECT FROM \(target.historyTable)) THEN "
                + "RAISE EXCEPTION USING ERRCODE = '\(KnownHistory.changedState)', MESSAGE = 'tenantry: the history is not empty'; END IF;"]
    }
}
