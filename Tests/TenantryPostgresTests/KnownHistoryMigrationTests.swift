import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

/// A fleet run migrates each tenant from the history it read in bulk, one self-checking block per migration;
/// whatever changed since, or is locked, must take the classic path and nothing may be applied twice.
@Suite("migrating from a history read earlier")
struct KnownHistoryMigrationTests {
    typealias Fixture = TenantRegistryFixture

    static func migration(_ version: String, _ sql: String) -> Migration {
        let file = "\(version)_m.sql"
        return Migration(version: MigrationVersion(version)!, name: "m\(version)", file: file, checksum: "sum\(version)",
                         up: MigrationScript(sql: sql, file: file, firstLine: 1), down: nil)
    }

    static func runner(_ schema: String, on master: PostgresConnector, _ migrations: [Migration],
                       lockWait: Duration = .seconds(60)) throws -> MigrationRunner {
        let target = MigrationTarget(connector: master, schema: try SQLIdentifier(schema), historySchema: try SQLIdentifier("public"),
                                     track: "tenant", label: "tenant \(schema)")
        return MigrationRunner(target: target, migrations: migrations, timeouts: .init(lockWait: lockWait), logger: PG.logger)
    }

    static func versions(_ schema: String, on master: PostgresConnector) async throws -> [String] {
        try await Fixture.column("SELECT version || ':' || kind FROM \(unescaped: schema).tenantry_migrations ORDER BY version", on: master).map { $0 ?? "" }
    }

    /// Records in `seen` the session it found (work_mem, temporary tables, advisory locks), then leaves a setting,
    /// a temporary table and a session lock behind for whatever runs next on its connection.
    static func leaky(_ version: String) -> Migration {
        migration(version, """
            CREATE TABLE seen AS SELECT current_setting('work_mem') AS work_mem,
                (SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema()) AS temp_tables,
                (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS advisory_locks;
            CREATE TEMP TABLE scratch (x int);
            CREATE TABLE marks (v text DEFAULT set_config('work_mem', '77kB', false), l bool DEFAULT pg_try_advisory_lock(42));
            INSERT INTO marks DEFAULT VALUES;
            """)
    }

    static let first = migration("001", "CREATE TABLE wells (id int PRIMARY KEY);")
    static let second = migration("002", "CREATE TABLE tests (id int REFERENCES wells (id));\nCREATE INDEX tests_id ON tests (id);")

    @Test(TestDatabase.required)
    func pendingMigrationsApplyFromTheHistoryRead() async throws {
        try await Fixture.with { _, master in
            try await master.withConnection { try await $0.execute("CREATE SCHEMA s1", logger: PG.logger) }
            _ = try await Self.runner("s1", on: master, [Self.first]).migrate()
            let applied = try await Self.runner("s1", on: master, [Self.first]).plan().applied
            let outcome = try await Self.runner("s1", on: master, [Self.first, Self.second]).migrate(knownHistory: applied, .init())
            #expect(outcome.applied.map(\.version.text) == ["002"])
            #expect(outcome.before?.text == "001" && outcome.after?.text == "002")
            #expect(try await Self.versions("s1", on: master) == ["001:applied", "002:applied"])
            #expect(try await PG.scalar(Bool.self, "SELECT to_regclass('s1.tests') IS NOT NULL", on: master) == true)
        }
    }

    @Test(TestDatabase.required)
    func aHistoryChangedSinceTheReadTakesTheClassicPath() async throws {
        try await Fixture.with { _, master in
            try await master.withConnection { try await $0.execute("CREATE SCHEMA s2", logger: PG.logger) }
            _ = try await Self.runner("s2", on: master, []).migrate()
            let stale = try await Self.runner("s2", on: master, []).plan().applied
            #expect(stale.isEmpty)
            // Another process applies 001 after the read: its block must not run 001 again ("already exists").
            _ = try await Self.runner("s2", on: master, [Self.first]).migrate()
            let outcome = try await Self.runner("s2", on: master, [Self.first, Self.second]).migrate(knownHistory: stale, .init())
            #expect(outcome.applied.map(\.version.text) == ["002"])
            #expect(outcome.before?.text == "001")
            #expect(try await Self.versions("s2", on: master) == ["001:applied", "002:applied"])
        }
    }

