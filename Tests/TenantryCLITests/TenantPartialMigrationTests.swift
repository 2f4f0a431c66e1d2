import Foundation
import TenantryTestSupport
import Testing

/// A tenant whose no-transaction migration stopped part way (a failing statement, a kill) always has a way out
/// through Tenantry's own commands, and each statement runs once.
@Suite("tenants stopped part way")
struct TenantPartialMigrationTests {
    /// 002 makes a log the statements write to; 003 runs without a transaction: a plain index, a unique index that
    /// fails over duplicate names (leaving an invalid index behind), a log row.
    static func project(layout: TenantLayout, tenants: [String]) throws -> TenantProject {
        let project = try TenantProject(layout: layout.rawValue, prefix: "tcli_part")
        try project.writeTenantMigration("002_log.sql", nativeMigration(up: "CREATE TABLE applied_log (what text);"))
        #expect(try project.run(["up"]).status == 0)
        try project.directory.write("tenants.txt", tenants.joined(separator: "\n") + "\n")
        let create = try project.run(["tenant", "create", "--from", "tenants.txt"])
        #expect(create.status == 0, CLI.describe(create))
        return project
    }

    static let indexes = """
        CREATE INDEX CONCURRENTLY wells_name_idx ON wells (name);
        CREATE UNIQUE INDEX CONCURRENTLY wells_name_key ON wells (name);
        INSERT INTO applied_log VALUES ('003');
        """

    func history(_ project: TenantProject, _ id: String) throws -> String {
        let schema = project.layout == "schema" ? try project.location(id) : "public"
        return try project.tenantQuery(id, """
            SELECT version || ':' || coalesce(statements_applied::text, '-') || '/' || coalesce(statements_total::text, '-')
            FROM "\(schema)".tenantry_migrations WHERE version = '003'
            """)
    }

    func indexState(_ project: TenantProject, _ id: String, _ index: String) throws -> String {
        try project.tenantQuery(id, """
            SELECT coalesce((SELECT CASE WHEN i.indisvalid THEN 'valid' ELSE 'invalid' END FROM pg_index i
                             JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = '\(index)'
                             AND c.relnamespace = current_schema()::regnamespace), 'none')
            """)
    }

    enum WayOut: String, CaseIterable, CustomTestStringConvertible {
        case migrateResume, retryFailed, tenantRetry, up
        var testDescription: String { rawValue }
        var arguments: [String] {
            switch self {
            case .migrateResume: ["migrate", "tenants", "--resume"]
            case .retryFailed: ["migrate", "tenants", "--retry-failed"]
            case .tenantRetry: ["tenant", "retry", "dup"]
            case .up: ["up"]
            }
        }
    }

    @Test(TestDatabase.required, arguments: [(TenantLayout.schema, WayOut.migrateResume), (.database, .tenantRetry),
                                             (.schema, .retryFailed), (.database, .up)])
    func aFailureAtStatementTwoFixedByTheUserResumesWhereItStopped(layout: TenantLayout, wayOut: WayOut) throws {
        let project = try Self.project(layout: layout, tenants: ["dup", "fine"])
        defer { project.cleanUp() }
        _ = try project.tenantQuery("dup", "INSERT INTO wells VALUES (1, 'same'), (2, 'same')")
        _ = try project.tenantQuery("fine", "INSERT INTO wells VALUES (1, 'one'), (2, 'two')")
        try project.writeTenantMigration("003_indexes.sql", nativeMigration(up: Self.indexes, directives: ["no-transaction"]))

        let failed = try project.run(["migrate", "tenants"])
        #expect(failed.status == 1, CLI.describe(failed))
        // The summary has the whole error (which key), once.
        #expect(failed.stdout.contains("detail: Key (name)=(same) is already duplicated") || failed.stdout.contains("detail: Key (name)=(same) is duplicated"),
                CLI.describe(failed))
        #expect((failed.stdout + failed.stderr).components(separatedBy: "could not create unique index").count == 2, CLI.describe(failed))
        #expect(try project.status("dup") == "FAILED")
        #expect(try history(project, "dup") == "003:1/3")
        #expect(try indexState(project, "dup", "wells_name_key") == "invalid")
        #expect(try history(project, "fine") == "003:3/3")
        let status = try project.run(["status", "tenants"])
        #expect(status.stdout.contains("partial"), CLI.describe(status))

