import Foundation
import TenantryTestSupport
import Testing

/// `migrate tenants`: failure isolation, the ledger, `--retry-failed`, and the early-stop policies.
@Suite("fleet runs: failures and policies")
struct FleetRunTests {
    @Test(TestDatabase.required)
    func twoHundredTenantsWithThreeBadOnesThenRetryFailedTouchesOnlyThose() throws {
        let fleet = try FleetProject(tenants: 200)
        defer { fleet.cleanUp() }
        let project = fleet.project
        let bad = ["acme-017", "acme-101", "acme-188"]
        for slug in bad {
            _ = try project.tenantQuery(slug, "INSERT INTO wells VALUES (500, 'deep')")
        }
        try fleet.writeLoggedMigration("002_limit.sql", extra: "ALTER TABLE wells ADD CONSTRAINT wells_id_small CHECK (id < 100);")

        let run = try project.run(["migrate", "tenants", "--events", "events.jsonl"], timeout: 300)
        #expect(run.status == 1, CLI.describe(run))
        let id = try fleet.latestRun()
        #expect(try fleet.counts(id) == ["succeeded": 197, "failed": 3, "skipped": 0, "queued": 0, "running": 0])
        #expect(try fleet.runStatus(id) == "failed")
        #expect(run.stdout.contains("Run \(id): 197 succeeded, 3 failed, 0 skipped, 0 not started (of 200)"), CLI.describe(run))
        #expect(run.stderr.contains("--retry-failed \(id)"), CLI.describe(run))
        let failures = TenantProject.lines(try project.psql("""
            SELECT tenant_id || ' ' || sqlstate || ' ' || (error LIKE '%wells_id_small%')::text || ' '
                   || coalesce(version_before, 'none') || ' ' || coalesce(version_after, 'none')
            FROM tenantry.run_targets WHERE run_id = \(id) AND status = 'failed' ORDER BY tenant_id
            """))
        // Where they were before the run (their recorded version), and no version after: it is unknown.
        #expect(failures == bad.map { "\($0) 23514 true 001 none" })
        #expect(TenantProject.lines(try project.psql("SELECT id FROM tenantry.tenants WHERE status = 'FAILED' ORDER BY id")) == bad)
        // A failure leaves the tenant's recorded version unknown, so the next run reads its history.
        #expect(TenantProject.lines(try project.psql("SELECT id FROM tenantry.tenants WHERE track_version IS NULL ORDER BY id")) == bad)
        #expect(try fleet.applyCounts("002_limit.sql") == ["1:197"], "the failed ones rolled back their whole migration")
        let events = try String(contentsOfFile: project.path + "/events.jsonl", encoding: .utf8)
        #expect(events.split(separator: "\n").count == 200)
        #expect(events.contains(#""status":"failed","tenant":"acme-101""#), "\(events.prefix(400))")

        for slug in bad {
            _ = try project.tenantQuery(slug, "DELETE FROM wells WHERE id = 500")
        }
        let retry = try project.run(["migrate", "tenants", "--retry-failed"], timeout: 300)
        #expect(retry.status == 0, CLI.describe(retry))
        let retryID = try fleet.latestRun()
        #expect(retryID == id + 1)
        #expect(TenantProject.lines(try project.psql("SELECT tenant_id FROM tenantry.run_targets WHERE run_id = \(retryID) ORDER BY tenant_id")) == bad)
        #expect(try fleet.counts(retryID)["succeeded"] == 3)
        #expect(try project.psql("SELECT options->>'retry_of' FROM tenantry.runs WHERE id = \(retryID)") == String(id))
        #expect(try fleet.applyCounts("002_limit.sql") == ["1:200"])
        #expect(try project.psql("SELECT count(*) FROM tenantry.tenants WHERE status <> 'ACTIVE'") == "0")

        let status = try project.run(["status", "tenants", "--check"])
        #expect(status.status == 0, CLI.describe(status))
        #expect(status.stdout.contains("current    200"), CLI.describe(status))
        let again = try project.run(["migrate", "tenants", "--retry-failed", String(retryID)])
        #expect(again.status == 64, CLI.describe(again))
        #expect(again.stderr.contains("run \(retryID) has no failed tenants"), CLI.describe(again))
    }

