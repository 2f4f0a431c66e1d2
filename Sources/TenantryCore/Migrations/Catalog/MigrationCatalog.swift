/// The migrations of one folder (one track), read and checksummed once.
///
/// Folders are read as their tool wrote them: Tenantry's native format (shared with dbmate), golang-migrate,
/// Flyway and Drizzle. Whatever the format, each migration's checksum is the SHA-256 of its up file's exact
/// bytes; for formats with separate down/undo files (golang-migrate, Flyway) those files are not covered.
public struct MigrationCatalog: Sendable {
    /// The folder the migrations were read from, as given.
    public var directory: String
    public var format: MigrationFormat
    /// Ordered by version, oldest first.
    public var migrations: [Migration]

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
    ///   An empty folder is not an error: it has no migrations.
    public static func load(directory: String, format: MigrationFormat? = nil) throws(TenantryError) -> MigrationCatalog {
        let folder = try MigrationFolder(path: directory)
        let format = format ?? detectFormat(folder)
        // Ties broken by file name so a duplicate is always reported the same way.
        let migrations = try reader(for: format).migrations(in: folder)
            .sorted { ($0.version, $0.file) < ($1.version, $1.file) }
        for (earlier, later) in zip(migrations, migrations.dropFirst()) where earlier.version == later.version {
            throw .setup("duplicate migration version \(later.version) in \(directory): \(earlier.file) and \(later.file)",
                         hint: "versions must be unique (001 and 1 are the same version); renumber one of them")
        }
        return MigrationCatalog(directory: directory, format: format, migrations: migrations)
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
        }
    }
}
