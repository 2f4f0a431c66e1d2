import Foundation
import TenantryTestSupport
import Testing

/// `master.connections` bounds what a fleet command opens on the master's server, its own bookkeeping included
/// (provisioning keeps two: the ledger's and the one that registers tenants, so it needs at least 3).
@Suite("fleet connection budgets")
struct FleetBudgetTests {
    @Test(TestDatabase.required, arguments: [3, 4])
    func provisioningStaysWithinTheMastersBudget(budget: Int) throws {
        let fleet = try FleetProject(tenants: 0, extraConfig: "master:\n  connections: \(budget)\n")
        defer { fleet.cleanUp() }
        let project = fleet.project
        try project.writeTenantMigration("002_slow.sql", nativeMigration(up: "CREATE TABLE slow AS SELECT pg_sleep(0.05) IS NULL AS slept;"))
        try project.directory.write("tenants.txt", FleetProject.slugs(24).joined(separator: "\n") + "\n")
        let (output, peak, samples) = try fleet.sampleSessions(["tenant", "create", "--from", "tenants.txt", "--concurrency", "8"])
        #expect(output.status == 0, CLI.describe(output))
        #expect(samples > 10, "sampled \(samples) times")
        #expect(peak <= budget, "peak \(peak) Tenantry sessions with master.connections: \(budget)")
        #expect(try project.psql("SELECT count(*) FROM tenantry.tenants WHERE status = 'ACTIVE'") == "24")
    }
}