    /// 30 tenants, five of which (005, 010, ... 025) fail the new migration; one runner, one at a time, so the
    /// point where each policy stops is exact.
    @Test(TestDatabase.required)
    func failFastMaxFailuresAndCanariesStopSchedulingWithCountsThatAddUp() throws {
        let fleet = try FleetProject(tenants: 30)
        defer { fleet.cleanUp() }
        let project = fleet.project
        for number in stride(from: 5, through: 25, by: 5) {
            _ = try project.tenantQuery(String(format: "acme-%03d", number), "INSERT INTO wells VALUES (500, 'deep')")
        }
        try fleet.writeLoggedMigration("002_limit.sql", extra: "ALTER TABLE wells ADD CONSTRAINT wells_id_small CHECK (id < 100);")

        let failFast = try project.run(["migrate", "tenants", "--fail-fast", "--concurrency", "1"])
        #expect(failFast.status == 1, CLI.describe(failFast))
        var id = try fleet.latestRun()
        #expect(try fleet.counts(id) == ["succeeded": 4, "failed": 1, "skipped": 0, "queued": 25, "running": 0])
        #expect(try fleet.runStatus(id) == "stopped")
        #expect(failFast.stdout.contains("4 succeeded, 1 failed, 0 skipped, 25 not started (of 30)"), CLI.describe(failFast))
        #expect(failFast.stdout.contains("Stopped: --fail-fast: acme-005 failed"), CLI.describe(failFast))

        let maxFailures = try project.run(["migrate", "tenants", "--max-failures", "2", "--concurrency", "1"])
        #expect(maxFailures.status == 1, CLI.describe(maxFailures))
        id = try fleet.latestRun()
        #expect(try fleet.counts(id) == ["succeeded": 12, "failed": 3, "skipped": 0, "queued": 15, "running": 0])
        #expect(try project.psql("SELECT stop_reason FROM tenantry.runs WHERE id = \(id)") == "--max-failures 2: 3 of 30 tenants failed")

        let share = try project.run(["migrate", "tenants", "--max-failures", "10%", "--concurrency", "1"])
        #expect(share.status == 1, CLI.describe(share))
        id = try fleet.latestRun()
        #expect(try fleet.counts(id) == ["succeeded": 16, "failed": 4, "skipped": 0, "queued": 10, "running": 0], "past 3 of 30")

        // A canary that fails stops the run before any other tenant is touched.
        try project.directory.write("tenantry.yml", (try String(contentsOfFile: project.path + "/tenantry.yml", encoding: .utf8))
                                    + "migrate:\n  canary_tenants: [acme-020]\n")
        let canary = try project.run(["migrate", "tenants", "--canary", "2"])
        #expect(canary.status == 1, CLI.describe(canary))
        id = try fleet.latestRun()
        let counts = try fleet.counts(id)
        // Tenants already current are recorded as such without being claimed; of the others, only the canaries
        // were claimed, and the rest never started.
        #expect(counts["failed"] == 1 && counts.total == 30 && counts["queued"]! >= 9, "\(counts)")
        #expect(try project.psql("SELECT count(*) FROM tenantry.run_targets WHERE run_id = \(id) AND attempts > 0 AND NOT canary") == "0")
        #expect(TenantProject.lines(try project.psql("SELECT tenant_id FROM tenantry.run_targets WHERE run_id = \(id) AND canary ORDER BY position"))
                == ["acme-020", "acme-001"])
        #expect(try project.psql("SELECT stop_reason FROM tenantry.runs WHERE id = \(id)") == "canary acme-020 failed")

