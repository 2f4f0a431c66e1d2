import Testing
@testable import TenantryCore

@Suite("SCRAM verifier")
struct ScramVerifierTests {
    /// Verifiers PostgreSQL 15 stored for `CREATE ROLE x PASSWORD '<password>'` with password_encryption=scram-sha-256.
    static let vectors: [(password: String, stored: String)] = [
        ("pencil", "SCRAM-SHA-256$4096:yEuURXKbAks69gvbiHf+Xw==$Kh4Jydy3adGDTsv+zTiqJm7vh4HGDs8bG71GBn0ADMQ=:XCCq/QCbANKKfHVfuG00mBuYplpnBqtXWKgFdPl8ngI="),
        ("Canary-Qz7x", "SCRAM-SHA-256$4096:vR0OiEkF6dRNhzOlYWGOlA==$3KUVbtx0c1I43E40innwi1f9XmndCt/fTMSO9hu8h1s=:0XdHGy41JeAqqRDbNVAFQ02o9N5DC0GS96KK7DSOGw8="),
        // Non-ASCII: SASLprep applies (NFKC turns the full-width letters into "pass").
        ("pässwörd", "SCRAM-SHA-256$4096:IRF2FqCbZ3x7NqqA5sN57w==$K5OsW2ZOxOXVO/NqCH/Ua/mlo3VrRja0JW6rRFpPWsc=:vTTAeafDLQ3z1y2j+EdjVcTWzHfKGcnsM4iwg5U0boo="),
        ("ｐａｓｓ", "SCRAM-SHA-256$4096:kbMxSqIS5w+mUPgQveBaNw==$wJpoM82r2e5kFLHJ41a3Rj2DIhSQb0jzq9z+0b38ErQ=:5xejBXWkCcspkKMiOjWThURydsGHoHDRa3Y0tewskKQ="),
    ]

    @Test(arguments: vectors)
    func sameSaltGivesPostgreSQLsVerifier(password: String, stored: String) throws {
        let parsed = try #require(ScramVerifier(parsing: stored))
        #expect(parsed.iterations == 4096)
        #expect(ScramVerifier(password: password, salt: parsed.salt, iterations: parsed.iterations).text == stored)
        #expect(parsed.matches(password: password))
        #expect(!parsed.matches(password: password + "x"))
    }

    @Test func fullWidthAndPlainPasswordsShareTheirNormalizedForm() {
        let salt = Array(repeating: UInt8(7), count: 16)
        #expect(ScramVerifier(password: "ｐａｓｓ", salt: salt) == ScramVerifier(password: "pass", salt: salt))
    }

    @Test func generatedVerifiersHaveFreshSaltsAndParseBack() throws {
        let first = ScramVerifier.generate(password: "s3cret")
        let second = ScramVerifier.generate(password: "s3cret")
        #expect(first.salt.count == ScramVerifier.saltBytes)
        #expect(first.salt != second.salt)
        let parsed = try #require(ScramVerifier(parsing: first.text))
        #expect(parsed == first)
        #expect(parsed.matches(password: "s3cret"))
        #expect(!first.text.contains("s3cret"))
        #expect("\(first)" == ScramVerifier.shown)
    }

    @Test(arguments: ["md5" + String(repeating: "a", count: 32), "plain", "SCRAM-SHA-256$4096:abc", "SCRAM-SHA-256$x:AAAA$AAAA:AAAA", ""])
    func otherStoredPasswordsAreNotVerifiers(text: String) {
        #expect(ScramVerifier(parsing: text) == nil)
    }

    @Test func theVerifierIsAlwaysASafeLiteral() throws {
        let verifier = ScramVerifier.generate(password: "it's a \\ test")
        #expect(verifier.literal.quoted == "'\(verifier.text)'")
    }

    @Test(arguments: ["it's", "back\\slash", "naïve", "line\nbreak"])
    func literalsRefuseQuotesBackslashesAndNonASCII(text: String) {
        #expect(throws: TenantryError.self) { try SQLLiteral(text) }
    }
}
