import Foundation
import TenantryTestSupport
import Testing

/// The tenant part of `tenantry up`: every registered tenant migrated, suspended ones skipped, a failing one
/// FAILED while the others go on.
@Suite("up brings the tenants up")
struct UpTenantsTests {
    /// The row of `up`'s tenant table for `id`.
    static func row(_ id: String, in output: String) -> String? {
        output.split(separator: "\n").map(String.init).first { $0.hasPrefix("\(id) ") }
    }

    @Test(TestDatabase.required, arguments: TenantLayout.allCases)
    func newTenantMigrationReachesActiveTenantsOnlyAndSuspendedAreSkipped(layout: TenantLayout) throws {
        let project = try TenantProject(layout: layout.rawValue, prefix: "tcli_upt")
        defer { project.cleanUp() }
        #expect(try project.run(["up"]).status == 0)
        for id in ["wellos", "demo"] {
            let create = try project.run(["tenant", "create", id])
            #expect(create.status == 0, CLI.describe(create))
        }

        try project.writeTenantMigration("002_depth.sql", nativeMigration(up: "ALTER TABLE wells ADD COLUMN depth int;"))
        let events = try project.eventCount()
        let up = try project.run(["up"])
        #expect(up.status == 0, CLI.describe(up))
        for id in ["wellos", "demo"] {
            #expect(try project.tenantHistory(id) == ["001", "002"], "tenant \(id)")
            #expect(try project.tenantHasColumn(id, table: "wells", column: "depth"), "tenant \(id)")
            #expect(Self.row(id, in: up.stdout)?.contains("1 tenant migration applied") == true, CLI.describe(up))
        }
        #expect(up.stdout.contains("Done: 2 changes."), CLI.describe(up))
        #expect(try project.eventCount() == events, "migrating ACTIVE tenants changes no status")

        let second = try project.run(["up"])
        #expect(second.status == 0, CLI.describe(second))
        #expect(second.stdout.contains("nothing to change"), CLI.describe(second))
        #expect(Self.row("demo", in: second.stdout)?.contains("up to date") == true, CLI.describe(second))
        #expect(try project.eventCount() == events)

        // Suspended: skipped by up, and reported as skipped.
        let suspend = try project.run(["tenant", "suspend", "demo"])
        #expect(suspend.status == 0, CLI.describe(suspend))
        try project.writeTenantMigration("003_status.sql", nativeMigration(up: "ALTER TABLE wells ADD COLUMN status text;"))
        let skipping = try project.run(["up"])
        #expect(skipping.status == 0, CLI.describe(skipping))
        let demoRow = try #require(Self.row("demo", in: skipping.stdout), CLI.describe(skipping))
        #expect(demoRow.contains("skipped") && demoRow.contains("SUSPENDED"), CLI.describe(skipping))
        #expect(try project.tenantHasColumn("wellos", table: "wells", column: "status"))
        #expect(try !project.tenantHasColumn("demo", table: "wells", column: "status"))
        #expect(try project.tenantHistory("demo") == ["001", "002"])
        #expect(try project.status("demo") == "SUSPENDED")

        // Resumed: the next up migrates it.
        let resume = try project.run(["tenant", "resume", "demo"])
        #expect(resume.status == 0, CLI.describe(resume))
        let after = try project.run(["up"])
        #expect(after.status == 0, CLI.describe(after))
        #expect(Self.row("demo", in: after.stdout)?.contains("1 tenant migration applied") == true, CLI.describe(after))
        #expect(Self.row("wellos", in: after.stdout)?.contains("up to date") == true, CLI.describe(after))
        #expect(try project.tenantHasColumn("demo", table: "wells", column: "status"))
        #expect(try project.tenantHistory("demo") == ["001", "002", "003"])
        #expect(try project.status("demo") == "ACTIVE")
        #expect(try project.namesOnServer() == project.registryNames())
    }

