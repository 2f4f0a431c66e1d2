import Foundation
import TenantryTestSupport
import Testing

/// A no-transaction down section that fails part way leaves an honest history, which `status` shows and
/// `rollback --resume` finishes.
@Suite("rollback: stopped part way")
struct RollbackPartialTests {
    static func indexes(dropSecond name: String) -> String {
        nativeMigration(up: """
            CREATE INDEX CONCURRENTLY t_id_idx ON t (id);
            CREATE INDEX CONCURRENTLY t_name_idx ON t (name);
            """, down: """
            DROP INDEX CONCURRENTLY t_name_idx;
            DROP INDEX CONCURRENTLY \(name);
            """, directives: ["no-transaction"])
    }

    @Test(TestDatabase.required)
    func aFailingDownSectionIsRecordedAndResumeFinishesIt() throws {
        let project = try MigrationProject("cli_rb_partial")
        defer { project.cleanUp() }
        try project.write("001_table.sql", nativeMigration(up: "CREATE TABLE t (id int, name text);", down: "DROP TABLE t;"))
        try project.write("002_indexes.sql", Self.indexes(dropSecond: "t_id_idx_typo"))
        #expect(try project.run(["migrate"]).status == 0)

        let failed = try project.run(["rollback", "master", "--yes"])
        #expect(failed.status != 0, CLI.describe(failed))
        #expect(try project.indexState("t_name_idx") == nil, "statement 1 of the down section ran")
        #expect(try project.indexState("t_id_idx") == "valid")
        let status = try project.run(["status"])
        #expect(status.stdout.contains("partial"), CLI.describe(status))
        #expect(!status.stdout.contains("up-to-date"), CLI.describe(status))
        let check = try project.run(["status", "--check"])
        #expect(check.status == 1, CLI.describe(check))
        let migrate = try project.run(["migrate"])
        #expect(migrate.status == 2 && migrate.stderr.contains("rollback master --resume"), CLI.describe(migrate))
        let again = try project.run(["rollback", "master", "--yes"])
        #expect(again.status == 2 && again.stderr.contains("stopped after 1 of 2"), CLI.describe(again))

        // The user fixes the statement that failed; the one that ran stays as it was.
        try project.write("002_indexes.sql", Self.indexes(dropSecond: "t_id_idx"))
        let resumed = try project.run(["rollback", "master", "--resume", "--yes"])
        #expect(resumed.status == 0, CLI.describe(resumed))
        #expect(try project.indexState("t_id_idx") == nil)
        #expect(try project.history() == ["001:applied:-/-"])
        let nothing = try project.run(["rollback", "master", "--resume", "--yes"])
        #expect(nothing.status == 64 && nothing.stderr.contains("nothing to resume"), CLI.describe(nothing))
        let forward = try project.run(["migrate"])
        #expect(forward.status == 0, CLI.describe(forward))
        #expect(try project.indexState("t_name_idx") == "valid")
    }

    @Test(TestDatabase.required)
    func rollbackTenantsResumeFinishesOnlyTheTenantsThatStopped() throws {
        let project = try TenantProject(layout: "schema", prefix: "tcli_rb_part")
        defer { project.cleanUp() }
        try project.writeTenantMigration("002_table.sql", nativeMigration(up: "CREATE TABLE t (id int, name text);"))
        try project.writeTenantMigration("003_indexes.sql", Self.indexes(dropSecond: "t_id_idx"))
        #expect(try project.run(["up"]).status == 0)
        for id in ["calm", "odd"] { #expect(try project.run(["tenant", "create", id]).status == 0) }
        // Someone dropped odd's index by hand: its down section fails at statement 2.
        _ = try project.tenantQuery("odd", "DROP INDEX t_id_idx")

        let failed = try project.run(["rollback", "tenants", "--yes"])
        #expect(failed.status == 1, CLI.describe(failed))
        #expect(try project.tenantHistory("calm") == ["001", "002"])
        #expect(try project.tenantHistory("odd") == ["001", "002", "003"])
        let status = try project.run(["status", "tenants", "--check"])
        #expect(status.status == 1, CLI.describe(status))

        _ = try project.tenantQuery("odd", "CREATE INDEX t_id_idx ON t (id)")
        let resumed = try project.run(["rollback", "tenants", "--resume", "--yes"])
        #expect(resumed.status == 0, CLI.describe(resumed))
        #expect(try project.tenantHistory("odd") == ["001", "002"])
        #expect(try project.tenantHistory("calm") == ["001", "002"], "a tenant with nothing to resume is left alone")
    }
}