    @Test(TestDatabase.required)
    func aLockHeldElsewhereIsWaitedFor() async throws {
        try await Fixture.with { _, master in
            try await master.withConnection { try await $0.execute("CREATE SCHEMA s3", logger: PG.logger) }
            let runner = try Self.runner("s3", on: master, [Self.first], lockWait: .seconds(1))
            _ = try await Self.runner("s3", on: master, []).migrate()
            let applied = try await runner.plan().applied
            try await master.withConnection { holder in
                try await holder.execute("SELECT pg_advisory_lock(\(runner.target.lockKey))", logger: PG.logger)
                // Held for longer than the wait: the classic path's lock error, and nothing applied.
                let error = await #expect(throws: TenantryError.self) { try await runner.migrate(knownHistory: applied, .init()) }
                #expect(error?.message.contains("lock") == true, "\(String(describing: error))")
                #expect(try await Self.versions("s3", on: master).isEmpty)
                #expect(try await PG.scalar(Bool.self, "SELECT to_regclass('s3.wells') IS NULL", on: master) == true)
                try await holder.execute("SELECT pg_advisory_unlock(\(runner.target.lockKey))", logger: PG.logger)
            }
            let outcome = try await runner.migrate(knownHistory: applied, .init())
            #expect(outcome.applied.map(\.version.text) == ["001"])
        }
    }

    @Test(TestDatabase.required)
    func aFailingStatementIsNamedAndNothingIsApplied() async throws {
        try await Fixture.with { _, master in
            try await master.withConnection { try await $0.execute("CREATE SCHEMA s4", logger: PG.logger) }
            _ = try await Self.runner("s4", on: master, []).migrate()
            let bad = Self.migration("001", "CREATE TABLE b (id int);\nCREATE TABLE b (id int);")
            let error = await #expect(throws: TenantryError.self) {
                try await Self.runner("s4", on: master, [bad]).migrate(knownHistory: [], .init())
            }
            #expect(error?.message.contains("001_m.sql failed at statement 2 of 2 (line 2)") == true, "\(String(describing: error))")
            #expect(error?.message.contains("SQLSTATE 42P07") == true, "\(String(describing: error))")
            #expect(try await Self.versions("s4", on: master).isEmpty)
            #expect(try await PG.scalar(Bool.self, "SELECT to_regclass('s4.b') IS NULL", on: master) == true)
        }
    }

    /// A kept connection goes from tenant to tenant without `DISCARD ALL`: the block itself must leave no
    /// temporary table, session setting or session lock behind.
    @Test(TestDatabase.required)
    func theNextTenantOnAKeptConnectionStartsClean() async throws {
        try await Fixture.with { _, master in
            // No other test of this process keeps connections (closeAll at the end forgets every database).
            ConnectionReuse.shared.enable(databases: [master.settings.database])
            let leaky = Self.leaky("001")
            for schema in ["s5a", "s5b", "s5c"] {
                try await master.withConnection { try await $0.execute("CREATE SCHEMA \(schema)", logger: PG.logger) }
                _ = try await Self.runner(schema, on: master, []).migrate()
            }
            let standard = try await PG.scalar(String.self, "SELECT current_setting('work_mem')", on: master)
            for schema in ["s5a", "s5b", "s5c"] {
                let outcome = try await Self.runner(schema, on: master, [leaky]).migrate(knownHistory: [], .init())
                #expect(outcome.applied.count == 1)
            }
            // A new target's block (several files, the session lock across them) must leave nothing either.
            let after = Self.migration("002", "CREATE TABLE after_leak (id int);")
            for schema in ["s5d", "s5e", "s5f"] {
                try await master.withConnection { try await $0.execute("CREATE SCHEMA \(schema)", logger: PG.logger) }
                let outcome = try await Self.runner(schema, on: master, [leaky, after]).migrate(.init(newTarget: true))
                #expect(outcome.applied.count == 2)
            }
            for schema in ["s5b", "s5c", "s5e", "s5f"] {
                let seen = try await Fixture.column("SELECT work_mem || ' ' || temp_tables || ' ' || advisory_locks FROM \(unescaped: schema).seen", on: master)
                // Only this block's own lock on its target: none left by the tenant before.
                #expect(seen == ["\(standard ?? "") 0 1"], "\(schema)")
            }
            await ConnectionReuse.shared.closeAll()
        }
    }
}
