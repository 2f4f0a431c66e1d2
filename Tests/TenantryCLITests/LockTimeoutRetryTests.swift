import Foundation
import TenantryTestSupport
import Testing

/// An application transaction holding a lock on one tenant during a deploy: the migration gives up after the lock
/// timeout (so the application's queries never queue long behind it), the others finish, and that tenant is tried
/// again at the back of the run until the lock is gone.
@Suite("deploys retry a tenant whose lock is held")
struct LockTimeoutRetryTests {
    @Test(TestDatabase.required)
    func aLockedTenantIsRetriedAndSucceedsOnceTheLockIsReleased() throws {
        let config = "migrate:\n  lock_timeout: 1s\n  lock_retries: 6\n  lock_retry_delay: 1s\n"
        let project = try TenantProject(layout: "schema", prefix: "tcli_lockretry", extraConfig: config)
        defer { project.cleanUp() }
        #expect(try project.run(["up"]).status == 0)
        let ids = (1...200).map { String(format: "lr%03d", $0) }
        try project.directory.write("tenants.txt", ids.joined(separator: "\n") + "\n")
        let created = try project.run(["tenant", "create", "--from", "tenants.txt"], timeout: 300)
        #expect(created.status == 0, CLI.describe(created))
        try project.writeTenantMigration("002_depth.sql", nativeMigration(up: "ALTER TABLE wells ADD COLUMN depth int;"))

        // The application reads lr100's table in a transaction that lasts 30 seconds.
        let locked = try project.location("lr100")
        let holder = try ChildProcess(try Psql.path, ["-X", "-d", project.url, "-c",
                                                      "BEGIN; SELECT count(*) FROM \"\(locked)\".wells; SELECT pg_sleep(30); COMMIT;"],
                                      environment: [:])
        defer { holder.kill() }
        #expect(project.waitUntilLocked(schema: locked), "the application's transaction never took its lock")

        let started = Date()
        let deploy = try BackgroundRun(["migrate", "tenants", "--url", project.url], in: project.path)
        // Meanwhile the application keeps reading other tenants: never held up longer than the lock timeout.
        var slowest = 0.0
        for id in ["lr001", "lr050", "lr150", "lr199"] {
            let began = Date()
            _ = try project.tenantQuery(id, "SELECT count(*) FROM wells")
            slowest = max(slowest, Date().timeIntervalSince(began))
        }
        let result = deploy.wait(timeout: 180)
        #expect(result.status == 0, CLI.describe(result))
        #expect(slowest < 2.5, "an application read waited \(slowest) s")
        #expect(Date().timeIntervalSince(started) >= 25, "lr100 can only succeed once the 30 s transaction ended")
        #expect(result.stderr.contains("lr100") && result.stderr.contains("trying again"), CLI.describe(result))
        #expect(result.stdout.contains("Retried after a lock timeout: lr100"), CLI.describe(result))
        for id in ids { #expect(try project.tenantHasColumn(id, table: "wells", column: "depth"), "tenant \(id)") }
        #expect(try project.status("lr100") == "ACTIVE")
        #expect(try project.psql("SELECT attempts FROM tenantry.run_targets WHERE tenant_id = 'lr100' ORDER BY run_id DESC LIMIT 1") != "1")
    }
}

extension TenantProject {
    /// Waits until some session holds a lock on a table of `schema`.
    func waitUntilLocked(schema: String, timeout: TimeInterval = 10) -> Bool {
        pollUntil(timeout: timeout) {
            try psql("""
                SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE c.relnamespace = '\(schema)'::regnamespace AND l.granted
                """) != "0"
        }
    }
}
