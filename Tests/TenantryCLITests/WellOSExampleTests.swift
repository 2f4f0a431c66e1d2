import Foundation
import Testing
import TenantryTestSupport

/// The README's main job: `up --seed` on Examples/wellos, twice, on a real server.
@Suite("Examples/wellos end to end", .serialized)
struct WellOSExampleTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Examples/wellos").standardizedFileURL.path
    static let databases = ["wellos_master", "wellos_internal", "demo_wellos"]

    @Test(TestDatabase.required)
    func upSeedTwiceBuildsTheFleetOnce() throws {
        let project = try TemporaryDirectory("tenantry-wellos")
        defer {
            project.remove()
            TestServer.drop(Self.databases[1], Self.databases[2], Self.databases[0])
        }
        TestServer.drop(Self.databases[1], Self.databases[2], Self.databases[0])
        _ = try ExternalProgram.run("/bin/cp", ["-R", Self.example + "/.", project.path])
        let environment = ["WELLOS_MASTER_URL": try TestServer.url(database: "wellos_master")]

        let first = try CLI.run(["up", "--seed"], in: project.path, environment: environment)
        #expect(first.status == 0, CLI.describe(first))
        #expect(first.stdout.contains("wellos_master created"), CLI.describe(first))
        for database in Self.databases { #expect(try TestServer.databaseExists(database), "\(database)") }

        let master = try TestServer.url(database: "wellos_master")
        #expect(try Psql.query(master, "SELECT string_agg(id || ':' || status || ':' || database_name, ',' ORDER BY id) FROM tenantry.tenants")
                == "demo:ACTIVE:demo_wellos,wellos:ACTIVE:wellos_internal")
        #expect(try Psql.query(master, "SELECT count(*) FROM admin_users") == "1")
        for database in ["wellos_internal", "demo_wellos"] {
            let tenant = try TestServer.url(database: database)
            #expect(try Psql.query(tenant, "SELECT count(*) FROM production_entries") == "60")
            #expect(try Psql.query(tenant, "SELECT count(*) FROM public.tenantry_migrations") == "5")
            #expect(try Psql.query(tenant, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'production_entries_produced_on_idx'::regclass") == "t")
        }
        #expect(try Psql.query(try TestServer.url(database: "demo_wellos"), "SELECT name FROM users") == "Demo Operator Admin")

        let events = try Psql.query(master, "SELECT count(*) FROM tenantry.tenant_events")
        let second = try CLI.run(["up", "--seed"], in: project.path, environment: environment)
        #expect(second.status == 0, CLI.describe(second))
        #expect(second.stdout.contains("Done: nothing to change."), CLI.describe(second))
        #expect(try Psql.query(master, "SELECT count(*) FROM tenantry.tenant_events") == events)
        #expect(try Psql.query(try TestServer.url(database: "wellos_internal"), "SELECT count(*) FROM wells") == "2")

        // reset --seed: everything dropped and built again, each seed exactly once.
        try Psql.query(try TestServer.url(database: "demo_wellos"), "INSERT INTO wells (api_number, name) VALUES ('x', 'left over')")
        let reset = try CLI.run(["reset", "--seed", "--yes"], in: project.path, environment: environment)
        #expect(reset.status == 0, CLI.describe(reset))
        #expect(try Psql.query(master, "SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM tenantry.tenants") == "demo:ACTIVE,wellos:ACTIVE")
        #expect(try Psql.query(master, "SELECT count(*) FROM admin_users") == "1")
        for database in ["wellos_internal", "demo_wellos"] {
            let tenant = try TestServer.url(database: database)
            #expect(try Psql.query(tenant, "SELECT count(*) FROM wells") == "2", "\(database): rebuilt, the left-over row is gone")
            #expect(try Psql.query(tenant, "SELECT count(*) FROM production_entries") == "60")
        }
    }
}
