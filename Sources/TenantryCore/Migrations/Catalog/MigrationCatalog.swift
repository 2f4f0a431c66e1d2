/// The migrations of one folder (one track), read and checksummed once.
///
/// Folders are read as their tool wrote them: Tenantry's native format (shared with dbmate), golang-migrate,
/// Flyway, Drizzle and Prisma. Whatever the format, each migration's checksum is the SHA-256 of its up file's exact
/// bytes; for formats with separate down/undo files (golang-migrate, Flyway) those files are not covered.
public struct MigrationCatalog: Sendable {
    /// The folder the migrations were read from, as given.
    public var directory: String
    public var format: MigrationFormat
    /// Ordered by version, oldest first.
    public var migrations: [Migration]
    /// Files skipped the way their format's tool skips them (a Drizzle file outside the journal, a file outside
    /// golang-migrate's naming), each with why: for the caller to show as warnings.
    public var warnings: [String] = []

    /// A catalog of given migrations (sorted here), for plans and tests that build one without a folder.
    public init(directory: String, format: MigrationFormat, migrations: [Migration]) {
        self.directory = directory
        self.format = format
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Reads every migration of `directory` once.
    ///
    /// - Parameter format: the folder's layout; nil detects it (see ``detectFormat(directory:)``).
    /// - Throws: `.setup` (exit 2) for a missing folder, an unreadable file, a file name that does not fit the
    ///   format, a malformed file, an unknown `-- tenantry:` directive, or two files with the same version.
    ///   An empty folder is not an error: it has no migrations. A folder that holds something but yields no
    ///   migration is: it must never look "up to date".
    public static func load(directory: String, format: MigrationFormat? = nil) throws(TenantryError) -> MigrationCatalog {
        let folder = try MigrationFolder(path: directory)
        let given = format != nil
        let format = format ?? detectFormat(folder)
        // Ties broken by file name so a duplicate is always reported the same way.
        let reader = reader(for: format)
        let migrations = try reader.migrations(in: folder).map { migration in
            var migration = migration
            migration.up = migration.up.runningTransactionGroups()
            migration.down = migration.down?.runningTransactionGroups()
            return migration
        }
            .sorted { ($0.version, $0.file) < ($1.version, $1.file) }
        // A format's own bookkeeping (Drizzle's meta/, Prisma's lock file) alone is an empty folder.
        if migrations.isEmpty && !folder.names.allSatisfy(["meta", PrismaReader.lockFile].contains) {
            throw nothingRead(folder, format: format, given: given)
        }
        for (earlier, later) in zip(migrations, migrations.dropFirst()) where earlier.version == later.version {
            throw .setup("duplicate migration version \(later.version) in \(directory): \(earlier.file) and \(later.file)",
                         hint: "versions must be unique (001 and 1 are the same version); renumber one of them")
        }
        var catalog = MigrationCatalog(directory: directory, format: format, migrations: migrations)
        catalog.warnings = reader.ignored(in: folder)
        return catalog
    }

    /// What a folder that holds entries but no migration of `format` gets: what was found, and what Tenantry reads.
    static func nothingRead(_ folder: MigrationFolder, format: MigrationFormat, given: Bool) -> TenantryError {
        let shown = folder.names.prefix(5).joined(separator: ", ") + (folder.names.count > 5 ? ", … (\(folder.names.count) entries)" : "")
        let how = given ? "read as \(format.rawValue) (the format set in tenantry.yml)" : "read as \(format.rawValue) (detected)"
        return .setup("\(folder.path) holds \(shown) but no migration when \(how)",
                      hint: "Tenantry reads native/dbmate (VERSION_name.sql with -- migrate:up), golang-migrate (N_name.up.sql), "
                          + "Flyway (V1__name.sql), Drizzle (meta/_journal.json) and Prisma (<timestamp>_name/migration.sql) folders; "
                          + "set the right format:, or point the track at the folder that holds the migrations")
    }

    /// The migration with `version` (`1` finds `001_x.sql`), if the catalog has one.
    public func migration(_ version: MigrationVersion) -> Migration? {
        migrations.first { $0.version == version }
    }

    static func reader(for format: MigrationFormat) -> any MigrationFormatReader {
        switch format {
        case .native, .dbmate: NativeFormatReader()
        case .golangMigrate: GolangMigrateReader()
        case .flyway: FlywayReader()
        case .drizzle: DrizzleReader()
        case .prisma: PrismaReader()
        }
    }
}

extension MigrationScript {
    /// A section with `BEGIN … COMMIT` groups of its own between other statements (after an outer pair is
    /// dropped) runs them as its tool does: without Tenantry's transaction, each group as one unit.
    func runningTransactionGroups() -> MigrationScript {
        guard directives.transactional, sql.range(of: "commit", options: .caseInsensitive) != nil || sql.range(of: "end", options: .caseInsensitive) != nil,
              sql.range(of: "begin", options: .caseInsensitive) != nil || sql.range(of: "start", options: .caseInsensitive) != nil,
              let statements = try? StatementAnalyzer.statements(of: self), TransactionControl.groups(statements) != nil else { return self }
        var script = self
        script.directives.transactional = false
        script.directives.transactionGroups = true
        return script
    }
}
