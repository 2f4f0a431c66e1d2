import Foundation
import Testing
import TenantryTestSupport

@testable import TenantryCore

@Suite("Catalog: errors")
struct CatalogErrorTests {
    @Test func missingFolder() throws {
        let path = "/tmp/tenantry-catalog-missing-\(UUID().uuidString)"
        let error = try #require(throws: TenantryError.self) { try MigrationCatalog.load(directory: path) }
        #expect(error.message == "migrations folder \(path) does not exist")
        #expect(error.hint?.contains("tenantry init") == true)
        #expect(error.hint?.contains("master.migrations") == true)
        #expect(error.exitCode == 2)
    }

    @Test func folderThatIsAFile() throws {
        let fixture = try CatalogFixture(["1_a.sql": ""])
        defer { fixture.directory.remove() }
        let path = "\(fixture.path)/1_a.sql"
        let error = try #require(throws: TenantryError.self) { try MigrationCatalog.load(directory: path) }
        #expect(error.message == "migrations folder \(path) is a file, not a folder")
    }

    @Test(arguments: [
        (["001_a.sql": "-- migrate:up\n", "1_b.sql": "-- migrate:up\n"], "001_a.sql and 1_b.sql"),
        (["20251103170000_a.sql": "-- migrate:up\n", "20251103170000_b.sql": "-- migrate:up\n"],
         "20251103170000_a.sql and 20251103170000_b.sql"),
        // The first duplicate is reported, by its first two files, whatever the folder lists first.
        (["3_z.sql": "-- migrate:up\n", "2_y.sql": "-- migrate:up\n", "2_x.sql": "-- migrate:up\n", "3_a.sql": "-- migrate:up\n", "02_w.sql": "-- migrate:up\n"],
         "02_w.sql and 2_x.sql"),
        (["000002_b.up.sql": "", "000001_a.up.sql": "", "1_c.up.sql": ""], "000001_a.up.sql and 1_c.up.sql"),
    ])
    func duplicateVersionsNameBothFiles(files: [String: String], names: String) throws {
        let fixture = try CatalogFixture(files)
        defer { fixture.directory.remove() }
        let error = try #require(throws: TenantryError.self) { try fixture.load() }
        #expect(error.message.hasPrefix("duplicate migration version "))
        #expect(error.message.hasSuffix(" in \(fixture.path): \(names)"))
        #expect(error.kind == .setup)
    }

    @Test func directoryNamedLikeAMigration() throws {
        let fixture = try CatalogFixture(["1_a.sql": "-- migrate:up\n", "2_b.sql/inner.txt": "x"])
        defer { fixture.directory.remove() }
        let error = try #require(throws: TenantryError.self) { try fixture.load() }
        #expect(error.message == "cannot read 2_b.sql: it is a directory, not a file")
    }

    @Test(arguments: [MigrationFormat.native, .golangMigrate, .flyway])
    func invalidUTF8(format: MigrationFormat) throws {
        let name = ["native": "1_a.sql", "golang-migrate": "1_a.up.sql", "flyway": "V1__a.sql"][format.rawValue]!
        let fixture = try CatalogFixture([:])
        defer { fixture.directory.remove() }
        FileManager.default.createFile(atPath: "\(fixture.path)/\(name)", contents: Data([0x2d, 0x2d, 0x20, 0xff, 0xfe, 0x0a]))
        let error = try #require(throws: TenantryError.self) { try fixture.load(format) }
        #expect(error.message == "cannot read \(name): it is not valid UTF-8 text")
    }

    @Test(arguments: ["create_wells.sql", "v1_a.sql", "1-a.sql", "1_.sql", "001.sql"])
    func nativeFileNameWithoutVersion(file: String) throws {
        let error = try CatalogFixture.error(["1_a.sql": "-- migrate:up\n", file: "-- migrate:up\n"])
        #expect(error.message == "\(file): not a migration file name; expected VERSION_name.sql, VERSION being digits "
            + "(0001_create_wells.sql, 20251103170000_create_wells.sql)")
    }

    @Test func missingUpMarker() throws {
        let error = try CatalogFixture.error(["1_a.sql": "CREATE TABLE t (id int);\n"])
        #expect(error.message == "1_a.sql: no -- migrate:up line, so there is nothing to apply")
    }

    @Test(arguments: [
        ("-- comment\nCREATE TYPE s AS ENUM ('a');\n-- migrate:up\nSELECT 1;\n", "1_a.sql:2: SQL before -- migrate:up would never run"),
        ("/* block */\n-- migrate:up\n", "1_a.sql:1: SQL before -- migrate:up would never run"),
        ("-- migrate:up\nSELECT 1;\n-- migrate:up\n", "1_a.sql:3: a second -- migrate:up (the first is on line 1)"),
        ("-- migrate:up\n-- migrate:down\n\n-- migrate:down\n", "1_a.sql:4: a second -- migrate:down (the first is on line 2)"),
        ("-- migrate:down\nDROP TABLE t;\n-- migrate:up\n", "1_a.sql:1: -- migrate:down comes before -- migrate:up (line 3)"),
    ])
    func malformedNativeFiles(text: String, message: String) throws {
        let error = try CatalogFixture.error(["1_a.sql": text])
        #expect(error.message == message)
    }
}
