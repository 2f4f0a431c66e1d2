import Foundation
import TenantryTestSupport
import Testing

/// Fleet runs record each tenant's track version in the registry (`tenants.track_version`), and a deploy plans
/// from it instead of reading every history first. The recorded version is only a hint: a wrong one must cost
/// time, never a migration applied twice or skipped.
@Suite("fleet runs: recorded versions")
struct FleetRecordedVersionTests {
    @Test(TestDatabase.required)
    func aDeployPlansFromRecordedVersionsAndAWrongOneOnlyTakesTheLongWay() throws {
        let fleet = try FleetProject(tenants: 8)
        defer { fleet.cleanUp() }
        let project = fleet.project
        let recorded = { TenantProject.lines(try project.psql("SELECT id || '=' || coalesce(track_version, 'null') FROM tenantry.tenants ORDER BY id")) }
        #expect(try recorded() == FleetProject.slugs(8).map { "\($0)=001" }, "provisioning records where it left each tenant")

        try fleet.writeLoggedMigration("002_logged.sql")
        // acme-002 was migrated out of band; acme-003 claims a version its history never had (stale both ways);
        // acme-004 has no recorded version.
        let outOfBand = try project.run(["migrate", "tenants", "--tenant", "acme-002"])
        #expect(outOfBand.status == 0, CLI.describe(outOfBand))
        _ = try project.psql("UPDATE tenantry.tenants SET track_version = '001' WHERE id = 'acme-002'")
        _ = try project.psql("UPDATE tenantry.tenants SET track_version = '000' WHERE id = 'acme-003'")
        _ = try project.psql("UPDATE tenantry.tenants SET track_version = NULL WHERE id = 'acme-004'")

        let deploy = try project.run(["migrate", "tenants", "-v"], timeout: 300)
        #expect(deploy.status == 0, CLI.describe(deploy))
        // Every recorded version leaves 002 pending (acme-002's wrongly): only acme-004's history is read up front.
        #expect(deploy.stderr.contains("from recorded versions=7"), CLI.describe(deploy))
        #expect(deploy.stderr.contains("histories read in bulk=1"), CLI.describe(deploy))
        #expect(try fleet.applyCounts("002_logged.sql") == ["1:8"], "every tenant got 002 exactly once")
        let run = try fleet.latestRun()
        let ledger = TenantProject.lines(try project.psql("""
            SELECT tenant_id || ' ' || version_before || ' ' || applied FROM tenantry.run_targets WHERE run_id = \(run) ORDER BY tenant_id
            """))
        #expect(ledger == FleetProject.slugs(8).map { $0 == "acme-002" ? "\($0) 002 0" : "\($0) 001 1" }, "\(ledger)")
        #expect(try recorded() == FleetProject.slugs(8).map { "\($0)=002" })

        // Nothing pending by any recorded version: every history is read and checked, nothing is claimed.
        let noop = try project.run(["migrate", "tenants", "-v"])
        #expect(noop.status == 0, CLI.describe(noop))
        #expect(noop.stderr.contains("histories read in bulk=8"), CLI.describe(noop))
        #expect(try fleet.applyCounts("002_logged.sql") == ["1:8"])
    }
}
