import Foundation
import TenantryTestSupport
import Testing

/// Tenants on two servers (the test server and a second cluster): placement, `up`, `down`, `tenant drop`, and a
/// registry adopted from `tenants.query` whose rows carry URLs.
@Suite(.serialized)
struct TwoServerTests {
    /// `servers: { second: ... }`, and the second server's URL for a database.
    /// Without a database in the URL: schema tenants there go in a database named like the master's.
    static func serversConfig() throws -> String {
        let url = try SecondServer.requireURL().replacingOccurrences(of: "/postgres?", with: "?")
        return "servers:\n  second:\n    url: \(url)\n    connections: 4\n"
    }

    static func secondURL(database: String) throws -> String {
        var components = try #require(URLComponents(string: try SecondServer.requireURL()))
        components.path = "/\(database)"
        return try #require(components.string)
    }

    static func onSecond(_ sql: String, database: String = "postgres") throws -> [String] {
        TenantProject.lines(try Psql.query(try secondURL(database: database), sql))
    }

    static func databasesOnSecond(like suffix: String) throws -> [String] {
        try onSecond("SELECT datname FROM pg_database WHERE datname LIKE '%\(suffix)%' ORDER BY datname COLLATE \"C\"")
    }

    static func dropOnSecond(like suffix: String) {
        for name in (try? databasesOnSecond(like: suffix)) ?? [] {
            _ = try? onSecond("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
        }
    }

    @Test(SecondServer.required)
    func databaseTenantsArePlacedOnBothServersAndDroppedFromBoth() throws {
        let project = try TenantProject(layout: "database", prefix: "tcli_two", extraConfig: try Self.serversConfig())
        defer { Self.dropOnSecond(like: project.suffix); project.cleanUp() }
        #expect(try project.run(["up"]).status == 0)
        for slug in ["alpha", "bravo"] {
            let create = try project.run(["tenant", "create", slug])
            #expect(create.status == 0, CLI.describe(create))
        }
        let explicit = try project.run(["tenant", "create", "charlie", "--server", "second"])
        #expect(explicit.status == 0, CLI.describe(explicit))
        #expect(explicit.stdout.contains("on server second"), CLI.describe(explicit))

        // Fewest tenants: alpha on the master's server (a tie goes there), bravo on the empty second one.
        #expect(try project.psql("SELECT string_agg(id || '=' || coalesce(server, 'master'), ',' ORDER BY id) FROM tenantry.tenants")
                == "alpha=master,bravo=second,charlie=second")
        #expect(try project.tenantDatabasesOnServer() == ["alpha_\(project.suffix)"])
        #expect(try Self.databasesOnSecond(like: project.suffix) == ["bravo_\(project.suffix)", "charlie_\(project.suffix)"])
        let wells = try Self.onSecond("SELECT version FROM public.tenantry_migrations", database: "bravo_\(project.suffix)")
        #expect(wells == ["001"], "the tenant track ran on the second server")

        let list = try project.run(["tenant", "list"])
        #expect(list.stdout.contains("SERVER") && list.stdout.contains("second"), CLI.describe(list))

        let up = try project.run(["up"])
        #expect(up.status == 0, CLI.describe(up))
        #expect(up.stdout.contains("Done: nothing to change."), CLI.describe(up))

        let unknown = try project.run(["tenant", "create", "delta", "--server", "nowhere"])
        #expect(unknown.status == 2, CLI.describe(unknown))
        #expect(unknown.stderr.contains("server 'nowhere' is not in servers:"), CLI.describe(unknown))
        #expect(try project.status("delta") == nil, "nothing registered for a refused placement")

        let drop = try project.run(["tenant", "drop", "charlie", "--yes"])
        #expect(drop.status == 0, CLI.describe(drop))
        #expect(try Self.databasesOnSecond(like: project.suffix) == ["bravo_\(project.suffix)"])

        let down = try project.run(["down", "--yes"])
        #expect(down.status == 0, CLI.describe(down))
        #expect(try Self.databasesOnSecond(like: project.suffix).isEmpty, CLI.describe(down))
        #expect(try project.tenantDatabasesOnServer().isEmpty, CLI.describe(down))
        #expect(try !TestServer.databaseExists(project.master))
    }

