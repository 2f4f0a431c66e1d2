/// One statement of a tenant's role plan, and what it does in words.
public struct RoleChange: Sendable, Equatable {
    /// What the statement changes, for a person: "created read-write role acme_rw".
    public var summary: String
    /// The statement to run; it may hold a SCRAM verifier, never a password.
    public var sql: String
    /// The statement as shown to a person (`--dry-run`): any verifier replaced by `'SCRAM-SHA-256$…'`.
    public var shownSQL: String

    public init(_ summary: String, sql: String, shownSQL: String? = nil) {
        self.summary = summary
        self.sql = sql
        self.shownSQL = shownSQL ?? sql
    }
}
