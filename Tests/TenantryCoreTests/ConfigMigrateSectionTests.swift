import Testing
@testable import TenantryCore

@Suite("Config: migrate section and migration formats")
struct ConfigMigrateSectionTests {
    @Test func migrateKeysAndFormatsAreParsed() throws {
        let project = try ConfigLoaderTests.load(yaml: """
            master:
              format: drizzle
            tenants:
              format: golang-migrate
            migrate:
              history_schema: tenantry_history
              lock_timeout: 5s
              statement_timeout: 10min
              lock_wait: 2min
              allow_out_of_order: true
            """)
        let config = project.config
        #expect(config.master.format == .drizzle)
        #expect(config.tenants.format == .golangMigrate)
        #expect(config.migrate.historySchema == "tenantry_history")
        #expect(config.migrate.lockTimeout == "5s")
        #expect(config.migrate.statementTimeout == "10min")
        #expect(config.migrate.lockWaitSeconds == 120)
        #expect(config.migrate.allowOutOfOrder)
    }

    @Test func defaults() throws {
        let config = try ConfigLoaderTests.load(yaml: "layout: database\n").config
        #expect(config.migrate == Config.Migrate())
        #expect(config.migrate.lockWaitSeconds == 60)
        #expect(config.master.format == nil)
    }

    @Test(arguments: [
        ("migrate:\n  lock_timeout: soon\n", "tenantry.yml:2: migrate.lock_timeout must be a duration like 5s, 500ms or 10min (got 'soon')"),
        ("migrate:\n  lock_wait: 0s\n", "tenantry.yml:2: migrate.lock_wait must be a positive duration like 60s or 5min (got '0s')"),
        ("master:\n  format: liquibase\n", "tenantry.yml:2: master.format must be native or dbmate or golang-migrate or flyway or drizzle or prisma"),
        ("migrate:\n  history_schema: tenantry\n", "tenantry.yml:2: migrate.history_schema cannot be 'tenantry': that schema holds Tenantry's own registry and its history"),
        ("tenants:\n  extensions_schema: pg_catalog\n", "tenantry.yml:2: tenants.extensions_schema cannot be 'pg_catalog': that schema belongs to PostgreSQL"),
        ("tenants:\n  source_schema: \(String(repeating: "s", count: 64))\n",
         "tenantry.yml:2: tenants.source_schema: the name '\(String(repeating: "s", count: 64))' is 64 bytes; PostgreSQL allows at most 63"),
        ("migrate:\n  lock_timout: 5s\n", "tenantry.yml:2: unknown key 'migrate.lock_timout' (did you mean 'migrate.lock_timeout'?)"),
    ])
    func badValuesNameKeyAndLine(yaml: String, message: String) throws {
        let error = try #require(throws: TenantryError.self) { try ConfigLoaderTests.load(yaml: yaml) }
        #expect(error.message == message)
        #expect(error.exitCode == 2)
    }

    @Test(arguments: [("5s", 5.0), ("500ms", 0.5), ("10min", 600), ("2h", 7200), ("1d", 86400), ("250", 0.25), ("0", 0)])
    func durations(text: String, seconds: Double) {
        #expect(ConfigDecoder.durationSeconds(text) == seconds)
    }
}
