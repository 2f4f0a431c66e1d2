import Logging
import Synchronization
import PostgresNIO
import TenantryCore

/// Applies, inspects and reverts one target's migrations: one connection, the target's advisory lock,
/// the pure plan, then the executor.
public struct MigrationRunner: Sendable {
    public let target: MigrationTarget
    public let migrations: [Migration]
    public let timeouts: MigrationTimeouts
    public let logger: Logger

    public init(target: MigrationTarget, migrations: [Migration], timeouts: MigrationTimeouts, logger: Logger) {
        self.target = target
        self.migrations = migrations
        self.timeouts = timeouts
        self.logger = logger
    }

    public struct Options: Sendable {
        public var to: MigrationVersion?
        public var allowOutOfOrder = false
        /// Continue a partial no-transaction migration after its last recorded statement; with nothing partial,
        /// refused ("nothing to resume").
        public var resume = false
        /// Continue a partial no-transaction migration when there is one, and migrate as usual otherwise: what a
        /// fleet run that resumes or retries wants of each tenant (only some of them stopped part way).
        public var resumeWhenPartial = false
        /// The target was created a moment ago (a new tenant's schema or database): its history table is created
        /// without trying to read it first.
        public var newTarget = false

        public init(to: MigrationVersion? = nil, allowOutOfOrder: Bool = false, resume: Bool = false, newTarget: Bool = false) {
            self.to = to
            self.allowOutOfOrder = allowOutOfOrder
            self.resume = resume
            self.newTarget = newTarget
        }
    }

    public enum Event: Sendable {
        /// Another run holds this target's lock; we poll until it is free or `lockWait` passes.
        case waitingForLock(holder: String)
        case applying(Migration, resumingAt: Int?)
        case applied(Migration, milliseconds: Int)
        case reverted(Migration)
    }

    public struct Outcome: Sendable {
        public var before: MigrationVersion?
        public var after: MigrationVersion?
        public var applied: [Migration]
    }

    /// Every statement of `scripts`, parsed and checked before anything runs. A fleet run prepares the same
    /// files for every tenant, so each script is parsed once per process.
    static func prepare(_ scripts: [MigrationScript]) throws(TenantryError) -> [[PreparedStatement]] {
        var prepared: [[PreparedStatement]] = []
        for script in scripts {
            if let cached = preparedCache.withLock({ cache in cache.first { $0.script == script }?.statements }) {
                prepared.append(cached)
                continue
            }
            let statements = try StatementAnalyzer.statements(of: script)
            try StatementAnalyzer.validate(statements, script: script)
            preparedCache.withLock { cache in
                if cache.count >= 2048 { cache.removeFirst() }
                cache.append((script, statements))
            }
            prepared.append(statements)
        }
        return prepared
    }

    /// One script's statements, parsed and checked as `migrate` will run them (what a dry run prints).
    public static func preparedStatements(of script: MigrationScript) throws(TenantryError) -> [PreparedStatement] {
        try prepare([script])[0]
    }

    /// `prepare`, then adapted to this runner's target (see `MigrationTarget.adapt`).
    func prepared(_ scripts: [MigrationScript]) throws(TenantryError) -> [[PreparedStatement]] {
        try Self.prepare(scripts).map(target.adapt)
    }

    private static let preparedCache = Mutex<[(script: MigrationScript, statements: [PreparedStatement])]>([])

    var executor: MigrationExecutor {
        MigrationExecutor(target: target, history: history, timeouts: timeouts, logger: logger)
    }

    var history: HistoryTable { HistoryTable(target: target, logger: logger) }

    /// Holds the target's lock on one connection, with the history table ready, for `body`.
    ///
    /// With `creatingHistory: false` (read-only commands: status, validate, dry-run) a missing history table is
    /// read as empty and left uncreated, so those commands change nothing on the target.
    func withLockedHistory<Result: Sendable>(
        creatingHistory: Bool = true, newTarget: Bool = false,
        onEvent: @escaping @Sendable (Event) -> Void = { _ in },
        _ body: (PostgresConnection, [AppliedMigration]) async throws -> Result
    ) async throws -> Result {
        try await target.connector.withConnection(runsUserSQL: true) { connection in
            let lock = AdvisoryLock(key: target.lockKey, target: target.label, timeout: timeouts.lockWait, logger: logger,
                                    onWait: { onEvent(.waitingForLock(holder: $0)) })
            return try await lock.withLock(on: connection) {
                if newTarget {
                    try await history.create(on: connection)
                    return try await body(connection, [])
                }
                if creatingHistory {
                    return try await body(connection, try await history.readCreatingIfMissing(on: connection))
                } else if try await !history.exists(on: connection) {
                    return try await body(connection, [])
                }
                return try await body(connection, try await history.read(on: connection))
            }
        }
    }

    public func migrate(_ options: Options = .init(), onEvent: @escaping @Sendable (Event) -> Void = { _ in }) async throws -> Outcome {
        if options.newTarget, let outcome = try await migrateNewTarget(options, onEvent: onEvent) { return outcome }
        return try await withLockedHistory(newTarget: options.newTarget, onEvent: onEvent) { connection, applied in
            try await explainingExistingObjects(on: connection) {
                try await migrate(options, connection: connection, applied: applied, onEvent: onEvent)
            }
        }
    }

