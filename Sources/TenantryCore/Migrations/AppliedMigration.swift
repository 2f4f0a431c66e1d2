import Foundation

/// A row of a target's history table (`tenantry_migrations`).
public struct AppliedMigration: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Ran through Tenantry.
        case applied
        /// Recorded without running (`mark-applied`, baseline).
        case baseline
    }

    public var version: MigrationVersion
    public var name: String
    public var checksum: String
    public var appliedAt: Date
    public var executionMilliseconds: Int
    public var appliedBy: String
    public var kind: Kind
    /// For no-transaction files: statements applied so far out of the total; equal when complete.
    public var statementsApplied: Int?
    public var statementsTotal: Int?
    /// For no-transaction files: `StatementChecksum` of the statements applied so far, so `--resume` can
    /// accept a file whose later statements were fixed after a failure.
    public var progressChecksum: String?

    public init(version: MigrationVersion, name: String, checksum: String, appliedAt: Date, executionMilliseconds: Int,
                appliedBy: String, kind: Kind, statementsApplied: Int? = nil, statementsTotal: Int? = nil,
                progressChecksum: String? = nil) {
        self.version = version
        self.name = name
        self.checksum = checksum
        self.appliedAt = appliedAt
        self.executionMilliseconds = executionMilliseconds
        self.appliedBy = appliedBy
        self.kind = kind
        self.statementsApplied = statementsApplied
        self.statementsTotal = statementsTotal
        self.progressChecksum = progressChecksum
    }

    /// A no-transaction migration that stopped part way: it blocks the target until resumed or marked.
    public var isPartial: Bool {
        guard let applied = statementsApplied, let total = statementsTotal else { return false }
        return applied < total
    }
}
