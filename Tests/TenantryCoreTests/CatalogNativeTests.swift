import Testing

@testable import TenantryCore

@Suite("Catalog: native and dbmate format")
struct CatalogNativeTests {
    static let wells = """
        -- migrate:up
        CREATE TABLE wells (id int);
        -- migrate:down
        DROP TABLE wells;

        """

    @Test func readsVersionsNamesAndSections() throws {
        let catalog = try CatalogFixture.load(["0001_create_wells.sql": Self.wells, "README.md": "not a migration"])
        #expect(catalog.format == .native)
        let migration = try #require(catalog.migrations.first)
        #expect(catalog.migrations.count == 1)
        #expect(migration.version.text == "0001")
        #expect(migration.name == "create_wells")
        #expect(migration.file == "0001_create_wells.sql")
        #expect(migration.up == MigrationScript(sql: "CREATE TABLE wells (id int);\n", file: "0001_create_wells.sql", firstLine: 2))
        #expect(migration.down == MigrationScript(sql: "DROP TABLE wells;\n", file: "0001_create_wells.sql", firstLine: 4))
        #expect(migration.checksum.count == 64)
    }

    @Test(arguments: [
        (["2_b.sql", "10_c.sql", "1_a.sql"], ["1", "2", "10"]),
        (["20251103170000_b.sql", "20240101000000_a.sql", "20251103170001_c.sql"],
         ["20240101000000", "20251103170000", "20251103170001"]),
        (["0010_c.sql", "0002_b.sql", "0001_a.sql"], ["0001", "0002", "0010"]),
    ])
    func ordersNumerically(files: [String], expected: [String]) throws {
        let catalog = try CatalogFixture.load(Dictionary(uniqueKeysWithValues: files.map { ($0, Self.wells) }))
        #expect(catalog.migrations.map(\.version.text) == expected)
    }

    @Test func findsAMigrationByVersionWhateverThePadding() throws {
        let catalog = try CatalogFixture.load(["001_a.sql": Self.wells, "002_b.sql": Self.wells])
        #expect(try catalog.migration(#require(MigrationVersion("2")))?.file == "002_b.sql")
        #expect(try catalog.migration(#require(MigrationVersion("3"))) == nil)
    }

    @Test func upWithoutDownAndHeaderComments() throws {
        let text = "-- Adds wells.\n\n  -- indented comment\n-- migrate:up\nSELECT 1;\nSELECT 2;"
        let migration = try #require(CatalogFixture.load(["1_a.sql": text]).migrations.first)
        #expect(migration.up.sql == "SELECT 1;\nSELECT 2;")
        #expect(migration.up.firstLine == 5)
        #expect(migration.down == nil)
    }

    @Test func emptySectionsAndMarkerOnLastLine() throws {
        let migration = try #require(CatalogFixture.load(["1_a.sql": "-- migrate:up\n-- migrate:down"]).migrations.first)
        #expect(migration.up.sql == "")
        #expect(migration.down?.sql == "")
        #expect(migration.down?.firstLine == 3)
    }

    @Test func crlfLinesKeepTheirBytesAndNumbers() throws {
        let text = "-- migrate:up\r\nSELECT 1;\r\n-- migrate:down\r\nSELECT 2;\r\n"
        let migration = try #require(CatalogFixture.load(["1_a.sql": text]).migrations.first)
        #expect(migration.up.sql == "SELECT 1;\r\n")
        #expect(migration.down?.sql == "SELECT 2;\r\n")
        #expect(migration.down?.firstLine == 4)
    }

    @Test(arguments: ["--migrate:up", "-- migrate:up   ", "--   migrate:up"])
    func markerSpellingsDbmateAccepts(marker: String) throws {
        let migration = try #require(CatalogFixture.load(["1_a.sql": "\(marker)\nSELECT 1;\n"]).migrations.first)
        #expect(migration.up.sql == "SELECT 1;\n")
    }

    @Test func markerLookalikesAreComments() throws {
        let text = "-- migrate:up\nSELECT 1;\n-- migrate:downgrade notes\n  -- migrate:down (indented, a comment)\n"
        let migration = try #require(CatalogFixture.load(["1_a.sql": text]).migrations.first)
        #expect(migration.down == nil)
        #expect(migration.up.sql == text.split(separator: "\n", maxSplits: 1)[1])
    }

    @Test(arguments: [MigrationFormat.native, .dbmate])
    func dbmateTransactionOption(format: MigrationFormat) throws {
        let text = "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (c);\n-- migrate:down\nDROP INDEX i;\n"
        let catalog = try CatalogFixture.load(["20251103170000_index.sql": text], format: format)
        let migration = try #require(catalog.migrations.first)
        #expect(catalog.format == format)
        #expect(migration.up.directives.transactional == false)
        #expect(migration.down?.directives.transactional == true)
        #expect(migration.up.firstLine == 2)
    }

    @Test func emptyFolderHasNoMigrations() throws {
        let catalog = try CatalogFixture.load([:])
        #expect(catalog.migrations.isEmpty)
        #expect(catalog.format == .native)
    }

    @Test func byteOrderMarkIsNotPartOfTheText() throws {
        let migration = try #require(CatalogFixture.load(["1_a.sql": "\u{FEFF}-- migrate:up\nSELECT 1;\n"]).migrations.first)
        #expect(migration.up.sql == "SELECT 1;\n")
    }
}
