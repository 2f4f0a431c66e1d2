import Testing

@testable import TenantryCore

@Suite("TenantNaming patterns")
struct TenantNamingPatternTests {
    static let placeholders = "the placeholders are {slug} and {hash}"
    static let literal = "literal text may only be lower-case letters a-z, digits 0-9 and '_'"

    struct BadPattern: Sendable, CustomStringConvertible {
        let pattern: String
        let message: String
        var hint: String?
        var description: String { UntrustedText.quoted(pattern) }
    }

    @Test(arguments: [
        BadPattern(pattern: "", message: "the naming pattern is empty; it needs at least one placeholder, {slug} and {hash}",
                   hint: "the default is 't_{hash}'"),
        BadPattern(pattern: "tenant",
                   message: "the naming pattern 'tenant' has no placeholder, so every tenant would get the same name; add {slug} or {hash}",
                   hint: "for example 'tenant_{slug}' or 'tenant_{hash}'"),
        BadPattern(pattern: "{hash}", message: "the naming pattern '{hash}' starts with {hash}, which may start with a digit; a name must start with a letter",
                   hint: "use 't_{hash}'"),
        BadPattern(pattern: "{hash}_{slug}",
                   message: "the naming pattern '{hash}_{slug}' starts with {hash}, which may start with a digit; a name must start with a letter",
                   hint: "use 't_{hash}_{slug}'"),
        BadPattern(pattern: "1_{slug}", message: "the naming pattern '1_{slug}' starts with '1'; a name must start with a letter or {slug}",
                   hint: "use 't_1_{slug}'"),
        BadPattern(pattern: "_{slug}", message: "the naming pattern '_{slug}' starts with '_'; a name must start with a letter or {slug}",
                   hint: "use 't_{slug}'"),
        BadPattern(pattern: "pg_{slug}", message: "the naming pattern 'pg_{slug}' starts with 'pg_', which PostgreSQL reserves for its own names",
                   hint: "use another prefix, such as 't_' or 'tenant_'"),
        BadPattern(pattern: "t_{tenant}", message: "the naming pattern 't_{tenant}' uses the unknown placeholder '{tenant}'; \(placeholders)"),
        BadPattern(pattern: "t_{id}_{slug}", message: "the naming pattern 't_{id}_{slug}' uses the unknown placeholder '{id}'; \(placeholders)"),
        BadPattern(pattern: "t_{SLUG}", message: "the naming pattern 't_{SLUG}' uses the unknown placeholder '{SLUG}'; \(placeholders)",
                   hint: "placeholders are lower case: {slug}"),
        BadPattern(pattern: "t_{}", message: "the naming pattern 't_{}' uses the unknown placeholder '{}'; \(placeholders)"),
        BadPattern(pattern: "t_{{hash}}", message: "the naming pattern 't_{{hash}}' uses the unknown placeholder '{{hash}'; \(placeholders)"),
        BadPattern(pattern: "t_{slug", message: "the naming pattern 't_{slug' has '{' at position 3 without a closing '}'; \(placeholders)"),
        BadPattern(pattern: "t_{hash}}", message: "the naming pattern 't_{hash}}' contains '}' (U+007D) at position 9; \(literal)",
                   hint: "'}' closes a placeholder, and there is no '{' before it"),
        BadPattern(pattern: "t-{slug}", message: "the naming pattern 't-{slug}' contains '-' (U+002D) at position 2; \(literal)",
                   hint: "use '_': hyphens would need quoting in every SQL statement"),
        BadPattern(pattern: "T_{hash}", message: "the naming pattern 'T_{hash}' contains 'T' (U+0054) at position 1; \(literal)",
                   hint: "use 't': unquoted names are lower case in PostgreSQL"),
        BadPattern(pattern: "t {slug}", message: "the naming pattern 't {slug}' contains a space at position 2; \(literal)"),
        BadPattern(pattern: #"t"{slug}"#, message: #"the naming pattern 't"{slug}' contains '"' (U+0022) at position 2; "# + literal),
        BadPattern(pattern: "t\u{0}{slug}", message: #"the naming pattern 't\u{0}{slug}' contains a NUL byte (U+0000) at position 2; "# + literal),
        BadPattern(pattern: "{slug}_é", message: "the naming pattern '{slug}_é' contains the non-ASCII character 'é' (U+00E9) at position 8; \(literal)"),
        BadPattern(pattern: String(repeating: "a", count: 63) + "{slug}",
                   message: "the naming pattern '\(String(repeating: "a", count: 60))...' leaves no room for a slug: its literal text and hashes take 63 bytes, and names have at most 63",
                   hint: "shorten the literal text"),
        BadPattern(pattern: String(repeating: "b", count: 40) + "{hash}{hash}",
                   message: "the naming pattern '\(String(repeating: "b", count: 40)){hash}{hash}' gives names of 64 bytes; names have at most 63",
                   hint: "shorten the literal text"),
    ])
    func badPatternIsRefusedWithItsMessage(_ bad: BadPattern) throws {
        let error = try #require(throws: TenantryError.self) { try TenantNaming(pattern: bad.pattern) }
        #expect(error.message == bad.message)
        #expect(error.hint == bad.hint)
        #expect(error.exitCode == 64)
        #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    @Test(arguments: ["t_{hash}", "{slug}_app", "tenant_{slug}", "{slug}", "x_{slug}_{hash}", "{slug}{hash}", "t{hash}", "pg{hash}", "a1_{slug}"])
    func goodPatternIsAccepted(_ pattern: String) throws {
        #expect(try TenantNaming(pattern: pattern).pattern == pattern)
    }

    @Test func configDefaultIsAValidPattern() throws {
        let naming = try TenantNaming(pattern: Config.Tenants().naming)
        #expect(naming.pattern == "t_{hash}")
        #expect(naming.maxSlugLength == 40)
    }
}
