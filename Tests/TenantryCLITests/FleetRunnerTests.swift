import Foundation
import TenantryTestSupport
import Testing

/// Several runner processes on one run, a runner killed or interrupted mid-run, and the connection budget.
@Suite("fleet runs: runners, resume and budgets")
struct FleetRunnerTests {
    @Test(TestDatabase.required)
    func threeRunnersJoinedOnOneRunMigrateEveryTenantExactlyOnce() throws {
        let fleet = try FleetProject(tenants: 300)
        defer { fleet.cleanUp() }
        try fleet.writeLoggedMigration("002_log.sql", sleep: 0.03)
        let first = try fleet.start(["migrate", "tenants", "--concurrency", "3", "--json"])
        var run = 0
        #expect(try FleetProject.waitUntil(30) { run = try fleet.latestRun(); return run > 1 }, "the first runner started a run")
        let others = try (0..<2).map { _ in try fleet.start(["migrate", "tenants", "--join", String(run), "--concurrency", "3", "--json"]) }
        let outputs = ([first] + others).map { $0.wait(timeout: 240) }
        var mine: [Int] = []
        for output in outputs {
            #expect(output.status == 0, CLI.describe(output))
            let report = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
            let tenants = report?["tenants"] as? [String: Any]
            mine.append((tenants?["runner"] as? [String: Int])?["succeeded"] ?? -1)
        }
        #expect(mine.reduce(0, +) == 300, "the runners' own counts add up to the fleet: \(mine)")
        #expect(mine.filter { $0 > 0 }.count == 3, "every runner did some of the work: \(mine)")
        #expect(try fleet.counts(run) == ["succeeded": 300, "failed": 0, "skipped": 0, "queued": 0, "running": 0])
        #expect(try fleet.project.psql("SELECT count(DISTINCT claimed_by) || ' ' || max(attempts) FROM tenantry.run_targets WHERE run_id = \(run)") == "3 1")
        #expect(try fleet.applyCounts("002_log.sql") == ["1:300"], "each tenant migrated exactly once")
        #expect(try fleet.runStatus(run) == "succeeded")
    }

    @Test(TestDatabase.required)
    func theOnlyRunnerKilledMidRunIsFinishedByResumeWithoutApplyingTwice() throws {
        let fleet = try FleetProject(tenants: 60)
        defer { fleet.cleanUp() }
        try fleet.writeLoggedMigration("002_log.sql", sleep: 0.1)
        let runner = try fleet.start(["migrate", "tenants", "--concurrency", "2", "--lease", "1"])
        var run = 0
        #expect(try FleetProject.waitUntil(60) {
            run = try fleet.latestRun()
            let succeeded = try fleet.counts(run)["succeeded"] ?? 0
            return run > 1 && succeeded >= 10
        })
        runner.kill()
        _ = runner.wait()
        let left = try fleet.counts(run)
        #expect(left["queued"]! > 0 && left["running"]! > 0, "killed mid-run: \(left)")
        #expect(try fleet.runStatus(run) == "running")

        let resume = try fleet.project.run(["migrate", "tenants", "--resume", String(run)], timeout: 240)
        #expect(resume.status == 0, CLI.describe(resume))
        #expect(try fleet.counts(run) == ["succeeded": 60, "failed": 0, "skipped": 0, "queued": 0, "running": 0])
        #expect(try fleet.runStatus(run) == "succeeded")
        #expect(try fleet.applyCounts("002_log.sql") == ["1:60"], "nothing applied twice")
        #expect(try fleet.project.psql("SELECT count(*) FROM tenantry.run_targets WHERE run_id = \(run) AND attempts = 2") == String(left["running"]!),
                "the killed runner's claims were taken over once their lease expired")
    }

    @Test(TestDatabase.required)
    func sigintStopsSchedulingLetsInFlightTenantsFinishAndExitsTwo() throws {
        let fleet = try FleetProject(tenants: 40)
        defer { fleet.cleanUp() }
        try fleet.writeLoggedMigration("002_log.sql", sleep: 0.2)
        let runner = try fleet.start(["migrate", "tenants", "--concurrency", "2"])
        var run = 0
        #expect(try FleetProject.waitUntil(60) {
            run = try fleet.latestRun()
            let succeeded = try fleet.counts(run)["succeeded"] ?? 0
            return run > 1 && succeeded >= 4
        })
        runner.signal(SIGINT)
        let output = runner.wait(timeout: 60)
        #expect(output.status == 2, CLI.describe(output))
        #expect(output.stderr.contains("--resume \(run)"), CLI.describe(output))
        let counts = try fleet.counts(run)
        #expect(counts["running"] == 0 && counts["failed"] == 0 && counts["queued"]! > 0, "in-flight tenants finished and were recorded: \(counts)")
        #expect(try fleet.runStatus(run) == "interrupted")
        #expect(try fleet.applyCounts("002_log.sql") == ["1:\(counts["succeeded"]!)"])

        let resume = try fleet.project.run(["migrate", "tenants", "--resume", String(run)], timeout: 120)
        #expect(resume.status == 0, CLI.describe(resume))
        #expect(try fleet.runStatus(run) == "succeeded")
        #expect(try fleet.applyCounts("002_log.sql") == ["1:40"])
    }

    @Test(TestDatabase.required)
    func aConnectionBudgetOfFiveIsNeverExceeded() throws {
        let fleet = try FleetProject(tenants: 40, extraConfig: "master:\n  connections: 5\n")
        defer { fleet.cleanUp() }
        try fleet.writeLoggedMigration("002_log.sql", sleep: 0.1)
        let (output, peak, samples) = try fleet.sampleSessions(["migrate", "tenants", "--concurrency", "20"])
        #expect(output.status == 0, CLI.describe(output))
        #expect(samples > 10, "sampled \(samples) times")
        #expect(peak <= 5, "peak \(peak) Tenantry connections")
        #expect(peak >= 3, "the run did work in parallel (peak \(peak))")
        #expect(try fleet.applyCounts("002_log.sql") == ["1:40"])
    }
}
