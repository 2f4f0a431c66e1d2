import Foundation
import Testing
import TenantryTestSupport

@testable import TenantryCore

@Suite("Seeds: catalog")
struct SeedCatalogTests {
    @Test func readsSqlFilesInNameOrderWithChecksums() throws {
        let folder = try TemporaryDirectory("tenantry-seeds")
        defer { folder.remove() }
        try folder.write("002_users.sql", "INSERT INTO users VALUES (${tenant.id});\n")
        try folder.write("001_admins.sql", "SELECT 1;\n")
        try folder.write("README.md", "not a seed")
        try folder.write(".hidden.sql", "SELECT 2;")
        let catalog = try SeedCatalog.load(directory: folder.path)
        #expect(catalog.seeds.map(\.file) == ["001_admins.sql", "002_users.sql"])
        #expect(catalog.seeds.map(\.name) == ["001_admins", "002_users"])
        #expect(catalog.seeds[1].sql == "INSERT INTO users VALUES (${tenant.id});\n")
        #expect(catalog.seeds[0].checksum == (try Self.sha256sum("\(folder.path)/001_admins.sql")))
        #expect(catalog.seeds[0].checksum != catalog.seeds[1].checksum)
    }

    @Test func missingFolderHasNoSeeds() throws {
        let catalog = try SeedCatalog.load(directory: "/nonexistent/tenantry/seeds/tenant")
        #expect(catalog.seeds.isEmpty)
    }

    @Test func aFileInsteadOfAFolderIsAnError() throws {
        let folder = try TemporaryDirectory("tenantry-seeds")
        defer { folder.remove() }
        let file = try folder.write("seeds", "x")
        #expect(throws: TenantryError.self) { try SeedCatalog.load(directory: file) }
    }

    static func sha256sum(_ path: String) throws -> String {
        let program = try #require(ExternalProgram.locate("sha256sum"))
        let result = try ExternalProgram.run(program, [path])
        return String(result.stdout.prefix(64))
    }
}
