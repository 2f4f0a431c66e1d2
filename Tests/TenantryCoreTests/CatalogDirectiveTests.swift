import Testing

@testable import TenantryCore

@Suite("Catalog: -- tenantry: directives")
struct CatalogDirectiveTests {
    static func migration(_ text: String, file: String = "1_a.sql") throws -> Migration {
        try #require(CatalogFixture.load([file: text]).migrations.first)
    }

    @Test func directivesBeforeUpApplyToBothSections() throws {
        let migration = try Self.migration("""
            -- Builds an index without blocking writes.
            -- tenantry:no-transaction
            -- tenantry:lock-timeout 5s
            -- tenantry:statement-timeout 10min
            -- migrate:up
            CREATE INDEX CONCURRENTLY i ON t (c);
            -- migrate:down
            DROP INDEX CONCURRENTLY i;
            """)
        let expected = MigrationDirectives(transactional: false, lockTimeout: "5s", statementTimeout: "10min")
        #expect(migration.up.directives == expected)
        #expect(migration.down?.directives == expected)
    }

    @Test func directivesInsideASectionApplyToItAlone() throws {
        let migration = try Self.migration("""
            -- tenantry:lock-timeout 1s
            -- migrate:up
            -- tenantry:lock-timeout 500ms
            ALTER TABLE t ADD COLUMN c int;
            -- migrate:down
            -- tenantry:no-transaction
            -- tenantry:statement-timeout 0
            DROP INDEX CONCURRENTLY i;
            """)
        #expect(migration.up.directives == MigrationDirectives(transactional: true, lockTimeout: "500ms"))
        #expect(migration.down?.directives == MigrationDirectives(transactional: false, lockTimeout: "1s", statementTimeout: "0"))
    }

    @Test func noDirectivesMeansDefaults() throws {
        let migration = try Self.migration("-- migrate:up\nSELECT 1;\n-- a comment\n-- migrate:down\nSELECT 2;\n")
        #expect(migration.up.directives == MigrationDirectives())
        #expect(migration.down?.directives == MigrationDirectives())
    }

    @Test(arguments: ["5s", "500ms", "10min", "0", "2h", "1d", "1.5s", "250", "5 s"])
    func acceptedDurations(value: String) throws {
        let migration = try Self.migration("-- migrate:up\n-- tenantry:statement-timeout \(value)\nSELECT 1;\n")
        #expect(migration.up.directives.statementTimeout == value)
    }

    @Test(arguments: ["", "five", "5sec", "s", "-1s", "1.s", "5 minutes", "'5s'"])
    func rejectedDurations(value: String) throws {
        let error = try CatalogFixture.error(["1_a.sql": "-- migrate:up\n\n-- tenantry:lock-timeout \(value)\nSELECT 1;\n"])
        #expect(error.kind == .setup)
        #expect(error.message.hasPrefix("1_a.sql:3: -- tenantry:lock-timeout needs a duration such as 5s"))
    }

    @Test func directiveSpacingIsLoose() throws {
        let migration = try Self.migration("--tenantry:no-transaction\n  --   tenantry:lock-timeout   5s  \n-- migrate:up\nSELECT 1;\n")
        #expect(migration.up.directives == MigrationDirectives(transactional: false, lockTimeout: "5s"))
    }

    @Test(arguments: [
        ("-- tenantry:no-transactoin", "1_a.sql:2: unknown directive -- tenantry:no-transactoin"),
        ("-- tenantry:lock_timeout 5s", "1_a.sql:2: unknown directive -- tenantry:lock_timeout"),
        ("-- tenantry:", "1_a.sql:2: unknown directive -- tenantry:"),
    ])
    func unknownDirectivesAreErrors(line: String, message: String) throws {
        let error = try CatalogFixture.error(["1_a.sql": "-- header\n\(line)\n-- migrate:up\nSELECT 1;\n"])
        #expect(error.message == message)
        #expect(error.hint == "known directives: -- tenantry:no-transaction, -- tenantry:lock-timeout <duration>, "
            + "-- tenantry:statement-timeout <duration>")
        #expect(error.exitCode == 2)
    }

    @Test func unknownDirectiveInsideASectionNamesItsLine() throws {
        let error = try CatalogFixture.error(["1_a.sql": "-- migrate:up\nSELECT 1;\n-- migrate:down\n-- tenantry:fast\n"])
        #expect(error.message == "1_a.sql:4: unknown directive -- tenantry:fast")
    }

    @Test func noTransactionTakesNoValue() throws {
        let error = try CatalogFixture.error(["1_a.sql": "-- tenantry:no-transaction please\n-- migrate:up\n"])
        #expect(error.message == "1_a.sql:1: -- tenantry:no-transaction takes no value, got 'please'")
    }

    @Test func aDirectiveTwiceInOneScopeIsAnError() throws {
        let error = try CatalogFixture.error(["1_a.sql": "-- migrate:up\n-- tenantry:lock-timeout 1s\n-- tenantry:lock-timeout 2s\n"])
        #expect(error.message == "1_a.sql:3: -- tenantry:lock-timeout appears twice (first on line 2)")
    }

    @Test func unknownDbmateOptionIsAnError() throws {
        let error = try CatalogFixture.error(["1_a.sql": "-- migrate:up transactions:false\nSELECT 1;\n"])
        #expect(error.message == "1_a.sql:1: unknown option 'transactions:false' on -- migrate:up")
    }
}
