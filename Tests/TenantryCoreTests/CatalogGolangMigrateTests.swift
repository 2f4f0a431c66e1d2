import Testing

@testable import TenantryCore

@Suite("Catalog: golang-migrate format")
struct CatalogGolangMigrateTests {
    @Test func readsUpAndDownFilesInOrder() throws {
        let catalog = try CatalogFixture.load([
            "000010_add_index.up.sql": "-- tenantry:no-transaction\nCREATE INDEX CONCURRENTLY i ON wells (name);\n",
            "000002_create_wells.up.sql": "CREATE TABLE wells (id int);\n",
            "000002_create_wells.down.sql": "-- tenantry:lock-timeout 3s\nDROP TABLE wells;\n",
        ])
        #expect(catalog.format == .golangMigrate)
        #expect(catalog.migrations.map(\.version.text) == ["000002", "000010"])
        #expect(catalog.migrations.map(\.name) == ["create_wells", "add_index"])
        let wells = catalog.migrations[0]
        #expect(wells.file == "000002_create_wells.up.sql")
        var up = MigrationScript(sql: "CREATE TABLE wells (id int);\n", file: "000002_create_wells.up.sql", firstLine: 1)
        up.importedFrom = .golangMigrate
        var down = MigrationScript(sql: "-- tenantry:lock-timeout 3s\nDROP TABLE wells;\n", file: "000002_create_wells.down.sql",
                                   firstLine: 1, directives: .init(lockTimeout: "3s"))
        down.importedFrom = .golangMigrate
        #expect(wells.up == up)
        #expect(wells.down == down)
        let index = catalog.migrations[1]
        #expect(index.down == nil)
        #expect(index.up.directives == MigrationDirectives(transactional: false))
    }

    @Test func unixTimestampVersions() throws {
        let catalog = try CatalogFixture.load(["1700000000_b.up.sql": "SELECT 2;", "999_a.up.sql": "SELECT 1;"])
        #expect(catalog.migrations.map(\.version.text) == ["999", "1700000000"])
    }

    @Test func orphanDownIsAnError() throws {
        let error = try CatalogFixture.error(["1_a.up.sql": "SELECT 1;", "2_b.down.sql": "SELECT 2;"])
        #expect(error.message == "2_b.down.sql: a down migration without its up file (2_b.up.sql)")
        #expect(error.kind == .setup)
    }

    @Test func twoDownsForOneVersionIsAnError() throws {
        let error = try CatalogFixture.error(["1_a.up.sql": "", "1_a.down.sql": "", "01_b.down.sql": ""])
        #expect(error.message == "duplicate down migrations for version 1: 01_b.down.sql and 1_a.down.sql")
    }

    @Test func twoUpsForOneVersionIsADuplicate() throws {
        let error = try CatalogFixture.error(["1_a.up.sql": "", "001_b.up.sql": ""])
        #expect(error.message.contains("duplicate migration version"))
        #expect(error.message.hasSuffix(": 001_b.up.sql and 1_a.up.sql"))
    }

    /// golang-migrate skips what does not match its pattern (a `_down.sql`, notes); so does Tenantry, with a warning.
    @Test(arguments: ["1_a.sql", "a_1.up.sql", "1.up.sql", "1_a.UP.sql", "1_a_down.sql"])
    func otherSQLFileNamesAreSkippedWithAWarning(file: String) throws {
        let catalog = try CatalogFixture.load(["1_a.up.sql": "SELECT 1;", file: "SELECT 2;"], format: .golangMigrate)
        #expect(catalog.migrations.map(\.file) == ["1_a.up.sql"])
        #expect(catalog.warnings == ["\(file) is not a golang-migrate file name (N_name.up.sql, and optionally N_name.down.sql "
            + "(000001_create_wells.up.sql)) and is skipped, as golang-migrate does"])
    }
}
