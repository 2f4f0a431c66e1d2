import Testing

@testable import TenantryCore

@Suite("SQLIdentifier")
struct SQLIdentifierTests {
    @Test(arguments: [
        ("tenant_acme", #""tenant_acme""#),
        ("MixedCase", #""MixedCase""#),
        ("with space", #""with space""#),
        (#"x"; DROP DATABASE y"#, #""x""; DROP DATABASE y""#),
        ("\"", "\"\"\"\""),
        (#"a""b"#, #""a""""b""#),
        ("it's", #""it's""#),
        ("t_ü", #""t_ü""#),
    ])
    func quotingDoublesEmbeddedQuotes(name: String, quoted: String) throws {
        let identifier = try SQLIdentifier(name)
        #expect(identifier.quoted == quoted)
        #expect(identifier.name == name)
        #expect(identifier.description == name)
    }

    @Test func emptyNameIsRefused() throws {
        let error = try #require(throws: TenantryError.self) { try SQLIdentifier("") }
        #expect(error.message == "an empty name is not a valid PostgreSQL identifier")
        #expect(error.exitCode == 64)
    }

    @Test func nulByteIsRefusedAndEscapedInTheMessage() throws {
        let error = try #require(throws: TenantryError.self) { try SQLIdentifier("bad\u{0}name") }
        #expect(error.message == #"the name 'bad\u{0}name' contains a NUL byte"#)
        #expect(!error.message.utf8.contains(0))
        #expect(error.hint == "use letters, digits and underscores")
        #expect(error.exitCode == 64)
    }

    @Test(arguments: [
        (String(repeating: "a", count: 63), true),
        (String(repeating: "a", count: 64), false),
        // "é" is 2 bytes in UTF-8: 31 × 2 + 1 = 63 bytes, but only 32 characters.
        (String(repeating: "é", count: 31) + "a", true),
        (String(repeating: "é", count: 32), false),
        // "€" is 3 bytes: 21 × 3 = 63, 22 × 3 = 66 (only 22 characters).
        (String(repeating: "€", count: 21), true),
        (String(repeating: "€", count: 22), false),
    ])
    func lengthIsCountedInBytes(name: String, accepted: Bool) throws {
        if accepted {
            #expect(try SQLIdentifier(name).name == name)
        } else {
            let error = try #require(throws: TenantryError.self) { try SQLIdentifier(name) }
            #expect(error.message.contains("is \(name.utf8.count) bytes; PostgreSQL allows at most 63"))
            #expect(error.hint == "choose a shorter name")
            #expect(error.exitCode == 64)
        }
    }

    @Test func longNameMessageIsShortened() throws {
        let name = String(repeating: "x", count: 200)
        let error = try #require(throws: TenantryError.self) { try SQLIdentifier(name) }
        #expect(error.message == "the name '\(String(repeating: "x", count: 77))...' is 200 bytes; PostgreSQL allows at most 63")
    }

    @Test func controlCharactersAreEscapedInMessages() throws {
        let name = "evil\n\u{1B}[31mred\u{7F}\t" + String(repeating: "z", count: 60)
        let error = try #require(throws: TenantryError.self) { try SQLIdentifier(name) }
        #expect(error.message.hasPrefix(#"the name 'evil\u{a}\u{1b}[31mred\u{7f}\u{9}zz"#))
        #expect(!error.message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
    }

    @Test(arguments: [
        ("plain", "'plain'"),
        ("tab\there", #"'tab\u{9}here'"#),
        ("cr\r\n", #"'cr\u{d}\u{a}'"#),
        ("bell\u{7}", #"'bell\u{7}'"#),
        ("del\u{7F}", #"'del\u{7f}'"#),
        ("ünïcode", "'ünïcode'"),
    ])
    func printableEscapesControlCharacters(name: String, shown: String) {
        #expect(SQLIdentifier.printable(name) == shown)
    }

    @Test func identifiersWithTheSameNameAreEqual() throws {
        #expect(try SQLIdentifier("a") == SQLIdentifier("a"))
        #expect(try SQLIdentifier("a") != SQLIdentifier("A"))
    }
}
