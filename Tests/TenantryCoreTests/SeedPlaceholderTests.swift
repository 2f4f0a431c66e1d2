import Foundation
import Testing

@testable import TenantryCore

@Suite("Seeds: placeholders")
struct SeedPlaceholderTests {
    static func tenant(name: String = "Acme", tier: String? = "gold", schema: String? = nil) -> Tenant {
        Tenant(id: "acme", displayName: name, status: .active, layout: schema == nil ? .database : .schema,
               databaseName: "t_acme", schemaName: schema, tier: tier)
    }

    @Test func substitutesEveryPlaceholderAsALiteral() throws {
        let sql = "INSERT INTO t VALUES (${tenant.id}, ${tenant.name}, ${tenant.tier}, ${tenant.schema}, ${tenant.database});"
        let result = try SeedPlaceholders.substitute(sql, file: "001_a.sql", tenant: Self.tenant(schema: "s_acme"))
        #expect(result == "INSERT INTO t VALUES ('acme', 'Acme', 'gold', 's_acme', 't_acme');")
    }

    @Test func doublesQuotes() throws {
        let result = try SeedPlaceholders.substitute("SELECT ${tenant.name};", file: "a.sql", tenant: Self.tenant(name: "O'Brien's"))
        #expect(result == "SELECT 'O''Brien''s';")
    }

    @Test func missingTierAndSchemaBecomeNull() throws {
        let result = try SeedPlaceholders.substitute("SELECT ${tenant.tier}, ${tenant.schema};", file: "a.sql", tenant: Self.tenant(tier: nil))
        #expect(result == "SELECT NULL, NULL;")
    }

    @Test func backslashesAndLineBreaksUseAnEscapeString() {
        #expect(SeedPlaceholders.literal(#"a\'b"#) == #"E'a\\''b'"#)
        #expect(SeedPlaceholders.literal("a\nb") == #"E'a\nb'"#)
        #expect(SeedPlaceholders.literal("x\u{1}") == #"E'x\x01'"#)
    }

    @Test func unknownPlaceholderNamesFileAndLine() {
        let sql = "SELECT 1;\n-- note\nSELECT ${tenant.plan};\n"
        #expect(throws: TenantryError.self) {
            try SeedPlaceholders.substitute(sql, file: "002_b.sql", tenant: Self.tenant())
        }
        do {
            _ = try SeedPlaceholders.substitute(sql, file: "002_b.sql", tenant: Self.tenant())
        } catch {
            #expect(error.message.contains("002_b.sql:3"))
            #expect(error.message.contains("${tenant.plan}"))
        }
    }

    @Test func refusesNulAndQuotedPlaceholders() {
        #expect(throws: TenantryError.self) {
            try SeedPlaceholders.substitute("SELECT ${tenant.name};", file: "a.sql", tenant: Self.tenant(name: "a\u{0}b"))
        }
        #expect(throws: TenantryError.self) {
            try SeedPlaceholders.substitute("SELECT '${tenant.name}';", file: "a.sql", tenant: Self.tenant())
        }
        #expect(throws: TenantryError.self) {
            try SeedPlaceholders.substitute("SELECT ${tenant.name;", file: "a.sql", tenant: Self.tenant())
        }
    }

    @Test func substitutesInCommentsAndDollarBodiesAndLeavesOtherDollarBracesAlone() throws {
        let sql = "-- for ${tenant.id}\nDO $$ BEGIN PERFORM ${tenant.id}; END $$;\nSELECT '${other}';"
        let result = try SeedPlaceholders.substitute(sql, file: "a.sql", tenant: Self.tenant())
        #expect(result == "-- for 'acme'\nDO $$ BEGIN PERFORM 'acme'; END $$;\nSELECT '${other}';")
    }
}