        // The good tenants up to acme-019 are migrated by now, each exactly once; the rest never started.
        #expect(try fleet.applyCounts("002_limit.sql") == ["1:16"])
    }

    @Test(TestDatabase.required)
    func selectionSkipsSuspendedTenantsAndRefusesUnknownOnes() throws {
        let fleet = try FleetProject(tenants: 4)
        defer { fleet.cleanUp() }
        let project = fleet.project
        #expect(try project.run(["tenant", "suspend", "acme-002"]).status == 0)
        _ = try project.psql("UPDATE tenantry.tenants SET tier = 'gold' WHERE id IN ('acme-002', 'acme-003')")
        try fleet.writeLoggedMigration("002_log.sql")

        let gold = try project.run(["migrate", "tenants", "--where", "tier=gold", "--json"])
        #expect(gold.status == 0, CLI.describe(gold))
        let report = try JSONSerialization.jsonObject(with: Data(gold.stdout.utf8)) as? [String: Any]
        let tenants = report?["tenants"] as? [String: Any]
        #expect(tenants?["succeeded"] as? Int == 1 && tenants?["skipped"] as? Int == 1 && tenants?["total"] as? Int == 2, CLI.describe(gold))
        #expect(try project.psql("SELECT error FROM tenantry.run_targets WHERE tenant_id = 'acme-002'") == "SUSPENDED")

        let unknown = try project.run(["migrate", "tenants", "--tenant", "nobody"])
        #expect(unknown.status == 64, CLI.describe(unknown))
        #expect(unknown.stderr.contains("no such tenant: nobody"), CLI.describe(unknown))
        let badKey = try project.run(["migrate", "tenants", "--where", "color=red"])
        #expect(badKey.status == 64 && badKey.stderr.contains("--where cannot filter on 'color'"), CLI.describe(badKey))
        let badShare = try project.run(["migrate", "tenants", "--max-failures", "lots"])
        #expect(badShare.status == 64 && badShare.stderr.contains("--max-failures takes a count or a percentage"), CLI.describe(badShare))

        // `migrate` alone: master, then the tenants.
        let all = try project.run(["migrate"])
        #expect(all.status == 0, CLI.describe(all))
        #expect(all.stdout.contains("master (") && all.stdout.contains("3 succeeded, 0 failed, 1 skipped"), CLI.describe(all))
        #expect(try fleet.applyCounts("002_log.sql") == ["1:3"])
        let runs = try project.run(["runs"])
        #expect(runs.status == 0 && runs.stdout.contains("migrate") && runs.stdout.contains("provision"), CLI.describe(runs))
        let show = try project.run(["runs", "show", String(try fleet.latestRun())])
        #expect(show.stdout.contains("acme-002") && show.stdout.contains("skipped"), CLI.describe(show))
    }

    @Test(TestDatabase.required)
    func migrateWithoutMasterMigrationsGoesStraightToTheTenants() throws {
        let fleet = try FleetProject(tenants: 3)
        defer { fleet.cleanUp() }
        let project = fleet.project
        try FileManager.default.removeItem(atPath: project.path + "/migrations/master")
        try fleet.writeLoggedMigration("002_log.sql")
        let migrate = try project.run(["migrate"])
        #expect(migrate.status == 0, CLI.describe(migrate))
        #expect(migrate.stdout.contains("master: no migrations"), CLI.describe(migrate))
        #expect(migrate.stdout.contains("3 succeeded, 0 failed"), CLI.describe(migrate))
        // Nothing to do: every tenant is recorded (and has its --events line) without being claimed.
        let again = try project.run(["migrate", "tenants", "--events", "again.jsonl"])
        #expect(again.status == 0 && again.stderr.contains("3 already current"), CLI.describe(again))
        let lines = try String(contentsOfFile: project.path + "/again.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3 && lines.allSatisfy { $0.contains(#""applied":0"#) && $0.contains(#""versionAfter":"002""#) }, "\(lines)")
        let master = try project.run(["migrate", "master"])
        #expect(master.status == 2, "naming the master track still asks for its folder: \(CLI.describe(master))")
    }
}
