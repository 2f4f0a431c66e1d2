import Foundation
import TenantryTestSupport
import Testing

/// Small things a user meets every week: spellings, versions, reruns and runs left behind.
@Suite("fleet housekeeping")
struct FleetHousekeepingTests {
    @Test(TestDatabase.required)
    func spellingsVersionsRerunsAndAbandonedRuns() throws {
        let project = try TenantProject(layout: "schema", prefix: "tcli_house")
        defer { project.cleanUp() }
        #expect(try project.run(["up"]).status == 0)

        // `new tenants` and `migrate tenant` are the other's spelling; two files in one second get two versions.
        let first = try project.run(["new", "tenants", "add_depth"])
        let second = try project.run(["new", "tenant", "add_status"])
        #expect(first.status == 0 && second.status == 0, CLI.describe(second))
        let versions = try FileManager.default.contentsOfDirectory(atPath: project.path + "/migrations/tenant")
            .map { String($0.prefix { $0.isNumber }) }
        #expect(Set(versions).count == versions.count, "duplicate versions: \(versions)")
        for file in try FileManager.default.contentsOfDirectory(atPath: project.path + "/migrations/tenant") where !file.hasPrefix("001") {
            try FileManager.default.removeItem(atPath: project.path + "/migrations/tenant/" + file)
        }
        #expect(try project.run(["status", "tenant"]).status == 0)

        // Listing ACTIVE tenants again keeps their recorded versions.
        try project.directory.write("tenants.txt", "one\ntwo\n")
        #expect(try project.run(["tenant", "create", "--from", "tenants.txt"]).status == 0)
        let recorded = "SELECT string_agg(id || '=' || coalesce(track_version, 'none'), ',' ORDER BY id) FROM tenantry.tenants"
        #expect(try project.psql(recorded) == "one=001,two=001")
        let again = try project.run(["tenant", "create", "--from", "tenants.txt"])
        #expect(again.status == 0, CLI.describe(again))
        #expect(try project.psql(recorded) == "one=001,two=001")

        // --join names a run to join: an unknown one is an error, not a new run.
        let runs = try project.psql("SELECT count(*) FROM tenantry.runs")
        let join = try project.run(["tenant", "create", "--from", "tenants.txt", "--join", "999999"])
        #expect(join.status != 0 && join.stderr.contains("999999"), CLI.describe(join))
        #expect(try project.psql("SELECT count(*) FROM tenantry.runs") == runs)

        // A run whose runner was killed stops looking alive once its lease is over.
        try project.writeTenantMigration("002_slow.sql", nativeMigration(up: "SELECT pg_sleep(0.5);"))
        let killed = try BackgroundRun(["migrate", "tenant", "--concurrency", "1", "--lease", "1", "--url", project.url], in: project.path)
        let started = project.waitUntil { try project.psql("SELECT count(*) FROM tenantry.run_targets WHERE status = 'running'") != "0" }
        killed.kill()
        _ = killed.wait(timeout: 10)
        #expect(started)
        let abandoned = try project.psql("SELECT max(id) FROM tenantry.runs")
        usleep(1_500_000)
        let next = try project.run(["migrate", "tenants", "--lease", "1"])
        #expect(next.status == 0, CLI.describe(next))
        #expect(next.stderr.contains("Run \(abandoned): abandoned"), CLI.describe(next))
        #expect(try project.psql("SELECT status FROM tenantry.runs WHERE id = \(abandoned)") == "interrupted")
    }
}

extension TenantProject {
    /// Polls `condition` every 50 ms until it holds or `timeout` passes; psql errors count as "not yet".
    func waitUntil(timeout: TimeInterval = 30, _ condition: () throws -> Bool) -> Bool {
        pollUntil(timeout: timeout, condition)
    }
}
