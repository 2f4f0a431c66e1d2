/// What a `migrate` run would do on one target, worked out from the catalog and the target's history before
/// anything runs, together with every reason to refuse.
///
/// Pure: plain values in, plain values out, so `migrate`, `status` and `validate` share one plan and all of it is
/// tested without a database.
public struct MigrationPlan: Sendable, Equatable {
    /// Catalog migrations not in the history, in version order, up to and including `target` when one was given.
    /// Out-of-order migrations stay listed here; whether they may run is `problems`' business.
    public let pending: [Migration]
    /// Everything that must stop a run before it starts, in the order found: history rows by version (edited,
    /// deleted, partial), then out-of-order files, then a bad target.
    public let problems: [IntegrityProblem]
    /// The no-transaction migration that stopped part way; it blocks the target until resumed or marked.
    public let partial: PartialMigration?
    /// Highest version in the history (a partial row included); nil when nothing was applied yet.
    public let current: MigrationVersion?
    /// The history rows, in version order.
    public let applied: [AppliedMigration]
    /// The `--to` version the plan stops at, if any.
    public let target: MigrationVersion?

    /// Nothing to apply and nothing half applied. Problems are separate: a deleted file leaves a target up to date
    /// but refused.
    public var isUpToDate: Bool { pending.isEmpty && partial == nil }

    /// Plans a run.
    ///
    /// A bad `target` does not throw: it becomes a problem (`unknownTarget`, `targetBelowCurrent`) so that one
    /// target's plan always exists and `check()` stays the single gate. A target is known when the catalog or the
    /// history has it; below `current` it is refused because migrate only moves forward.
    ///
    /// - Parameters:
    ///   - catalog: the track's migrations, in any order.
    ///   - applied: the target's history rows, in any order.
    ///   - target: apply up to and including this version.
    ///   - allowOutOfOrder: a pending migration below the latest applied one is simply pending, and runs in
    ///     version order; otherwise it is an `outOfOrder` problem.
    public static func make(
        catalog: [Migration], applied: [AppliedMigration], target: MigrationVersion? = nil, allowOutOfOrder: Bool = false
    ) -> MigrationPlan {
        // Catalogs come sorted from the loader; a fleet run plans thousands of times, so only sort when needed.
        let catalog = Self.isSorted(catalog, by: \.version) ? catalog : catalog.sorted { $0.version < $1.version }
        let history = Self.isSorted(applied, by: \.version) ? applied : applied.sorted { $0.version < $1.version }
        // The catalog reader rejects duplicate versions; keep the first rather than trap if one slips through.
        let files = Dictionary(catalog.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        let appliedVersions = Set(history.map(\.version))
        // Repeatables sort after every numbered version, in the catalog and in the history.
        let current = history.last { !$0.version.isRepeatable }?.version

        var problems: [IntegrityProblem] = []
        var partial: PartialMigration?
        for row in history {
            let migration = files[row.version]
            if row.version.isRepeatable {
                // A changed repeatable runs again; one whose file is gone leaves its objects and is not a problem.
            } else if let migration {
                // Baseline rows carry the file's checksum too, so an edit after mark-applied is caught the same way.
                if row.checksum != migration.checksum {
                    problems.append(.edited(
                        version: row.version, file: migration.file,
                        appliedChecksum: row.checksum, currentChecksum: migration.checksum))
                }
            } else {
                problems.append(.deleted(version: row.version, name: row.name))
            }
            if let revert = row.revertProgress {
                problems.append(.partiallyReverted(version: row.version, file: migration?.file ?? row.name, reverted: revert.done, total: revert.total))
            }
            if row.isPartial, let done = row.statementsApplied, let total = row.statementsTotal {
                problems.append(.partial(
                    version: row.version, file: migration?.file ?? row.name, applied: done, total: total))
                if partial == nil { partial = PartialMigration(applied: row, migration: migration) }
            }
        }

        let repeatables = catalog.last?.version.isRepeatable == true ? catalog.filter(\.version.isRepeatable) : []
        let unapplied = catalog.filter { !appliedVersions.contains($0.version) && !$0.version.isRepeatable }
        if let current, !allowOutOfOrder {
            for migration in unapplied where migration.version < current {
                problems.append(.outOfOrder(version: migration.version, file: migration.file, latestApplied: current))
            }
        }

        if let target {
            if files[target] == nil && !appliedVersions.contains(target) {
                problems.append(.unknownTarget(target))
            } else if let current, target < current {
                problems.append(.targetBelowCurrent(target: target, current: current))
            }
        }

        // Repeatables run after the numbered ones, when new or changed, on a run without --to (as Flyway's do).
        let changedRepeatables = target != nil || repeatables.isEmpty ? [] : repeatables.filter { migration in
            history.first { $0.version == migration.version }?.checksum != migration.checksum
        }
        return MigrationPlan(
            pending: unapplied.filter { migration in target.map { migration.version <= $0 } ?? true } + changedRepeatables,
            problems: problems, partial: partial, current: current, applied: history, target: target)
    }
}

extension MigrationPlan {
    static func isSorted<Element>(_ elements: [Element], by version: (Element) -> MigrationVersion) -> Bool {
        zip(elements, elements.dropFirst()).allSatisfy { version($0) < version($1) }
    }
}
