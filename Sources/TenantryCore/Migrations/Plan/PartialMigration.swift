/// A no-transaction migration that stopped after some of its statements: the history row saying how far it got,
/// and the catalog migration when its file still exists.
public struct PartialMigration: Sendable, Equatable {
    /// The history row; `statementsApplied < statementsTotal`.
    public let applied: AppliedMigration
    /// Nil when the file was deleted; resume is then impossible.
    public let migration: Migration?

    public init(applied: AppliedMigration, migration: Migration?) {
        self.applied = applied
        self.migration = migration
    }

    public var version: MigrationVersion { applied.version }

    /// The file for messages: the catalog's when it exists, else the name in the history.
    public var file: String { migration?.file ?? applied.name }

    /// Statements recorded as done (k of n).
    public var statementsApplied: Int { applied.statementsApplied ?? 0 }

    /// Statements in the file when it ran (n).
    public var statementsTotal: Int { applied.statementsTotal ?? 0 }
}
