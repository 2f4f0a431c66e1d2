/// A reason a target's migrations must not run, found before anything runs. Each names its files and versions
/// and says what to do.
public enum IntegrityProblem: Sendable, Equatable {
    /// An applied (or baseline) file whose checksum changed since it was recorded.
    case edited(version: MigrationVersion, file: String, appliedChecksum: String, currentChecksum: String)
    /// A history row with no file in the catalog.
    case deleted(version: MigrationVersion, name: String)
    /// A pending migration below the latest applied version (only when out-of-order runs are not allowed).
    case outOfOrder(version: MigrationVersion, file: String, latestApplied: MigrationVersion)
    /// A no-transaction migration that stopped after `applied` of `total` statements.
    case partial(version: MigrationVersion, file: String, applied: Int, total: Int)
    /// A no-transaction down section that stopped after `reverted` of `total` statements.
    case partiallyReverted(version: MigrationVersion, file: String, reverted: Int, total: Int)
    /// `--to` names a version neither the catalog nor the history has.
    case unknownTarget(MigrationVersion)
    /// `--to` is below the latest applied version: that is a rollback, not a migrate.
    case targetBelowCurrent(target: MigrationVersion, current: MigrationVersion)

    /// A no-transaction migration that stopped part way: what resuming fixes.
    public var isPartial: Bool {
        switch self {
        case .partial, .partiallyReverted: true
        default: false
        }
    }

    /// The files disagree with the history (edited, deleted, out of order): the same for every target with that
    /// history, a problem of the files rather than of the target.
    public var isFileProblem: Bool {
        switch self {
        case .edited, .deleted, .outOfOrder: true
        case .partial, .partiallyReverted, .unknownTarget, .targetBelowCurrent: false
        }
    }

    /// The version the problem is about.
    public var version: MigrationVersion {
        switch self {
        case .edited(let version, _, _, _), .deleted(let version, _), .outOfOrder(let version, _, _),
            .partial(let version, _, _, _), .partiallyReverted(let version, _, _, _), .unknownTarget(let version),
            .targetBelowCurrent(let version, _):
            version
        }
    }

    /// What is wrong, naming the file and version.
    public var message: String {
        switch self {
        case .edited(let version, let file, let was, let now):
            "migration \(file) (\(version)) was edited after it was applied: checksum was \(Self.short(was)), "
                + "is now \(Self.short(now))"
        case .deleted(let version, let name):
            "migration \(version) \(name) is recorded as applied but has no file in the migrations folder"
        case .outOfOrder(let version, let file, let latest):
            "migration \(file) (\(version)) is not applied but sorts before the latest applied version \(latest)"
        case .partial(let version, let file, let applied, let total):
            "migration \(file) (\(version)) stopped part way: \(applied) of \(total) statements applied "
                + "(it runs without a transaction)"
        case .partiallyReverted(let version, let file, let reverted, let total):
            "the rollback of migration \(file) (\(version)) stopped part way: \(reverted) of \(total) statements of its down "
                + "section ran (it runs without a transaction)"
        case .unknownTarget(let target):
            "no migration has version \(target)"
        case .targetBelowCurrent(let target, let current):
            "target version \(target) is below the current version \(current): migrate only moves forward"
        }
    }

    /// What to do about it.
    public var hint: String {
        switch self {
        case .edited(let version, _, _, _):
            "restore the file as it was applied and put the change in a new migration; if the database already "
                + "matches the edited file, record it with `tenantry mark-applied` \(version)"
        case .deleted(let version, _):
            "restore the file from version control (a migration that ran must stay in the folder), or point "
                + "--migrations at the folder that has \(version)"
        case .outOfOrder(_, _, let latest):
            "give it a version after \(latest), or pass `--allow-out-of-order` to apply it anyway"
        case .partial(let version, _, let applied, _):
            "run `tenantry migrate --resume` to continue at statement \(applied + 1) (only while the statements that ran "
                + "are unchanged; a tenant: `tenantry migrate tenants --resume` or `tenantry tenant retry ID`), or finish the "
                + "rest by hand and run `tenantry mark-applied` (`mark-applied tenants` for tenants) \(version)"
        case .partiallyReverted(let version, _, let reverted, _):
            "run `tenantry rollback master --resume` (a tenant: `tenantry rollback tenants --resume`) to continue at "
                + "statement \(reverted + 1) of the down section, or finish it by hand and remove the row of \(version) "
                + "from the history table"
        case .unknownTarget:
            "`tenantry status` lists the versions in the migrations folder"
        case .targetBelowCurrent(let target, _):
            "to undo the migrations above \(target), use `tenantry rollback --to \(target)`"
        }
    }

    /// First 12 hex characters: enough to tell checksums apart in a message.
    static func short(_ checksum: String) -> String {
        if checksum.isEmpty { return "(none)" }
        return checksum.count > 12 ? "\(checksum.prefix(12))…" : checksum
    }

    /// One `.setup` error for all of `problems` (not empty): a single problem keeps its own message and hint.
    static func refusal(_ problems: [IntegrityProblem]) -> TenantryError {
        let code: TenantryError.Code? = problems.allSatisfy(\.isPartial) ? .partial : problems.contains(where: \.isFileProblem) ? .integrity : nil
        if problems.count == 1, let only = problems.first { return TenantryError(.setup, only.message, hint: only.hint, code: code) }
        let lines = problems.map { "- \($0.message)\n  hint: \($0.hint)" }
        return TenantryError(.setup, "\(problems.count) problems stop migrations on this target:\n" + lines.joined(separator: "\n"),
                             hint: "nothing was run; fix each problem above and run again", code: code)
    }
}
