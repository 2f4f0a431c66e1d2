import Testing

@testable import TenantryCore

@Suite("Catalog: format detection")
struct CatalogDetectionTests {
    @Test(arguments: [
        (["meta/_journal.json": #"{"entries": []}"#], MigrationFormat.drizzle),
        (["1_a.up.sql": "SELECT 1;", "1_a.down.sql": "SELECT 1;"], .golangMigrate),
        (["20251103170000_a.down.sql": ""], .golangMigrate),
        (["V1__a.sql": "SELECT 1;"], .flyway),
        (["U1__a.sql": ""], .flyway),
        (["R__views.sql": ""], .flyway),
        (["1_a.sql": "-- migrate:up\n"], .native),
        (["20251103170000_create.sql": "-- migrate:up\n"], .native),
        (["README.md": "notes"], .native),
        ([:], .native),
    ])
    func detects(files: [String: String], expected: MigrationFormat) throws {
        let fixture = try CatalogFixture(files)
        defer { fixture.directory.remove() }
        #expect(try MigrationCatalog.detectFormat(directory: fixture.path) == expected)
    }

    @Test func oneGolangMigrateFileDecidesAndStraysAreReportedAgainstIt() throws {
        let catalog = try CatalogFixture.load(["1_a.up.sql": "SELECT 1;", "2_b.sql": "SELECT 2;"])
        #expect(catalog.format == .golangMigrate && catalog.migrations.count == 1)
        #expect(catalog.warnings.first?.hasPrefix("2_b.sql is not a golang-migrate file name") == true)
    }

    @Test func explicitFormatOverridesDetection() throws {
        // A Flyway-looking name read as native is just a name without a version prefix.
        let error = try CatalogFixture.error(["V1__a.sql": "-- migrate:up\n"], format: .native)
        #expect(error.message.hasPrefix("V1__a.sql: not a migration file name; expected VERSION_name.sql"))
    }
}
