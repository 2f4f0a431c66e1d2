import Testing

@testable import TenantryCore

@Suite("TenantNaming names")
struct TenantNamingTests {
    // Hashes checked independently: printf acme | sha256sum | cut -c1-12
    @Test(arguments: [
        ("t_{hash}", "acme", "t_822b33ad87c1"),
        ("t_{hash}", "wellos", "t_40af0d7dba8d"),
        ("t_{hash}", "my-shop-2", "t_81d0d55d3b84"),
        ("{slug}_app", "acme", "acme_app"),
        ("{slug}_app", "north-wind", "north_wind_app"),
        ("tenant_{slug}", "demo", "tenant_demo"),
        ("tenant_{slug}", "my-shop-2", "tenant_my_shop_2"),
        ("{slug}", "wellos", "wellos"),
        ("{slug}", "north-wind", "north_wind"),
        ("x_{slug}_{hash}", "acme", "x_acme_822b33ad87c1"),
        ("x_{slug}_{hash}", "north-wind", "x_north_wind_8fd119bc669b"),
        ("{slug}{hash}", "demo", "demo2a97516c354b"),
        ("{slug}_{slug}", "a-b", "a_b_a_b"),
        ("db2_{hash}_{slug}", "a", "db2_ca978112ca1b_a"),
    ])
    func patternGivesTheExactName(pattern: String, slug: String, expected: String) throws {
        let naming = try TenantNaming(pattern: pattern)
        let name = try naming.name(for: TenantSlug(slug))
        #expect(name.name == expected)
        // Plain lower-case identifiers: quoting only wraps them, it never has to escape anything.
        #expect(name.quoted == "\"\(expected)\"")
        #expect(naming.pattern == pattern)
    }

    @Test(arguments: [
        ("t_{hash}", 40),
        ("{slug}_app", 40),
        ("tenant_{slug}", 40),
        ("{slug}", 40),
        ("x_{slug}_{hash}", 40),
        ("tenant_database_for_customer_{slug}_{hash}", 21), // 29 + 1 + 12 = 42 fixed bytes
        ("{slug}_{slug}", 31),                              // 2 × 31 + 1 = 63
        ("{slug}{slug}{slug}", 21),
        ("abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_{slug}", 9),
        (String(repeating: "a", count: 62) + "{slug}", 1),
        (String(repeating: "a", count: 51) + "{hash}", 40),
    ])
    func maxSlugLengthKeepsNamesWithin63Bytes(pattern: String, expected: Int) throws {
        let naming = try TenantNaming(pattern: pattern)
        #expect(naming.maxSlugLength == expected)

        let longest = try TenantSlug("k" + String(repeating: "7", count: expected - 1))
        let name = try naming.name(for: longest)
        #expect(name.name.utf8.count <= 63)
        try naming.validate(longest)

        let longer = "k" + String(repeating: "7", count: expected)
        if expected < TenantSlug.maxLength {
            let slug = try TenantSlug(longer)
            let error = try #require(throws: TenantryError.self) { try naming.name(for: slug) }
            #expect(error.message == "the tenant slug '\(longer)' is \(expected + 1) characters long; with the naming pattern \(UntrustedText.quoted(pattern)) a slug has at most \(expected), so that names fit in 63 bytes")
            #expect(error.hint == "choose a shorter slug, or a pattern with less fixed text")
            #expect(error.exitCode == 64)
            #expect(throws: TenantryError.self) { try naming.validate(slug) }
        } else {
            // The slug rules already stop it.
            #expect(throws: TenantryError.self) { try TenantSlug(longer) }
        }
    }

    @Test func slugsOfEveryLengthFitForPatternsWithTwoSlugs() throws {
        let naming = try TenantNaming(pattern: "{slug}_{slug}")
        for length in 1...naming.maxSlugLength {
            let name = try naming.name(for: TenantSlug("s" + String(repeating: "-x", count: (length - 1) / 2) + String(repeating: "y", count: (length - 1) % 2)))
            #expect(name.name.utf8.count == 2 * length + 1)
        }
    }

    @Test(arguments: [
        ("{slug}_app", "pg", "pg_app"),
        ("{slug}_catalog", "pg", "pg_catalog"),
        ("post{slug}", "gres", "postgres"),
        ("templat{slug}", "e0", "template0"),
        ("informat{slug}", "ion-schema", "information_schema"),
        ("tenant{slug}", "ry", "tenantry"),
        ("p{slug}", "g-x", "pg_x"),
    ])
    func namesThatPostgresOrTenantryReserveAreRefused(pattern: String, slug: String, name: String) throws {
        let naming = try TenantNaming(pattern: pattern)
        let tenant = try TenantSlug(slug)
        let error = try #require(throws: TenantryError.self) { try naming.name(for: tenant) }
        #expect(error.message == "the naming pattern '\(pattern)' turns the tenant slug '\(slug)' into '\(name)', a name PostgreSQL or Tenantry reserves")
        #expect(error.hint == "choose another slug")
        #expect(error.exitCode == 64)
        #expect(throws: TenantryError.self) { try naming.validate(tenant) }
    }

    @Test func hashIsTheFirstTwelveHexDigitsOfSHA256() throws {
        #expect(try NamingPattern.hash(of: TenantSlug("acme")) == "822b33ad87c1")
        #expect(try NamingPattern.hash(of: TenantSlug("demo")) == "2a97516c354b")
    }
}
