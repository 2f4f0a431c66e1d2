import Testing

@testable import TenantryCore

@Suite("tenant list files")
struct TenantListFileTests {
    @Test(arguments: ["acme\r\nglobex,Globex Inc.,gold\r\n", "acme\rglobex,Globex Inc.,gold\r", "acme\nglobex,Globex Inc.,gold\n"])
    func everyLineEndingIsRead(text: String) throws {
        let file = try TenantListFile.parse(text, file: "tenants.txt")
        #expect(file.entries.map(\.slug.value) == ["acme", "globex"])
        #expect(file.entries[1].name == "Globex Inc." && file.entries[1].tier == "gold")
        #expect(file.entries.map(\.line) == [1, 2])
    }

    @Test(arguments: ["acme,Acme\u{0}Corp", "acme,Acme,gold\u{1b}[31m", "acme,\u{7f}"])
    func controlCharactersInANameOrTierAreRefusedUpFront(text: String) throws {
        let error = try #require(throws: TenantryError.self) { try TenantListFile.parse(text + "\nglobex\n", file: "t.csv") }
        #expect(error.message.contains("t.csv:1") && error.message.contains("control character"), "\(error.message)")
    }
}
