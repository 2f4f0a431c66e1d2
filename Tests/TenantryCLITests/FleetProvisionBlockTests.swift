import Foundation
import TenantryTestSupport
import Testing

/// `tenant create --from` builds each new schema tenant (schema, history, whole track) in one block sent with
/// other new tenants'. One tenant's failing file must fail that tenant alone, keeping the files before it; a
/// schema that is already there must not stop anyone.
@Suite("fleet provisioning: one block per new tenant")
struct FleetProvisionBlockTests {
    @Test(TestDatabase.required)
    func aFailingTenantFailsAloneAndAnExistingSchemaIsProvisionedAnyway() throws {
        let fleet = try FleetProject(tenants: 0)
        defer { fleet.cleanUp() }
        let project = fleet.project
        // 002 divides by zero in bad-tenant's schema only (CREATE TABLE AS goes in the block like any DDL).
        try project.writeTenantMigration("002_ratio.sql", nativeMigration(up: """
            CREATE TABLE ratios AS SELECT 1 / (CASE WHEN current_schema() LIKE 'bad_tenant%' THEN 0 ELSE 1 END) AS ratio;
            """))
        try project.writeTenantMigration("003_later.sql", nativeMigration(up: "CREATE TABLE later (id int);"))
        let slugs = FleetProject.slugs(7) + ["bad-tenant"]
        // A leftover schema with nothing in it, where acme-003 will go.
        _ = try project.psql("CREATE SCHEMA acme_003_\(project.suffix)")
        try project.directory.write("tenants.txt", slugs.joined(separator: "\n") + "\n")

        let created = try project.run(["tenant", "create", "--from", "tenants.txt", "--concurrency", "8"], timeout: 300)
        #expect(created.status == 1, CLI.describe(created))
        #expect(created.stdout.contains("7 succeeded, 1 failed"), CLI.describe(created))
        let statuses = TenantProject.lines(try project.psql("SELECT id || ' ' || status FROM tenantry.tenants ORDER BY id"))
        #expect(statuses == FleetProject.slugs(7).map { "\($0) ACTIVE" } + ["bad-tenant FAILED"], "\(statuses)")
        let error = try project.psql("SELECT error FROM tenantry.run_targets WHERE tenant_id = 'bad-tenant'")
        #expect(error.contains("002_ratio.sql failed at statement 1 of 1 (line 2)") && error.contains("division by zero"), "\(error)")
        // The bad tenant keeps 001; every other tenant, the leftover schema's included, has the whole track once.
        #expect(try project.tenantQuery("bad-tenant", "SELECT string_agg(version, ',' ORDER BY version) FROM tenantry_migrations") == "001")
        for slug in FleetProject.slugs(7) {
            #expect(try project.tenantQuery(slug, "SELECT string_agg(version, ',' ORDER BY version) FROM tenantry_migrations") == "001,002,003", "\(slug)")
        }

        try project.writeTenantMigration("002_ratio.sql", nativeMigration(up: "CREATE TABLE ratios AS SELECT 1 AS ratio;"))
        let again = try project.run(["tenant", "create", "--from", "tenants.txt"], timeout: 300)
        #expect(again.status == 0, CLI.describe(again))
        #expect(try project.psql("SELECT count(*) FROM tenantry.tenants WHERE status = 'ACTIVE'") == "8")
        #expect(try project.tenantQuery("bad-tenant", "SELECT string_agg(version, ',' ORDER BY version) FROM tenantry_migrations") == "001,002,003")
    }

    /// Every session on a database processes the catalog changes of every `CREATE` there, idle ones too: 40 new
    /// tenants at concurrency 8 keep four sessions on it (two for the blocks, the ledger's, and one that
    /// registers and activates every tenant), not one more per tenant in flight.
    @Test(TestDatabase.required)
    func provisioningKeepsFourSessionsOnTheDatabase() throws {
        let fleet = try FleetProject(tenants: 0)
        defer { fleet.cleanUp() }
        let project = fleet.project
        try project.writeTenantMigration("002_slow.sql", nativeMigration(up: "CREATE TABLE slow AS SELECT pg_sleep(0.05) IS NULL AS slept;"))
        try project.directory.write("tenants.txt", FleetProject.slugs(40).joined(separator: "\n") + "\n")
        let (output, peak, samples) = try fleet.sampleSessions(["tenant", "create", "--from", "tenants.txt", "--concurrency", "8"])
        #expect(output.status == 0, CLI.describe(output))
        #expect(samples > 10, "sampled \(samples) times")
        #expect(peak <= 4 && peak >= 3, "peak \(peak) Tenantry sessions")
        #expect(try project.psql("SELECT count(*) FROM tenantry.tenants WHERE status = 'ACTIVE'") == "40")
        #expect(try project.psql("SELECT count(*) FROM tenantry.tenant_events WHERE to_status = 'ACTIVE'") == "40")
    }
}