    private func migrate(_ options: Options, connection: PostgresConnection, applied: [AppliedMigration],
                         onEvent: @escaping @Sendable (Event) -> Void) async throws -> Outcome {
        let plan = MigrationPlan.make(catalog: migrations, applied: applied, target: options.to,
                                      allowOutOfOrder: options.allowOutOfOrder)
        var done: [Migration] = []
        if options.resume && plan.partial == nil { _ = try plan.resumeStep() }  // "nothing to resume"
        if let partial = plan.partial {
            guard options.resume || options.resumeWhenPartial else {
                try plan.check()
                return Outcome(before: plan.current, after: plan.current, applied: [])
            }
            // The statements already applied must be the file's first ones now; later ones may have been fixed.
            let current = try partial.migration.map { try self.prepared([$0.up])[0] } ?? []
            let appliedPrefix = StatementChecksum.of(current.prefix(partial.statementsApplied))
            let (migration, first) = try plan.resumeStep(appliedPrefixChecksum: appliedPrefix)
            let statements = current
            // The files pending after it are parsed and checked too before the resume runs anything.
            _ = try Self.prepare(plan.pending.map(\.up))
            onEvent(.applying(migration, resumingAt: first))
            let milliseconds = try await executor.applyStatementByStatement(migration, statements, startingAt: first, resuming: true, on: connection)
            onEvent(.applied(migration, milliseconds: milliseconds))
            done.append(migration)
        }
        // Planned again only after a resumed file changed the history.
        let remaining = done.isEmpty ? plan : MigrationPlan.make(catalog: migrations, applied: try await history.read(on: connection),
                                                                     target: options.to, allowOutOfOrder: options.allowOutOfOrder)
        try remaining.check()
        let prepared = try self.prepared(remaining.pending.map(\.up))
        for (migration, statements) in zip(remaining.pending, prepared) {
            onEvent(.applying(migration, resumingAt: nil))
            let milliseconds = migration.up.directives.transactional
                ? try await executor.applyInTransaction(migration, statements, on: connection)
                : try await executor.applyStatementByStatement(migration, statements, startingAt: 1, on: connection)
            onEvent(.applied(migration, milliseconds: milliseconds))
            done.append(migration)
        }
        // The track's version is its latest numbered migration: a repeatable that ran last does not move it.
        return Outcome(before: plan.current, after: done.last { !$0.version.isRepeatable }?.version ?? plan.current, applied: done)
    }

    /// The plan against the current history, read under the lock (a missing history table reads as empty and is
    /// not created: planning changes nothing).
    public func plan(_ options: Options = .init()) async throws -> (plan: MigrationPlan, applied: [AppliedMigration]) {
        try await withLockedHistory(creatingHistory: false) { _, applied in
            (MigrationPlan.make(catalog: migrations, applied: applied, target: options.to, allowOutOfOrder: options.allowOutOfOrder), applied)
        }
    }

    /// Runs down sections, latest first (see `RollbackPlan`); `resume` finishes a no-transaction down section that
    /// stopped part way, when the statements that ran are still the section's first ones.
    public func rollback(steps: Int?, to version: MigrationVersion?, resume: RollbackPlan.Resume = .no,
                         onEvent: @escaping @Sendable (Event) -> Void = { _ in }) async throws -> [Migration] {
        try await withLockedHistory(onEvent: onEvent) { connection, applied in
            let plan = try RollbackPlan.make(catalog: migrations, applied: applied, steps: steps, to: version, resume: resume)
            let prepared = try self.prepared(plan.steps.compactMap(\.down))
            if let resuming = plan.resuming, let migration = plan.steps.first,
               StatementChecksum.of(prepared[0].prefix(resuming.done)) != resuming.checksum {
                throw TenantryError.setup(
                    "\(target.label): the first \(resuming.done) statements of the down section of \(migration.file) differ from the ones that ran; resume refused",
                    hint: "restore those statements as they ran (only later ones may change), or finish by hand and delete the row of \(migration.version) from the history table")
            }
            for (migration, statements) in zip(plan.steps, prepared) {
                let row = applied.first { $0.version == migration.version }
                try await executor.revert(migration, statements, row: row, resuming: migration == plan.steps.first ? plan.resuming : nil, on: connection)
                onEvent(.reverted(migration))
            }
            return plan.steps
        }
    }

    /// Records `version` as applied without running it (baseline, or finishing a partial file by hand).
    public func markApplied(_ version: MigrationVersion) async throws -> Migration {
        guard let migration = migrations.first(where: { $0.version == version }) else {
            throw TenantryError.usage("there is no migration \(version) in the catalog", hint: "check the version with `tenantry status`")
        }
        return try await withLockedHistory { connection, applied in
            if let row = applied.first(where: { $0.version == version }) {
                guard row.isPartial else {
                    throw TenantryError.usage("\(target.label): \(migration.file) is already recorded as applied")
                }
                try await history.markComplete(migration, on: connection)
                return migration
            }
            try await executor.markApplied(migration, on: connection)
            return migration
        }
    }
}
