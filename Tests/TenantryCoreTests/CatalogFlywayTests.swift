import Testing

@testable import TenantryCore

@Suite("Catalog: Flyway format")
struct CatalogFlywayTests {
    @Test func readsVersionedAndUndoFiles() throws {
        let catalog = try CatalogFixture.load([
            "V1__create_wells.sql": "CREATE TABLE wells (id int);\n",
            "U1__create_wells.sql": "DROP TABLE wells;\n",
            "V1_2__add_name.sql": "-- tenantry:statement-timeout 1min\nALTER TABLE wells ADD name text;\n",
            "V1.10__add_index.sql": "SELECT 10;\n",
            "V2__later.sql": "SELECT 2;\n",
        ])
        #expect(catalog.format == .flyway)
        #expect(catalog.migrations.map(\.version.text) == ["1", "1.2", "1.10", "2"])
        #expect(catalog.migrations.map(\.name) == ["create_wells", "add_name", "add_index", "later"])
        let wells = catalog.migrations[0]
        #expect(wells.file == "V1__create_wells.sql")
        var up = MigrationScript(sql: "CREATE TABLE wells (id int);\n", file: "V1__create_wells.sql", firstLine: 1)
        up.importedFrom = .flyway
        var down = MigrationScript(sql: "DROP TABLE wells;\n", file: "U1__create_wells.sql", firstLine: 1)
        down.importedFrom = .flyway
        #expect(wells.up == up)
        #expect(wells.down == down)
        #expect(catalog.migrations[1].up.directives.statementTimeout == "1min")
        #expect(catalog.migrations[1].down == nil)
    }

    @Test(arguments: [("V1_2__x.sql", "1.2"), ("V1.2__x.sql", "1.2"), ("V001__x.sql", "001"), ("V2025_11_03__x.sql", "2025.11.03")])
    func versionsUseDots(file: String, version: String) throws {
        let catalog = try CatalogFixture.load([file: "SELECT 1;"])
        #expect(catalog.migrations.map(\.version.text) == [version])
        #expect(catalog.migrations.map(\.name) == ["x"])
    }

    @Test func underscoreAndDotSpellingsAreTheSameVersion() throws {
        let error = try CatalogFixture.error(["V1_2__a.sql": "", "V1.2__b.sql": ""])
        #expect(error.message.hasSuffix(": V1.2__b.sql and V1_2__a.sql"))
    }

    @Test func repeatablesComeAfterTheVersionedOnesByName() throws {
        let catalog = try CatalogFixture.load(["V1__a.sql": "SELECT 1;", "R__views.sql": "CREATE VIEW v AS SELECT 1;",
                                               "R__functions.sql": "SELECT 2;", "V20__b.sql": "SELECT 20;"])
        #expect(catalog.migrations.map(\.version.text) == ["1", "20", "R__functions", "R__views"])
        #expect(catalog.migrations[3].file == "R__views.sql" && catalog.migrations[3].name == "views" && catalog.migrations[3].down == nil)
        #expect(catalog.migrations[3].version.isRepeatable && !catalog.migrations[1].version.isRepeatable)
        #expect(MigrationVersion("R__views") == catalog.migrations[3].version && MigrationVersion("R__") == nil)
        // Flyway's order is by description, where "a_b" reads "a b": before "aB".
        #expect(try #require(MigrationVersion("R__a_b")) < #require(MigrationVersion("R__aB")))
    }

    @Test func orphanUndoIsAnError() throws {
        let error = try CatalogFixture.error(["V1__a.sql": "", "U2__b.sql": ""])
        #expect(error.message.hasPrefix("U2__b.sql: an undo migration without its versioned file"))
    }

    @Test(arguments: ["V1_x.sql", "Vx__y.sql", "init.sql", "V1..2__x.sql", "v2__lower.sql"])
    func otherSQLFileNamesAreErrors(file: String) throws {
        let error = try CatalogFixture.error(["V1__a.sql": "", file: ""], format: .flyway)
        #expect(error.message == "\(file): not a Flyway migration name; expected V<version>__<name>.sql, undo U<version>__<name>.sql, "
            + "repeatable R__<name>.sql (V1__create_wells.sql, V1.2__add_index.sql)")
    }
}
