import Foundation
import Testing
import TenantryTestSupport

@testable import TenantryCore

@Suite("Catalog: checksums")
struct CatalogChecksumTests {
    static func sha256sum(_ path: String) throws -> String {
        let program = try #require(ExternalProgram.locate("sha256sum"))
        let result = try ExternalProgram.run(program, [path])
        try #require(result.status == 0)
        return String(result.stdout.prefix(64))
    }

    @Test(arguments: [
        ("1_a.sql", "-- migrate:up\r\nSELECT 'é';\r\n-- migrate:down\r\nSELECT 2;", MigrationFormat.native),
        ("1_a.up.sql", "\u{FEFF}SELECT 1;\n", .golangMigrate),
        ("V1__a.sql", "SELECT 1;", .flyway),
    ])
    func equalsSha256sumOfTheFile(file: String, text: String, format: MigrationFormat) throws {
        let fixture = try CatalogFixture([file: text])
        defer { fixture.directory.remove() }
        let migration = try #require(fixture.load(format).migrations.first)
        #expect(migration.checksum == (try Self.sha256sum("\(fixture.path)/\(file)")))
    }

    @Test func changesWhenOneByteChanges() throws {
        let fixture = try CatalogFixture(["1_a.sql": "-- migrate:up\nSELECT 1;\n"])
        defer { fixture.directory.remove() }
        let before = try #require(fixture.load().migrations.first?.checksum)
        try fixture.directory.write("1_a.sql", "-- migrate:up\nSELECT 2;\n")
        let after = try #require(fixture.load().migrations.first?.checksum)
        #expect(before != after)
        #expect(after == (try Self.sha256sum("\(fixture.path)/1_a.sql")))
    }

    @Test func knownDigest() {
        #expect(FileChecksum.sha256(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func golangMigrateChecksumCoversTheUpFileOnly() throws {
        let fixture = try CatalogFixture(["1_a.up.sql": "SELECT 1;", "1_a.down.sql": "SELECT 0;"])
        defer { fixture.directory.remove() }
        let before = try #require(fixture.load().migrations.first?.checksum)
        try fixture.directory.write("1_a.down.sql", "SELECT -1;")
        #expect(try fixture.load().migrations.first?.checksum == before)
        #expect(before == (try Self.sha256sum("\(fixture.path)/1_a.up.sql")))
    }
}