    @Test(TestDatabase.required, arguments: TenantLayout.allCases)
    func aTenantFailingMidwayIsFailedAndTheOthersAreMigrated(layout: TenantLayout) throws {
        let project = try TenantProject(layout: layout.rawValue, prefix: "tcli_upf")
        defer { project.cleanUp() }
        #expect(try project.run(["up"]).status == 0)
        for id in ["demo", "wellos"] {
            let create = try project.run(["tenant", "create", id])
            #expect(create.status == 0, CLI.describe(create))
        }
        // demo holds a row the next migration's constraint refuses, so that migration fails there, after its
        // first statement ran.
        _ = try project.tenantQuery("demo", "INSERT INTO wells (id, name) VALUES (1, 'bad')")
        _ = try project.tenantQuery("wellos", "INSERT INTO wells (id, name) VALUES (1, 'good')")
        try project.writeTenantMigration("002_checks.sql", nativeMigration(up: """
            ALTER TABLE wells ADD COLUMN depth int;
            ALTER TABLE wells ADD CONSTRAINT wells_name_not_bad CHECK (name <> 'bad');
            """))

        let up = try project.run(["up"])
        #expect(up.status == 1, CLI.describe(up))
        #expect(up.stderr.contains("1 of 2 tenants failed: demo"), CLI.describe(up))
        let demoRow = try #require(Self.row("demo", in: up.stdout), CLI.describe(up))
        #expect(demoRow.contains("FAILED"), CLI.describe(up))
        #expect(try project.status("demo") == "FAILED")
        #expect(try project.lastError("demo").contains("wells_name_not_bad"))
        #expect(try project.events("demo").last == "ACTIVE->FAILED")
        // Nothing of the failed migration is left in demo.
        #expect(try !project.tenantHasColumn("demo", table: "wells", column: "depth"))
        #expect(try project.tenantHistory("demo") == ["001"])
        // wellos was migrated anyway.
        #expect(try project.status("wellos") == "ACTIVE")
        #expect(try project.tenantHasColumn("wellos", table: "wells", column: "depth"))
        #expect(try project.tenantHistory("wellos") == ["001", "002"])

        let show = try project.run(["tenant", "show", "demo"])
        #expect(show.status == 0, CLI.describe(show))
        #expect(show.stdout.contains("ACTIVE -> FAILED  error:"), CLI.describe(show))

        // A FAILED tenant cannot be suspended.
        let suspend = try project.run(["tenant", "suspend", "demo"])
        #expect(suspend.status == 64, CLI.describe(suspend))
        #expect(suspend.stderr.contains("demo is FAILED"), CLI.describe(suspend))

        // Fix the data the migration refused, then retry: demo is ACTIVE and migrated.
        try project.writeTenantMigration("002_checks.sql", nativeMigration(up: """
            ALTER TABLE wells ADD COLUMN depth int;
            UPDATE wells SET name = 'fixed' WHERE name = 'bad';
            ALTER TABLE wells ADD CONSTRAINT wells_name_not_bad CHECK (name <> 'bad');
            """))
        let retry = try project.run(["tenant", "retry", "demo"])
        #expect(retry.status == 0, CLI.describe(retry))
        #expect(retry.stdout.contains("demo: ACTIVE"), CLI.describe(retry))
        #expect(try project.status("demo") == "ACTIVE")
        #expect(try project.tenantHasColumn("demo", table: "wells", column: "depth"))
        #expect(try project.tenantHistory("demo") == ["001", "002"])
        #expect(try project.tenantQuery("demo", "SELECT name FROM wells") == "fixed")
        #expect(try project.events("demo").suffix(3) == ["ACTIVE->FAILED", "FAILED->PROVISIONING", "PROVISIONING->ACTIVE"])
        #expect(try project.tenantQuery("wellos", "SELECT name FROM wells") == "good")
        #expect(try project.namesOnServer() == project.registryNames())
    }
}
