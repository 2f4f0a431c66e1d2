import Foundation
import TenantryTestSupport
import Testing

/// A schema-layout fleet for fleet-run tests: `count` tenants `acme-001`... made with `tenant create --from`,
/// and a shared `public.apply_log` table in the master database that tenant migrations append to, so a test can
/// prove each tenant got a migration exactly once.
struct FleetProject {
    let project: TenantProject

    init(tenants count: Int, layout: String = "schema", extraConfig: String = "") throws {
        project = try TenantProject(layout: layout, prefix: "tcli_fleet", extraConfig: extraConfig)
        let up = try project.run(["up"])
        guard up.status == 0 else { throw Psql.Failure(description: "up failed: \(up.all)") }
        if count > 0 { try create(Self.slugs(count)) }
    }

    static func slugs(_ count: Int) -> [String] {
        (1...count).map { String(format: "acme-%03d", $0) }
    }

    func create(_ slugs: [String], extra: [String] = []) throws {
        try project.directory.write("tenants.txt", slugs.joined(separator: "\n") + "\n")
        let created = try project.run(["tenant", "create", "--from", "tenants.txt", "--concurrency", "8"] + extra, timeout: 300)
        guard created.status == 0 else { throw Psql.Failure(description: "tenant create --from failed: \(created.all)") }
    }

    func cleanUp() { project.cleanUp() }

    /// A tenant migration that logs its tenant in `public.apply_log` (created here, in the master database) and
    /// optionally sleeps, so runs last long enough to be joined, killed or sampled.
    func writeLoggedMigration(_ name: String, sleep: Double = 0, extra: String = "") throws {
        _ = try project.psql("CREATE TABLE IF NOT EXISTS public.apply_log (tenant_schema text NOT NULL, migration text NOT NULL)")
        let pause = sleep > 0 ? "SELECT pg_sleep(\(sleep));\n" : ""
        try project.writeTenantMigration(name, nativeMigration(up: """
            \(pause)INSERT INTO public.apply_log VALUES (current_schema(), '\(name)');
            \(extra)
            """))
    }

    /// How many times each tenant schema logged `migration`, as "count:schemas" pairs (e.g. ["1:300"]).
    func applyCounts(_ migration: String) throws -> [String] {
        TenantProject.lines(try project.psql("""
            SELECT n || ':' || count(*) FROM (SELECT count(*) AS n FROM public.apply_log WHERE migration = '\(migration)' GROUP BY tenant_schema) s
            GROUP BY n ORDER BY n
            """))
    }

    func latestRun() throws -> Int {
        Int(try project.psql("SELECT coalesce(max(id), 0) FROM tenantry.runs")) ?? 0
    }

    /// "succeeded=..,failed=..,skipped=..,queued=..,running=.." of a run.
    func counts(_ run: Int) throws -> [String: Int] {
        var counts = ["succeeded": 0, "failed": 0, "skipped": 0, "queued": 0, "running": 0]
        for line in TenantProject.lines(try project.psql("SELECT status || '=' || count(*) FROM tenantry.run_targets WHERE run_id = \(run) GROUP BY status")) {
            let parts = line.split(separator: "=")
            counts[String(parts[0])] = Int(parts[1]) ?? -1
        }
        return counts
    }

    func runStatus(_ run: Int) throws -> String {
        try project.psql("SELECT status FROM tenantry.runs WHERE id = \(run)")
    }

    func start(_ arguments: [String]) throws -> BackgroundRun {
        try BackgroundRun(arguments + ["--url", project.url], in: project.path)
    }

    /// Runs `arguments` in the background, counting Tenantry's sessions on the master database (every Tenantry
    /// connection of a schema-layout fleet goes there) as often as it can: the run's output, the most seen at
    /// once, and how many samples were taken.
    func sampleSessions(_ arguments: [String]) throws -> (output: BackgroundRun.Output, peak: Int, samples: Int) {
        let runner = try start(arguments)
        var peak = 0
        var samples = 0
        let sampler = try TestDatabase.requireURL()
        while runner.isRunning {
            let count = Int(try Psql.query(sampler, """
                SELECT count(*) FROM pg_stat_activity WHERE datname = '\(project.master)' AND application_name = 'tenantry'
                """)) ?? 0
            peak = max(peak, count)
            samples += 1
        }
        return (runner.wait(), peak, samples)
    }

    /// Polls `condition` every 50 ms for up to `seconds`.
    static func waitUntil(_ seconds: Double = 60, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return false
    }
}

extension Dictionary where Key == String, Value == Int {
    var total: Int { values.reduce(0, +) }
}
