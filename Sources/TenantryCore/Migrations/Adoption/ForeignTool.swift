import Foundation

/// Another migration tool whose history table `tenantry adopt` reads: what it is called, where it keeps its rows,
/// and how its rows name a migration.
public enum ForeignTool: String, Sendable, CaseIterable, CustomStringConvertible {
    case drizzle
    case prisma
    case golangMigrate = "golang-migrate"
    case dbmate
    case flyway
    case knex

    public var description: String { rawValue }

    /// The history table's name (golang-migrate and dbmate share one; golang-migrate's has a `dirty` column).
    public var table: String {
        switch self {
        case .drizzle: "__drizzle_migrations"
        case .prisma: "_prisma_migrations"
        case .golangMigrate, .dbmate: "schema_migrations"
        case .flyway: "flyway_schema_history"
        case .knex: "knex_migrations"
        }
    }

    /// Schemas that may hold the table besides the target's own: drizzle's migrator writes to a `drizzle` schema
    /// by default.
    public var ownSchemas: [String] { self == .drizzle ? ["drizzle"] : [] }

    /// What the user does about a failed or dirty row before adopting, in the tool's own words.
    var resolveHint: String {
        switch self {
        case .golangMigrate: "fix the database by hand, then `migrate force VERSION` (golang-migrate) to clear the dirty flag"
        case .prisma: "finish or undo that migration by hand, then `prisma migrate resolve --applied` or `--rolled-back` it"
        case .flyway: "fix the database by hand, then `flyway repair` removes the failed row"
        case .drizzle, .dbmate, .knex: "fix that row by hand"
        }
    }
}

/// One row of another tool's history, as `adopt` matches it to the catalog.
public struct ForeignEntry: Sendable, Equatable {
    public enum Key: Sendable, Equatable {
        /// The migration of this version (dbmate, Flyway; a Flyway repeatable as `R__name`).
        case version(String)
        /// Every migration up to this version: golang-migrate's single row (`exact`: the version must be a file's)
        /// and Flyway's BASELINE row (not `exact`).
        case upTo(String, exact: Bool)
        /// A file or folder name: Prisma's `migration_name` (the folder), knex's `name` (the file, any extension).
        case name(String)
        /// Drizzle: the SHA-256 of the file, and the journal `when` it was recorded with.
        case hash(String, when: String?)
    }

    public var key: Key
    /// The checksum the tool recorded, compared where it has one: Prisma's SHA-256, Flyway's CRC32.
    public var checksum: String?
    /// When the tool applied it; nil when the tool does not say (Tenantry records the adoption time then).
    public var appliedAt: Date?
    /// Why the row blocks adoption (golang-migrate `dirty`, Prisma unfinished, Flyway `success = false`).
    public var failure: String?
    /// How messages name the row: "version 3", "20240101120000_init".
    public var label: String

    public init(key: Key, checksum: String? = nil, appliedAt: Date? = nil, failure: String? = nil, label: String) {
        self.key = key
        self.checksum = checksum
        self.appliedAt = appliedAt
        self.failure = failure
        self.label = label
    }
}
