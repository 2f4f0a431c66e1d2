/// One migration of a track, read from its file(s): the up script, an optional down script, and the
/// checksum that detects later edits.
public struct Migration: Sendable, Equatable, Identifiable {
    public var version: MigrationVersion
    /// Human part of the file name (`create_wells`).
    public var name: String
    /// Path of the (up) file relative to the migrations folder, for messages.
    public var file: String
    /// SHA-256 (hex) of the exact bytes of the migration's file(s) as Tenantry reads them.
    public var checksum: String
    public var up: MigrationScript
    public var down: MigrationScript?
    /// What the folder's own tool records for this migration besides its version, name or SHA-256, for `adopt`:
    /// Flyway's CRC32 checksum, Drizzle's journal `when` (its `created_at`). Nil for the other formats.
    public var toolStamp: String?

    public var id: MigrationVersion { version }

    public init(version: MigrationVersion, name: String, file: String, checksum: String, up: MigrationScript, down: MigrationScript?) {
        self.version = version
        self.name = name
        self.file = file
        self.checksum = checksum
        self.up = up
        self.down = down
    }
}

/// The SQL of one direction of a migration, with where it sits in its file and the directives for it.
public struct MigrationScript: Sendable, Equatable {
    public var sql: String
    /// File the SQL came from (relative to the migrations folder).
    public var file: String
    /// 1-based line in `file` where `sql` starts, so statement lines can be reported in file terms.
    public var firstLine: Int
    public var directives: MigrationDirectives
    /// Explicit statement boundaries given by the format (Drizzle's `--> statement-breakpoint`); nil: use the parser.
    public var explicitStatements: [String]?
    /// The tool whose folder the file came from (golang-migrate, Flyway, Drizzle, Prisma); nil for Tenantry's own
    /// format (and dbmate's). Such a file runs as its tool runs it, and messages speak of that tool's files.
    public var importedFrom: MigrationFormat?

    public init(sql: String, file: String, firstLine: Int, directives: MigrationDirectives = .init(), explicitStatements: [String]? = nil) {
        self.sql = sql
        self.file = file
        self.firstLine = firstLine
        self.directives = directives
        self.explicitStatements = explicitStatements
    }
}

/// `-- tenantry:...` lines: before `-- migrate:up` they apply to both directions, inside a section to that one.
public struct MigrationDirectives: Sendable, Equatable {
    /// `-- tenantry:no-transaction`: run statement by statement, recording progress after each.
    public var transactional = true
    /// Set by the catalog, never by a directive: an up section with its own `BEGIN … COMMIT` groups between other
    /// statements runs without Tenantry's transaction, each group as one unit with its progress recorded at its
    /// `COMMIT`, each other statement on its own.
    public var transactionGroups = false
    /// `-- tenantry:lock-timeout 5s` (a PostgreSQL interval/duration setting value, kept as written).
    public var lockTimeout: String?
    /// `-- tenantry:statement-timeout 10min`.
    public var statementTimeout: String?

    public init(transactional: Bool = true, lockTimeout: String? = nil, statementTimeout: String? = nil) {
        self.transactional = transactional
        self.lockTimeout = lockTimeout
        self.statementTimeout = statementTimeout
    }
}

/// The folder layouts Tenantry reads as they are.
public enum MigrationFormat: String, Sendable, CaseIterable {
    /// `VERSION_name.sql` with `-- migrate:up` / `-- migrate:down` (dbmate uses the same markers).
    case native
    case dbmate
    /// `N_name.up.sql` / `N_name.down.sql`.
    case golangMigrate = "golang-migrate"
    /// `V1__name.sql`, undo `U1__name.sql`.
    case flyway
    /// `meta/_journal.json` order, `--> statement-breakpoint` separators.
    case drizzle
    /// `<timestamp>_<name>/migration.sql` folders and `migration_lock.toml`.
    case prisma
}