    @Test(SecondServer.required)
    func schemaTenantsOnTheSecondServerLiveInADatabaseNamedLikeTheMaster() throws {
        let project = try TenantProject(layout: "schema", prefix: "tcli_two", extraConfig: try Self.serversConfig())
        defer {
            _ = try? Self.onSecond("DROP DATABASE IF EXISTS \"\(project.master)\" WITH (FORCE)")
            project.cleanUp()
        }
        #expect(try project.run(["up"]).status == 0)
        let create = try project.run(["tenant", "create", "remote", "--server", "second"])
        #expect(create.status == 0, CLI.describe(create))
        let schema = try project.location("remote")
        #expect(try project.psql("SELECT database_name FROM tenantry.tenants WHERE id = 'remote'") == project.master)
        let tables = try Self.onSecond("SELECT tablename FROM pg_tables WHERE schemaname = '\(schema)' ORDER BY 1", database: project.master)
        #expect(tables == ["tenantry_migrations", "wells"])
        #expect(try project.tenantSchemasInMaster().isEmpty, "nothing on the master's server")

        let reset = try project.run(["reset", "--yes"])
        #expect(reset.status == 0, CLI.describe(reset))
        #expect(try project.psql("SELECT status || ' ' || server FROM tenantry.tenants WHERE id = 'remote'") == "ACTIVE second")
        #expect(try Self.onSecond("SELECT count(*) FROM \"\(schema)\".wells", database: project.master) == ["0"])
    }

    @Test(SecondServer.required)
    func tenantsQueryRowsCarryingURLsAreProvisionedOnTheirServer() throws {
        let project = try TenantProject(layout: "database", prefix: "tcli_two")
        defer { Self.dropOnSecond(like: project.suffix); project.cleanUp() }
        #expect(try project.run(["up"]).status == 0)
        let canary = "Canary\(UUID().uuidString.prefix(6))"
        let remote = try Self.secondURL(database: "acme_\(project.suffix)")
        var withPassword = try #require(URLComponents(string: try Self.secondURL(database: "leak_\(project.suffix)")))
        withPassword.password = canary
        _ = try project.psql("""
            CREATE TABLE customers (subdomain text, database_name text, url text);
            INSERT INTO customers VALUES ('acme', NULL, '\(remote)'),
                                         ('leak', NULL, '\(try #require(withPassword.string))'),
                                         ('local', 'local_\(project.suffix)', NULL);
            """)
        try project.directory.write("tenantry.yml", """
            layout: database
            tenants:
              naming: "{slug}_\(project.suffix)"
              query: SELECT subdomain AS id, database_name, url FROM customers ORDER BY subdomain
            """)

        let up = try project.run(["up"])
        #expect(up.status == 0, CLI.describe(up))
        #expect(!up.all.contains(canary), "a password never reaches the output")
        #expect(up.stderr.contains("'leak', which cannot be adopted") && up.stderr.contains("never stores passwords"), CLI.describe(up))
        #expect(try project.registryIDs() == ["acme", "local"])
        #expect(try Self.databasesOnSecond(like: project.suffix) == ["acme_\(project.suffix)"])
        #expect(try project.tenantDatabasesOnServer() == ["local_\(project.suffix)"])
        let server = try project.psql("SELECT server FROM tenantry.tenants WHERE id = 'acme'")
        #expect(server.hasPrefix("postgresql://postgres@127.0.0.1:") && !server.contains(canary), "\(server)")
        #expect(try project.psql("SELECT count(*) FROM tenantry.tenants WHERE server LIKE '%\(canary)%' OR metadata::text LIKE '%\(canary)%'") == "0")

        let again = try project.run(["up"])
        #expect(again.stdout.contains("Done: nothing to change."), CLI.describe(again))
        let down = try project.run(["down", "--yes"])
        #expect(down.status == 0, CLI.describe(down))
        #expect(try Self.databasesOnSecond(like: project.suffix).isEmpty, CLI.describe(down))
    }

