import Foundation
import TenantryTestSupport
import Testing

/// `tenantry migrate` killed with SIGKILL part way: what the next run says, and how it converges.
///
/// The sleeping statements read their duration from a table, so the test can shorten the sleep for the rerun
/// with psql without touching the file (its checksum must stay the one recorded).
@Suite("migrate: killed part way")
struct MigrateInterruptionTests {
    static let sleepMarker = "pg_sleep((SELECT seconds"

    static let noTransactionFile = """
        -- tenantry:no-transaction
        -- migrate:up
        CREATE TABLE sleep_config AS SELECT 30::float8 AS seconds, 'label'::text AS label;
        CREATE INDEX CONCURRENTLY sleep_config_seconds_idx ON sleep_config (seconds);
        SELECT pg_sleep((SELECT seconds FROM sleep_config));
        CREATE INDEX CONCURRENTLY sleep_config_label_idx ON sleep_config (label);

        """

    @Test(TestDatabase.required)
    func killedInANoTransactionFileReportsThePartialStateAndResumeFinishesIt() throws {
        let project = try MigrationProject("cli_mig_kill_nt")
        defer { project.cleanUp() }
        try project.write("001_sleepy_indexes.sql", Self.noTransactionFile)
        try project.write("002_after.sql", nativeMigration(up: "CREATE TABLE after_table (id int);"))

        let run = try project.start(["migrate"])
        let sleeping = project.waitUntil {
            try project.psql("SELECT statements_applied FROM tenantry_migrations WHERE version = '001'") == "2"
                && !project.activeBackends(running: Self.sleepMarker).isEmpty
        }
        run.kill()
        let killed = run.wait(timeout: 10)
        try project.terminateBackends(running: Self.sleepMarker)
        try #require(sleeping, "the run never reached statement 3 of 001_sleepy_indexes.sql\n\(CLI.describe(killed))")
        #expect(run.wasSignaled, CLI.describe(killed))

        // Statements 1 and 2 are done and recorded; 3 and 4 are not.
        #expect(try project.history() == ["001:applied:2/4"])
        #expect(try project.indexState("sleep_config_seconds_idx") == "valid")
        #expect(try project.indexState("sleep_config_label_idx") == nil)
        #expect(try !project.tableExists("after_table"))

        // A plain rerun refuses, saying how far the file got and how to go on.
        let rerun = try project.run(["migrate"])
        #expect(rerun.status != 0, CLI.describe(rerun))
        #expect(CLI.errorLines(rerun.stderr).count == 1, CLI.describe(rerun))
        #expect(rerun.stderr.contains("001_sleepy_indexes.sql"), CLI.describe(rerun))
        #expect(rerun.stderr.contains("2 of 4"), CLI.describe(rerun))
        #expect(rerun.stderr.contains("--resume"), CLI.describe(rerun))
        #expect(try project.history() == ["001:applied:2/4"])
        #expect(try !project.tableExists("after_table"))

        let status = try project.run(["status"])
        #expect(status.status == 0, CLI.describe(status))
        #expect(status.stdout.contains("partial 2/4"), CLI.describe(status))
        let check = try project.run(["status", "--check"])
        #expect(check.status == 1, CLI.describe(check))

        // Rollback cannot know which half to undo.
        let rollback = try project.run(["rollback", "master", "--yes"])
        #expect(rollback.status != 0, CLI.describe(rollback))
        #expect(rollback.stderr.contains("partially applied"), CLI.describe(rollback))
        #expect(try project.history() == ["001:applied:2/4"])

        // Same bytes, shorter sleep: --resume continues at statement 3, then applies what is pending.
        try project.psql("UPDATE sleep_config SET seconds = 0")
        let resumed = try project.run(["migrate", "--resume"])
        #expect(resumed.status == 0, CLI.describe(resumed))
        #expect(resumed.stderr.contains("statement 3"), CLI.describe(resumed))
        #expect(resumed.stdout.contains("applied 001_sleepy_indexes.sql"), CLI.describe(resumed))
        #expect(resumed.stdout.contains("applied 002_after.sql"), CLI.describe(resumed))
        #expect(try project.history() == ["001:applied:4/4", "002:applied:-/-"])
        #expect(try project.indexState("sleep_config_seconds_idx") == "valid")
        #expect(try project.indexState("sleep_config_label_idx") == "valid")
        #expect(try project.tableExists("after_table"))

        let current = try project.run(["status", "--check"])
        #expect(current.status == 0, CLI.describe(current))
        let again = try project.run(["migrate"])
        #expect(again.status == 0, CLI.describe(again))
        #expect(again.stdout.contains("nothing to apply"), CLI.describe(again))
        #expect(try project.history() == ["001:applied:4/4", "002:applied:-/-"])
    }

    @Test(TestDatabase.required)
    func killedInATransactionalMigrationTheRerunConvergesWithNothingAppliedTwice() throws {
        let project = try MigrationProject("cli_mig_kill_tx")
        defer { project.cleanUp() }
        try project.write("001_create_items.sql", nativeMigration(up: """
            CREATE TABLE sleep_config (seconds float8 NOT NULL);
            INSERT INTO sleep_config VALUES (30);
            CREATE TABLE items (id int NOT NULL);
            INSERT INTO items VALUES (0);
            """))
        try project.write("002_fill_items.sql", nativeMigration(up: """
            INSERT INTO items VALUES (1);
            CREATE TABLE filled (id int);
            SELECT pg_sleep((SELECT seconds FROM sleep_config));
            INSERT INTO items VALUES (2);
            """))
        try project.write("003_more_items.sql", nativeMigration(up: "INSERT INTO items VALUES (3);"))

        let run = try project.start(["migrate"])
        let sleeping = project.waitUntil { !(try project.activeBackends(running: Self.sleepMarker)).isEmpty }
        run.kill()
        let killed = run.wait(timeout: 10)
        try project.terminateBackends(running: Self.sleepMarker)
        try #require(sleeping, "the run never reached the sleep in 002_fill_items.sql\n\(CLI.describe(killed))")

        // 001 committed; 002 rolled back with its connection, history row included.
        #expect(try project.history() == ["001:applied:-/-"])
        #expect(try project.psql("SELECT string_agg(id::text, ',' ORDER BY id) FROM items") == "0")
        #expect(try !project.tableExists("filled"))

        try project.psql("UPDATE sleep_config SET seconds = 0")
        let rerun = try project.run(["migrate"])
        #expect(rerun.status == 0, CLI.describe(rerun))
        #expect(!rerun.stdout.contains("001_create_items.sql"), CLI.describe(rerun))
        #expect(rerun.stdout.contains("applied 002_fill_items.sql"), CLI.describe(rerun))
        #expect(rerun.stdout.contains("applied 003_more_items.sql"), CLI.describe(rerun))
        #expect(try project.history() == ["001:applied:-/-", "002:applied:-/-", "003:applied:-/-"])
        #expect(try project.psql("SELECT string_agg(id::text, ',' ORDER BY id) FROM items") == "0,1,2,3")
        #expect(try project.tableExists("filled"))

        let third = try project.run(["migrate"])
        #expect(third.status == 0, CLI.describe(third))
        #expect(third.stdout.contains("nothing to apply"), CLI.describe(third))
        #expect(try project.psql("SELECT count(*) FROM items") == "4")
    }
}
