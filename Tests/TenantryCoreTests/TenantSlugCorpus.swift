@testable import TenantryCore

/// A slug that must be refused, with the exact message (and hint, when there is one) it must get.
struct BadSlug: Sendable, CustomStringConvertible {
    let raw: String
    let message: String
    var hint: String?

    init(_ raw: String, _ message: String, hint: String? = nil) {
        self.raw = raw
        self.message = message
        self.hint = hint
    }

    // Test names show the input escaped, never a raw NUL or 10 000 characters.
    var description: String { UntrustedText.quoted(raw) }
}

enum TenantSlugCorpus {
    static let allowed = "a slug may contain only lower-case letters a-z, digits 0-9 and hyphens"
    static let reservedHint = "reserved slugs: postgres, template0, template1, public, tenantry, information_schema, master and anything starting with pg- or pg_; choose another"
    static let underscoreHint = "use a hyphen instead: names turn hyphens into underscores"

    static func character(_ shown: String, _ what: String, at position: Int) -> String {
        "the tenant slug '\(shown)' contains \(what) at position \(position); \(allowed)"
    }

    static func reserved(_ raw: String) -> BadSlug {
        BadSlug(raw, "the tenant slug '\(raw)' is reserved", hint: reservedHint)
    }

    static let bad: [BadSlug] = [
        // Empty and too long.
        BadSlug("", "a tenant slug cannot be empty; use 1 to 40 lower-case letters, digits and hyphens, starting with a letter"),
        BadSlug(String(repeating: "a", count: 41),
                "the tenant slug '\(String(repeating: "a", count: 41))' is 41 characters long; a slug has at most 40"),
        BadSlug(String(repeating: "b", count: 100),
                "the tenant slug '\(String(repeating: "b", count: 60))...' is 100 characters long; a slug has at most 40"),
        BadSlug(String(repeating: "c", count: 10_000),
                "the tenant slug '\(String(repeating: "c", count: 60))...' is 10000 characters long; a slug has at most 40"),
        BadSlug(String(repeating: "\u{0}", count: 50),
                "the tenant slug '\(String(repeating: #"\u{0}"#, count: 12))...' is 50 characters long; a slug has at most 40"),
        // Injection attempts and punctuation.
        BadSlug(#"x"; DROP DATABASE y"#, character(#"x"; DROP DATABASE y"#, #"'"' (U+0022)"#, at: 2)),
        BadSlug("a'b", character("a'b", "''' (U+0027)", at: 2)),
        BadSlug("'; DROP SCHEMA public; --", character("'; DROP SCHEMA public; --", "''' (U+0027)", at: 1)),
        BadSlug(#"a"b"#, character(#"a"b"#, #"'"' (U+0022)"#, at: 2)),
        BadSlug("a`b", character("a`b", "'`' (U+0060)", at: 2)),
        BadSlug(#"a\b"#, character(#"a\\b"#, #"'\' (U+005C)"#, at: 2)),
        BadSlug(#"a\u{0}b"#, character(#"a\\u{0}b"#, #"'\' (U+005C)"#, at: 2)),
        BadSlug("a;b", character("a;b", "';' (U+003B)", at: 2)),
        BadSlug("a$b", character("a$b", "'$' (U+0024)", at: 2)),
        BadSlug("a.b", character("a.b", "'.' (U+002E)", at: 2)),
        BadSlug("a/b", character("a/b", "'/' (U+002F)", at: 2)),
        BadSlug("../etc", character("../etc", "'.' (U+002E)", at: 1)),
        BadSlug("a_b", character("a_b", "an underscore '_'", at: 2), hint: underscoreHint),
        // Control and invisible characters: escaped in the echo, named by code point.
        BadSlug("a\u{0}b", character(#"a\u{0}b"#, "a NUL byte (U+0000)", at: 2)),
        BadSlug("acme\n", character(#"acme\u{a}"#, "a line break (U+000A)", at: 5)),
        BadSlug("a\r\nb", character(#"a\u{d}\u{a}b"#, "a line break (U+000D U+000A)", at: 2)),
        BadSlug("a\tb", character(#"a\u{9}b"#, "a tab (U+0009)", at: 2)),
        BadSlug("\u{1B}[31mred", character(#"\u{1b}[31mred"#, "the invisible character U+001B", at: 1)),
        BadSlug("acme\u{7F}", character(#"acme\u{7f}"#, "the invisible character U+007F", at: 5)),
        BadSlug("ac\u{200B}me", character(#"ac\u{200b}me"#, "the invisible character U+200B", at: 3)),
        BadSlug("acme\u{202E}lmx", character(#"acme\u{202e}lmx"#, "the invisible character U+202E", at: 5)),
        BadSlug("a\u{A0}b", character(#"a\u{a0}b"#, "the invisible character U+00A0", at: 2)),
        // Spaces.
        BadSlug("a b", character("a b", "a space", at: 2)),
        BadSlug(" acme", character(" acme", "a space", at: 1)),
        BadSlug("acme ", character("acme ", "a space", at: 5)),
        // Non-ASCII, emoji and look-alikes.
        BadSlug("café", character("café", "the non-ASCII character 'é' (U+00E9)", at: 4)),
        BadSlug("cafe\u{301}", character("cafe\u{301}", "the non-ASCII character 'e\u{301}' (U+0065 U+0301)", at: 4)),
        BadSlug("\u{430}cme", character("\u{430}cme", "the non-ASCII character '\u{430}' (U+0430)", at: 1)),
        BadSlug("ac\u{43C}e", character("ac\u{43C}e", "the non-ASCII character '\u{43C}' (U+043C)", at: 3)),
        BadSlug("acme🚀", character("acme🚀", "the non-ASCII character '🚀' (U+1F680)", at: 5)),
        BadSlug("ｇｏｏｄ", character("ｇｏｏｄ", "the non-ASCII character 'ｇ' (U+FF47)", at: 1)),
        // Shape: first character, hyphens.
        BadSlug("1acme", "the tenant slug '1acme' starts with '1' (U+0031); a slug must start with a letter a-z"),
        BadSlug("0", "the tenant slug '0' starts with '0' (U+0030); a slug must start with a letter a-z"),
        BadSlug("-acme", "the tenant slug '-acme' starts with '-' (U+002D); a slug must start with a letter a-z"),
        BadSlug("-", "the tenant slug '-' starts with '-' (U+002D); a slug must start with a letter a-z"),
        BadSlug("acme-", "the tenant slug 'acme-' ends with a hyphen; a hyphen must be followed by a letter or digit"),
        BadSlug("a--b", "the tenant slug 'a--b' has two hyphens in a row; use single hyphens between letters and digits"),
        BadSlug("north---wind", "the tenant slug 'north---wind' has two hyphens in a row; use single hyphens between letters and digits"),
        // Upper case: refused with the lower-case form, never folded.
        BadSlug("Acme", "the tenant slug 'Acme' contains upper-case letters; slugs are lower case",
                hint: "use 'acme': Tenantry does not change the case for you, the slug is the id exactly as typed"),
        BadSlug("NORTH-WIND-2", "the tenant slug 'NORTH-WIND-2' contains upper-case letters; slugs are lower case",
                hint: "use 'north-wind-2': Tenantry does not change the case for you, the slug is the id exactly as typed"),
        BadSlug("A_B", character("A_B", "an underscore '_'", at: 2), hint: underscoreHint),
        BadSlug("1ACME", "the tenant slug '1ACME' starts with '1' (U+0031); a slug must start with a letter a-z"),
        // Reserved words, compared ignoring case and with hyphens read as underscores.
        reserved("postgres"),
        reserved("template0"),
        reserved("template1"),
        reserved("public"),
        reserved("tenantry"),
        reserved("information_schema"),
        reserved("information-schema"),
        reserved("master"),
        reserved("Postgres"),
        reserved("MASTER"),
        BadSlug("pg_x", "the tenant slug 'pg_x' starts with 'pg_', which PostgreSQL reserves for its own names; a slug may not start with pg- or pg_"),
        BadSlug("pg-x", "the tenant slug 'pg-x' starts with 'pg-', which PostgreSQL reserves for its own names; a slug may not start with pg- or pg_"),
        BadSlug("pg_catalog", "the tenant slug 'pg_catalog' starts with 'pg_', which PostgreSQL reserves for its own names; a slug may not start with pg- or pg_"),
        BadSlug("PG-Toast", "the tenant slug 'PG-Toast' starts with 'PG-', which PostgreSQL reserves for its own names; a slug may not start with pg- or pg_"),
    ]
}
