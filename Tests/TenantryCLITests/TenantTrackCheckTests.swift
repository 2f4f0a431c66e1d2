import Foundation
import TenantryTestSupport
import Testing

/// The tenant track is checked like the master's, before any tenant (or the master) is touched: a bad file stops
/// the command, and no tenant is marked FAILED for it.
@Suite("the tenant track is checked before any tenant")
struct TenantTrackCheckTests {
    static let ids = ["one", "two", "three"]

    func expectUntouched(_ project: TenantProject, histories: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for id in Self.ids {
            #expect(try project.status(id) == "ACTIVE", "tenant \(id)", sourceLocation: sourceLocation)
            #expect(try project.tenantHistory(id) == histories, "tenant \(id)", sourceLocation: sourceLocation)
        }
        #expect(try project.psql("SELECT count(*) FROM tenantry.tenant_events WHERE to_status = 'FAILED'") == "0", sourceLocation: sourceLocation)
    }

    @Test(TestDatabase.required, arguments: [
        ("002_broken.sql", "CREATE TABLE (;", "syntax error"),
        ("002_own_transaction.sql", "BEGIN;\nCREATE TABLE extra (id int);", "BEGIN"),
        ("002_copy.sql", "COPY wells FROM STDIN;", "STDIN"),
    ])
    func aFileThatCannotRunStopsEveryCommandBeforeAnyTenant(file: String, body: String, mentions: String) throws {
        let project = try TenantProject(layout: "schema", prefix: "tcli_trackchk")
        defer { project.cleanUp() }
        #expect(try project.run(["up"]).status == 0)
        for id in Self.ids { #expect(try project.run(["tenant", "create", id]).status == 0) }
        try project.directory.write("migrations/master/002_more.sql", nativeMigration(up: "CREATE TABLE more_admins (id int);"))
        try project.writeTenantMigration(file, nativeMigration(up: body))

        let offline = try project.run(["validate", "--offline"])
        #expect(offline.status != 0, CLI.describe(offline))
        #expect(offline.stderr.contains(file) && offline.stderr.contains(mentions), CLI.describe(offline))
        #expect(offline.stderr.contains("tenant track"), CLI.describe(offline))

        for command in [["migrate"], ["migrate", "tenants"], ["up"], ["tenant", "create", "four"], ["migrate", "tenants", "--dry-run"]] {
            let refused = try project.run(command)
            #expect(refused.status == 2, "\(command)\n\(CLI.describe(refused))")
            #expect(refused.stderr.contains(file) && refused.stderr.contains("no tenant was touched"), "\(command)\n\(CLI.describe(refused))")
        }
        try expectUntouched(project, histories: ["001"])
        #expect(try project.psql("SELECT to_regclass('public.more_admins') IS NULL") == "t", "the master is not migrated either")
        #expect(try project.status("four") == nil)
    }

    @Test(TestDatabase.required)
    func anOutOfOrderTenantFileIsNamedByValidateAndRefusedBeforeTheRun() throws {
        let project = try TenantProject(layout: "database", prefix: "tcli_trackooo")
        defer { project.cleanUp() }
        #expect(try project.run(["up"]).status == 0)
        for id in Self.ids { #expect(try project.run(["tenant", "create", id]).status == 0) }
        try project.writeTenantMigration("003_later.sql", nativeMigration(up: "CREATE TABLE later (id int);"))
        #expect(try project.run(["migrate", "tenants"]).status == 0)
        try project.writeTenantMigration("002_forgotten.sql", nativeMigration(up: "CREATE TABLE forgotten (id int);"))

        let validate = try project.run(["validate"])
        #expect(validate.status == 2, CLI.describe(validate))
        for id in Self.ids {
            #expect(validate.stderr.contains("tenant \(id): migration 002_forgotten.sql (002) is not applied but sorts before"), CLI.describe(validate))
        }
        let runs = try project.psql("SELECT count(*) FROM tenantry.runs")
        let migrate = try project.run(["migrate", "tenants"])
        #expect(migrate.status == 2, CLI.describe(migrate))
        #expect(migrate.stderr.contains("002_forgotten.sql") && migrate.stderr.contains("--allow-out-of-order"), CLI.describe(migrate))
        #expect(try project.psql("SELECT count(*) FROM tenantry.runs") == runs, "no run was started")
        try expectUntouched(project, histories: ["001", "003"])

        // A deploy that also has a new file plans from the recorded versions, finds the problem at the first tenant,
        // and stops there: nothing is applied and no tenant is FAILED.
        try project.writeTenantMigration("004_next.sql", nativeMigration(up: "CREATE TABLE next_one (id int);"))
        let deploy = try project.run(["migrate", "tenants", "--concurrency", "1"])
        #expect(deploy.status != 0, CLI.describe(deploy))
        try expectUntouched(project, histories: ["001", "003"])

        let allowed = try project.run(["migrate", "tenants", "--allow-out-of-order"])
        #expect(allowed.status == 0, CLI.describe(allowed))
        for id in Self.ids { #expect(try project.tenantHistory(id) == ["001", "002", "003", "004"]) }
    }

    @Test(TestDatabase.required)
    func migrateTenantsDryRunPrintsEachPendingStatementWithItsTenants() throws {
        let project = try TenantProject(layout: "schema", prefix: "tcli_trackdry")
        defer { project.cleanUp() }
        #expect(try project.run(["up"]).status == 0)
        for id in Self.ids { #expect(try project.run(["tenant", "create", id]).status == 0) }
        try project.writeTenantMigration("002_depth.sql", nativeMigration(up: "ALTER TABLE wells ADD COLUMN depth int;"))
        #expect(try project.run(["migrate", "tenants", "--tenant", "one"]).status == 0)
        try project.writeTenantMigration("003_status.sql", nativeMigration(up: "ALTER TABLE wells ADD COLUMN status text;\nCREATE INDEX wells_status_idx ON wells (status);"))

        let dry = try project.run(["migrate", "tenants", "--dry-run"])
        #expect(dry.status == 0, CLI.describe(dry))
        #expect(dry.stdout.contains("-- 002_depth.sql (002, one transaction) on 2 tenants: three, two"), CLI.describe(dry))
        #expect(dry.stdout.contains("-- 003_status.sql (003, one transaction) on 3 tenants: one, three, two"), CLI.describe(dry))
        #expect(dry.stdout.contains("ALTER TABLE wells ADD COLUMN status text;") && dry.stdout.contains("CREATE INDEX wells_status_idx ON wells (status);"),
                CLI.describe(dry))
        let json = try project.run(["migrate", "tenants", "--dry-run", "--json"])
        #expect(json.stdout.contains("\"tenants\"") && json.stdout.contains("\"003\""), CLI.describe(json))
        #expect(try project.tenantHistory("two") == ["001"], "a dry run changes nothing")
        #expect(try project.tenantHistory("one") == ["001", "002"])
    }
}
