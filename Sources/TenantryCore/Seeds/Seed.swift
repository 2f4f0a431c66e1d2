/// One seed file: data inserted once per target, tracked by name and checksum in `tenantry_seeds`.
public struct Seed: Sendable, Equatable, Identifiable {
    /// The file name without `.sql` (`001_admins`): the key of its `tenantry_seeds` row.
    public var name: String
    /// The file name relative to the seeds folder (`001_admins.sql`), for messages.
    public var file: String
    /// The file's text, without a leading byte-order mark; placeholders not yet substituted.
    public var sql: String
    /// SHA-256 (lowercase hex) of the file's exact bytes, so an edit after it was applied is noticed.
    public var checksum: String

    public var id: String { name }

    public init(name: String, file: String, sql: String, checksum: String) {
        self.name = name
        self.file = file
        self.sql = sql
        self.checksum = checksum
    }
}
