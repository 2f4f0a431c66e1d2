extension MigrationCatalog {
    /// The layout of the folder at `directory`: Drizzle when `meta/_journal.json` exists, Prisma when
    /// `migration_lock.toml` or a `…/migration.sql` does, golang-migrate when a
    /// file is named `N_name.up.sql`/`.down.sql`, Flyway when one is named `V1__name.sql` (or `U…`, `R__…`),
    /// otherwise native (dbmate folders read the same way).
    public static func detectFormat(directory: String) throws(TenantryError) -> MigrationFormat {
        detectFormat(try MigrationFolder(path: directory))
    }

    // One matching file decides, so a stray file in a golang-migrate or Flyway folder is reported against
    // that format's naming rather than the native one.
    static func detectFormat(_ folder: MigrationFolder) -> MigrationFormat {
        if folder.contains(DrizzleReader.journal) { return .drizzle }
        if PrismaReader.looksLikePrisma(folder) { return .prisma }
        let files = folder.sqlFiles
        if files.contains(where: { GolangMigrateReader.parse($0) != nil }) { return .golangMigrate }
        if files.contains(where: FlywayReader.looksLikeFlyway) { return .flyway }
        return .native
    }
}
