/// The down sections a `rollback` would run on one target, latest version first. Pure, like `MigrationPlan`.
public struct RollbackPlan: Sendable, Equatable {
    /// Migrations to undo, in reverse version order; each has a `down` script.
    public let steps: [Migration]
    /// The highest version still applied afterwards; nil when every migration is undone.
    public let remaining: MigrationVersion?
    /// `rollback --resume`: how far the first step's no-transaction down section got before it stopped; it
    /// continues at statement `done + 1`.
    public var resuming: RevertProgress?

    /// Whether `make` finishes a down section that stopped part way.
    public enum Resume: Sendable {
        /// Refuse while one stopped part way.
        case no
        /// Finish it; with none, refuse ("nothing to resume").
        case required
        /// Finish it when there is one, and do nothing otherwise (a fleet run: only some tenants stopped).
        case whenPartial
    }

    /// Plans a rollback from the target's history.
    ///
    /// Selection is by version, not by time: with out-of-order history the highest versions go first, as with
    /// `--to`. Pass at most one of:
    /// - `steps: N`: the last N applied migrations (at least 1, at most all of them);
    /// - `to: V`: every applied migration above V. V itself stays, so it must be applied; `0` undoes everything.
    ///   A V at or above the latest version gives an empty plan.
    /// With neither, one step, like most tools.
    ///
    /// Throws `.usage` for the arguments (both given, N < 1, N above the applied count, V not applied) and `.setup`
    /// when the target cannot be rolled back: a partial migration exists (resolve it first), or a migration to
    /// undo has no file or no down section. Baseline rows are undone like any other.
    ///
    /// A down section that stopped part way (see `RevertProgress`) must be finished first: with `resume`, the plan
    /// is that migration alone, continuing where it stopped; without, a `.setup` error says so.
    /// `resume: .whenPartial` with nothing stopped part way plans nothing.
    public static func make(
        catalog: [Migration], applied: [AppliedMigration], steps: Int?, to: MigrationVersion?, resume: Resume = .no
    ) throws(TenantryError) -> RollbackPlan {
        if steps != nil && to != nil {
            throw .usage("pass either --steps or --to, not both")
        }
        if let steps, steps < 1 {
            throw .usage("--steps must be at least 1, got \(steps)")
        }
        // Repeatables have no down section: a rollback goes through the numbered migrations only.
        let catalog = catalog.filter { !$0.version.isRepeatable }
        let history = applied.filter { !$0.version.isRepeatable }.sorted { $0.version < $1.version }
        let files = Dictionary(catalog.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })

        if let row = history.last(where: { $0.revertProgress != nil }), let progress = row.revertProgress {
            let file = files[row.version]?.file ?? row.name
            guard resume != .no else {
                throw .setup("the rollback of migration \(file) (\(row.version)) stopped after \(progress.done) of \(progress.total) "
                             + "statements of its down section",
                             hint: "finish it with `rollback --resume` (it continues at statement \(progress.done + 1)), then roll back further")
            }
            guard let migration = files[row.version], migration.down != nil else {
                throw .setup("the rollback of \(file) (\(row.version)) stopped part way and its file or down section is gone; resume refused",
                             hint: "restore the file, or finish the down section by hand and delete the row of \(row.version) from the history table")
            }
            var plan = RollbackPlan(steps: [migration], remaining: history.filter { $0.version < row.version }.last?.version)
            plan.resuming = progress
            return plan
        }
        switch resume {
        case .required: throw .usage("nothing to resume: no rollback stopped part way", hint: "run `tenantry rollback` without --resume")
        case .whenPartial: return RollbackPlan(steps: [], remaining: history.last?.version)
        case .no: break
        }

        // The down section cannot know which statements of a half-run up section to undo.
        if let row = history.first(where: \.isPartial) {
            let file = files[row.version]?.file ?? row.name
            throw .setup(
                "cannot roll back while migration \(file) (\(row.version)) is partially applied "
                    + "(\(row.statementsApplied ?? 0) of \(row.statementsTotal ?? 0) statements)",
                hint: "resolve it first with `tenantry migrate --resume` or `tenantry mark-applied` \(row.version), "
                    + "then roll back")
        }

        let undo: ArraySlice<AppliedMigration>
        if let to {
            guard to == zero || history.contains(where: { $0.version == to }) else {
                throw .usage(
                    "cannot roll back to \(to): it is not applied",
                    hint: "--to takes an applied version, which stays applied, or 0 to undo every migration; "
                        + "`tenantry status` lists them")
            }
            undo = history.drop { $0.version <= to }
        } else {
            let count = steps ?? 1
            guard count <= history.count else {
                throw .usage(
                    history.isEmpty
                        ? "nothing to roll back: no migration is applied"
                        : "cannot roll back \(count) migrations: only \(history.count) applied",
                    hint: history.isEmpty ? nil : "`--to 0` undoes every migration")
            }
            undo = history.suffix(count)
        }

        let missingFiles = undo.filter { files[$0.version] == nil }
        let missingDowns = undo.compactMap { files[$0.version] }.filter { $0.down == nil }
        var refusals: [(message: String, hint: String)] = []
        if !missingFiles.isEmpty {
            let list = missingFiles.reversed().map { "\($0.version) \($0.name)" }.joined(separator: ", ")
            refusals.append((
                "applied migration(s) with no file: \(list)",
                "restore the file(s) from version control; rollback runs their down sections"))
        }
        if !missingDowns.isEmpty {
            let list = missingDowns.reversed().map { "\($0.file) (\($0.version))" }.joined(separator: ", ")
            refusals.append((
                "no down section in \(list)",
                "rollback needs a `-- migrate:down` section (or the `.down.sql` file for golang-migrate, the `U…` "
                    + "undo file for Flyway); add one, or undo the change with a new forward migration"))
        }
        guard refusals.isEmpty else {
            throw .setup(
                "cannot roll back: " + refusals.map(\.message).joined(separator: "; "),
                hint: refusals.map(\.hint).joined(separator: "; ") + "; nothing was undone")
        }

        return RollbackPlan(
            steps: undo.reversed().compactMap { files[$0.version] },
            remaining: history.dropLast(undo.count).last?.version)
    }

    /// `--to 0`: below every version, whatever its padding.
    private static let zero = MigrationVersion("0")!
}
