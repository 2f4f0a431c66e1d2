import Foundation
import Testing
import TenantryTestSupport

/// `tenant create` killed (SIGKILL) after its database exists and before ACTIVE: running it again completes it.
@Suite("tenant create killed part way")
struct TenantCreateInterruptionTests {
    @Test(TestDatabase.required)
    func rerunCompletesAKilledProvisioningWithNoOrphan() throws {
        let project = try TenantProject(layout: "database", prefix: "tcli_kill")
        defer { project.cleanUp() }
        try project.writeTenantMigration("002_slow.sql", nativeMigration(up: "SELECT pg_sleep(60);"))
        let up = try project.run(["up"])
        #expect(up.status == 0, CLI.describe(up))

        let create = try ChildProcess(TenantryBinary.path, ["tenant", "create", "acme", "--url", project.url],
                                      environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": project.path],
                                      directory: project.path)
        // Wait until the tenant migration is running: the database exists, the status is still PROVISIONING.
        let deadline = Date().addingTimeInterval(30)
        var sleeping = false
        while !sleeping && Date() < deadline {
            sleeping = (try? project.psql("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)'")) == "1"
            if !sleeping { usleep(50_000) }
        }
        try #require(sleeping, "the tenant migration never started: \(create.stderr)")
        create.kill(SIGKILL)
        create.wait(timeout: 10)
        #expect(create.wasSignaled)
        _ = try project.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)'")
        #expect(try project.status("acme") == "PROVISIONING")
        #expect(try project.tenantDatabasesOnServer().count == 1, "the database was created before the kill")

        // The slow migration never committed, so it may change; the rerun resumes from the registry row.
        try project.writeTenantMigration("002_slow.sql", nativeMigration(up: "SELECT 1;"))
        let rerun = try project.run(["tenant", "create", "acme"])
        #expect(rerun.status == 0, CLI.describe(rerun))
        #expect(rerun.stderr.contains("resuming (was PROVISIONING)"), CLI.describe(rerun))
        #expect(try project.status("acme") == "ACTIVE")
        #expect(try project.tenantHistory("acme").count == 2)
        // No orphan: the server holds exactly the registry's database for the tenant.
        #expect(try project.tenantDatabasesOnServer() == project.registryNames())
    }
}