    @Test(SecondServer.required)
    func aFleetRunAndStatusSpanBothServers() throws {
        let project = try TenantProject(layout: "database", prefix: "tcli_two", extraConfig: try Self.serversConfig())
        defer { Self.dropOnSecond(like: project.suffix); project.cleanUp() }
        #expect(try project.run(["up"]).status == 0)
        try project.directory.write("tenants.txt", (1...6).map { "site-\($0)" }.joined(separator: "\n"))
        let created = try project.run(["tenant", "create", "--from", "tenants.txt", "--concurrency", "1"])
        #expect(created.status == 0, CLI.describe(created))
        #expect(try project.psql("SELECT string_agg(coalesce(server, 'master') || '=' || n, ',' ORDER BY server NULLS FIRST) FROM (SELECT server, count(*) n FROM tenantry.tenants GROUP BY server) s")
                == "master=3,second=3", "one at a time, placement alternates to the emptier server")

        try project.writeTenantMigration("002_depth.sql", nativeMigration(up: "ALTER TABLE wells ADD COLUMN depth int;"))
        let behind = try project.run(["status", "tenants", "--check"])
        #expect(behind.status == 1, CLI.describe(behind))
        #expect(behind.stdout.contains("behind     6"), CLI.describe(behind))

        let migrate = try project.run(["migrate", "tenants"])
        #expect(migrate.status == 0, CLI.describe(migrate))
        #expect(migrate.stdout.contains("6 succeeded, 0 failed"), CLI.describe(migrate))
        for database in try Self.databasesOnSecond(like: project.suffix) {
            #expect(try Self.onSecond("SELECT max(version) FROM public.tenantry_migrations", database: database) == ["002"])
        }
        let status = try project.run(["status", "tenants", "--check", "--json"])
        #expect(status.status == 0, CLI.describe(status))
        let report = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let rows = report?["tenants"] as? [[String: Any]] ?? []
        #expect(rows.count == 6 && rows.allSatisfy { $0["state"] as? String == "current" && $0["version"] as? String == "002" }, CLI.describe(status))
        #expect(rows.filter { $0["server"] as? String == "second" }.count == 3)
    }

    /// The second server crashes and restarts (`pg_ctl restart -m immediate`) in the middle of a fleet run on it.
    @Test(SecondServer.required)
    func aServerRestartedDuringARunStopsItCleanlyAndARerunConverges() throws {
        let project = try TenantProject(layout: "schema", prefix: "tcli_two", extraConfig: try Self.serversConfig())
        defer {
            _ = try? Self.onSecond("DROP DATABASE IF EXISTS \"\(project.master)\" WITH (FORCE)")
            project.cleanUp()
        }
        #expect(try project.run(["up"]).status == 0)
        try project.directory.write("tenants.txt", (1...40).map { "far-\($0)" }.joined(separator: "\n"))
        let created = try project.run(["tenant", "create", "--from", "tenants.txt", "--server", "second"])
        #expect(created.status == 0, CLI.describe(created))
        try project.writeTenantMigration("002_slow.sql", nativeMigration(up: "SELECT pg_sleep(0.1);\nCREATE TABLE readings (id int);"))

        let runner = try BackgroundRun(["migrate", "tenants", "--concurrency", "4", "--url", project.url], in: project.path)
        #expect(try FleetProject.waitUntil(60) {
            (Int(try project.psql("SELECT count(*) FROM tenantry.run_targets t JOIN tenantry.runs r ON r.id = t.run_id WHERE r.kind = 'migrate' AND t.status = 'succeeded'")) ?? 0) >= 5
        })
        try SecondServer.crashAndRestart()
        let output = runner.wait(timeout: 120)
        #expect([0, 1].contains(output.status), "the run ends with its report, not a crash: \(CLI.describe(output))")
        #expect(output.stdout.contains("(of 40)"), CLI.describe(output))
        #expect(try project.psql("SELECT count(*) FROM tenantry.run_targets WHERE status IN ('queued', 'running')") == "0",
                "every tenant was recorded")

        let rerun = try project.run(["migrate", "tenants"])
        #expect(rerun.status == 0, CLI.describe(rerun))
        let status = try project.run(["status", "tenants", "--check"])
        #expect(status.status == 0, CLI.describe(status))
        #expect(try Self.onSecond("SELECT count(*) FROM pg_tables WHERE tablename = 'readings'", database: project.master) == ["40"])
    }
}