        // The user fixes the data; the way out continues at statement 2, which first clears its invalid index.
        _ = try project.tenantQuery("dup", "DELETE FROM wells WHERE id = 2")
        let resumed = try project.run(wayOut.arguments)
        #expect(resumed.status == 0, CLI.describe(resumed))
        #expect(try project.status("dup") == "ACTIVE")
        #expect(try history(project, "dup") == "003:3/3")
        #expect(try indexState(project, "dup", "wells_name_idx") == "valid")
        #expect(try indexState(project, "dup", "wells_name_key") == "valid")
        #expect(try project.tenantQuery("dup", "SELECT count(*) FROM applied_log") == "1")
        let check = try project.run(["status", "tenants", "--check"])
        #expect(check.status == 0, CLI.describe(check))
    }

    @Test(TestDatabase.required)
    func markAppliedTenantsRecordsABaselineOnTheSelectedTenantsOnly() throws {
        let project = try Self.project(layout: .schema, tenants: ["early", "late"])
        defer { project.cleanUp() }
        // Someone made the table by hand in one tenant: the migration would fail there with "already exists".
        _ = try project.tenantQuery("early", "CREATE TABLE extra (id int)")
        try project.writeTenantMigration("003_extra.sql", nativeMigration(up: "CREATE TABLE extra (id int);"))
        let marked = try project.run(["mark-applied", "tenants", "003", "--tenant", "early"])
        #expect(marked.status == 0, CLI.describe(marked))
        #expect(marked.stdout.contains("early: 003_extra.sql recorded as applied"), CLI.describe(marked))
        let again = try project.run(["mark-applied", "tenant", "003", "--tenant", "early"])
        #expect(again.status == 0 && again.stdout.contains("already recorded"), CLI.describe(again))
        let unknown = try project.run(["mark-applied", "tenants", "999"])
        #expect(unknown.status == 64, CLI.describe(unknown))

        let migrate = try project.run(["migrate", "tenants"])
        #expect(migrate.status == 0, CLI.describe(migrate))
        #expect(try project.tenantHistory("early") == ["001", "002", "003"])
        #expect(try project.tenantHistory("late") == ["001", "002", "003"])
        #expect(try project.tenantTables("late").contains("extra"))
    }

    /// SIGKILL at random moments of a no-transaction deploy, then only Tenantry commands: every tenant ends at the
    /// latest version, each logged statement ran once, every index is valid.
    @Test(TestDatabase.required)
    func killedDeploysConvergeWithEachStatementAppliedOnce() throws {
        let ids = (1...100).map { String(format: "k%03d", $0) }
        let project = try Self.project(layout: .schema, tenants: ids)
        defer { project.cleanUp() }
        try project.writeTenantMigration("003_slow.sql", nativeMigration(up: """
            INSERT INTO applied_log VALUES ('first');
            CREATE INDEX CONCURRENTLY wells_name_idx ON wells (name);
            SELECT pg_sleep(0.02);
            CREATE UNIQUE INDEX CONCURRENTLY wells_id_name_key ON wells (id, name);
            INSERT INTO applied_log VALUES ('last');
            """, directives: ["no-transaction"]))
        var generator = SystemRandomNumberGenerator()
        for round in 1...5 {
            let run = try BackgroundRun(["migrate", "tenants", "--resume", "--concurrency", "4", "--url", project.url], in: project.path)
            usleep(UInt32.random(in: 200_000...900_000, using: &generator))
            run.kill()
            let killed = run.wait(timeout: 30)
            #expect(killed.status != 0 || round > 1, "round \(round) ended before the kill: \(CLI.describe(killed))")
        }
        let finish = try project.run(["migrate", "tenants", "--resume"], timeout: 300)
        #expect(finish.status == 0, CLI.describe(finish))
        for id in ids {
            #expect(try project.status(id) == "ACTIVE", "tenant \(id)")
            #expect(try history(project, id) == "003:5/5", "tenant \(id)")
            #expect(try project.tenantQuery(id, "SELECT string_agg(what, ',' ORDER BY what) FROM applied_log") == "first,last", "tenant \(id)")
            #expect(try indexState(project, id, "wells_name_idx") == "valid", "tenant \(id)")
            #expect(try indexState(project, id, "wells_id_name_key") == "valid", "tenant \(id)")
        }
        let check = try project.run(["status", "tenants", "--check"])
        #expect(check.status == 0, CLI.describe(check))
    }
}
