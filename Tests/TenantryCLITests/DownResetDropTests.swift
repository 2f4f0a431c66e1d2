import Foundation
import TenantryTestSupport
import Testing

/// `up --seed` / `reset --seed` / `down` and `tenant drop [--archive]` end to end, on the real server, per layout.
@Suite("down, reset and tenant drop")
struct DownResetDropTests {
    /// A master seed (one admin) and a tenant seed (one well named after the tenant's display name).
    static func writeSeeds(_ project: TenantProject) throws {
        try project.directory.write("seeds/master/001_admin.sql", "INSERT INTO admins (id, email) VALUES (1, 'root@example.com');\n")
        try project.directory.write("seeds/tenant/001_first_well.sql", "INSERT INTO wells (id, name) VALUES (1, ${tenant.name});\n")
    }

    static let tenants = [("demo", "Demo Co"), ("wellos", "Well OS")]

    static func createTenants(_ project: TenantProject) throws {
        for (id, name) in tenants {
            let create = try project.run(["tenant", "create", id, "--name", name])
            #expect(create.status == 0, CLI.describe(create))
        }
    }

    /// Master: its migration applied once, its seed row once, its seed tracked once.
    static func expectMaster(_ project: TenantProject, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try project.psql("SELECT version FROM public.tenantry_migrations ORDER BY version") == "001", sourceLocation: sourceLocation)
        #expect(try project.psql("SELECT id || ':' || email FROM admins ORDER BY id") == "1:root@example.com", sourceLocation: sourceLocation)
        #expect(try project.psql("SELECT name FROM public.tenantry_seeds ORDER BY name") == "001_admin", sourceLocation: sourceLocation)
    }

    /// Every tenant: ACTIVE, its table, history 001, and exactly one seeded row with its own display name.
    static func expectSeededTenants(_ project: TenantProject, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try project.registryIDs() == tenants.map(\.0), sourceLocation: sourceLocation)
        for (id, name) in tenants {
            #expect(try project.status(id) == "ACTIVE", sourceLocation: sourceLocation)
            #expect(try project.tenantTables(id) == ["tenantry_seeds", "wells"], sourceLocation: sourceLocation)
            #expect(try project.tenantHistory(id) == ["001"], sourceLocation: sourceLocation)
            #expect(try project.tenantQuery(id, "SELECT id || ':' || name FROM wells ORDER BY id") == "1:\(name)",
                    "tenant \(id)", sourceLocation: sourceLocation)
        }
        #expect(try project.namesOnServer() == project.registryNames(), sourceLocation: sourceLocation)
        #expect(try project.namesOnServer().count == tenants.count, sourceLocation: sourceLocation)
    }

    /// Every database on the server whose name belongs to this test (master or tenants).
    static func databasesOfTest(_ project: TenantProject) throws -> [String] {
        try TenantProject.lines(Psql.query(try TestDatabase.requireURL(), """
            SELECT datname FROM pg_database WHERE datname = '\(project.master)' OR datname LIKE '%\\_\(project.suffix)' ORDER BY 1
            """))
    }

    // MARK: - 1. up --seed twice, reset --seed, down twice

    @Test(TestDatabase.required, arguments: TenantLayout.allCases)
    func upSeedTwiceThenResetThenDown(layout: TenantLayout) throws {
        let project = try TenantProject(layout: layout.rawValue, prefix: "tcli_drd")
        defer { project.cleanUp() }
        try Self.writeSeeds(project)
        let first = try project.run(["up"])
        #expect(first.status == 0, CLI.describe(first))
        try Self.createTenants(project)

        let seeded = try project.run(["up", "--seed"])
        #expect(seeded.status == 0, CLI.describe(seeded))
        try Self.expectMaster(project)
        try Self.expectSeededTenants(project)
        let events = try project.eventCount()

        let again = try project.run(["up", "--seed"])
        #expect(again.status == 0, CLI.describe(again))
        #expect(again.stdout.contains("Done: nothing to change."), CLI.describe(again))
        try Self.expectMaster(project)
        try Self.expectSeededTenants(project)
        #expect(try project.eventCount() == events, "the second up changes no status")

        // reset = down + up with the same fleet: everything is dropped and built again, each seed once.
        let tenantNamesBefore = try project.namesOnServer()
        let reset = try project.run(["reset", "--seed", "--yes"])
        #expect(reset.status == 0, CLI.describe(reset))
        #expect(try TestServer.databaseExists(project.master))
        try Self.expectMaster(project)
        try Self.expectSeededTenants(project)
        #expect(try project.namesOnServer() == tenantNamesBefore, "the same tenant databases or schemas, built again")
        if layout == .database {
            #expect(reset.stdout.contains("Dropped database \(tenantNamesBefore[0])"), CLI.describe(reset))
        }
        #expect(reset.stderr.contains("Registered again: demo, wellos"), CLI.describe(reset))
        #expect(reset.stdout.contains("Master:  \(project.master) created") && !reset.stdout.contains("already exists"), CLI.describe(reset))
        let afterReset = try project.run(["up", "--seed"])
        #expect(afterReset.stdout.contains("Done: nothing to change."), CLI.describe(afterReset))

        let down = try project.run(["down", "--yes"])
        #expect(down.status == 0, CLI.describe(down))
        #expect(try Self.databasesOfTest(project) == [], CLI.describe(down))
        #expect(down.stdout.contains("Dropped database \(project.master) (master"), CLI.describe(down))

        let downAgain = try project.run(["down", "--yes"])
        #expect(downAgain.status == 0, CLI.describe(downAgain))
        #expect(downAgain.stdout.contains("Nothing to drop"), CLI.describe(downAgain))
    }

    // MARK: - 2. down without --yes and without a terminal

    @Test(TestDatabase.required)
    func downWithoutYesAndNoTerminalRefuses() throws {
        let project = try TenantProject(layout: "database", prefix: "tcli_drn")
        defer { project.cleanUp() }
        #expect(try project.run(["up"]).status == 0)
        let create = try project.run(["tenant", "create", "demo"])
        #expect(create.status == 0, CLI.describe(create))
        let before = try Self.databasesOfTest(project)
        #expect(before.count == 2)

        let down = try project.run(["down"])
        #expect(down.status == 64, CLI.describe(down))
        #expect(down.stderr.contains("--yes"), CLI.describe(down))
        #expect(try Self.databasesOfTest(project) == before)
        #expect(try project.status("demo") == "ACTIVE")

        let reset = try project.run(["reset"])
        #expect(reset.status == 64, CLI.describe(reset))
        #expect(try Self.databasesOfTest(project) == before)
    }

    // MARK: - 3. down with an open session on a tenant database

    @Test(TestDatabase.required)
    func downWithAnOpenSessionOnATenantDatabaseLeavesNothing() throws {
        let project = try TenantProject(layout: "database", prefix: "tcli_drs")
        defer { project.cleanUp() }
        #expect(try project.run(["up"]).status == 0)
        try Self.createTenants(project)
        let database = try project.location("demo")
        let tenantURL = try TestServer.url(database: database)

        let session = try ChildProcess(
            try Psql.path, ["-X", "-d", tenantURL, "-c", "SELECT pg_sleep(60)"],
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        defer { if session.isRunning { session.kill(SIGKILL); session.wait(timeout: 5) } }
        let deadline = Date().addingTimeInterval(20)
        var open = false
        while Date() < deadline && !open {
            open = (try? Psql.query(try TestDatabase.requireURL(), """
                SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database)' AND query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()
                """)) == "1"
            if !open { usleep(50_000) }
        }
        try #require(open, "the psql session never showed up in pg_stat_activity: \(session.stderr)")

        let down = try project.run(["down", "--yes"], timeout: 60)
        #expect(down.status == 0, CLI.describe(down))
        #expect(try Self.databasesOfTest(project) == [], CLI.describe(down))
        // The session was ended by the drop, long before its 60 seconds.
        let status = session.wait(timeout: 15)
        #expect(status != 0, "psql should have lost its connection: \(session.stderr)")
    }

    // MARK: - 4. tenant drop --archive

    @Test(TestDatabase.required, arguments: TenantLayout.allCases)
    func dropWithArchiveWritesARestorableDump(layout: TenantLayout) throws {
        let project = try TenantProject(layout: layout.rawValue, prefix: "tcli_dra")
        let restored = TestDatabase.uniqueName("tcli_drr")
        defer {
            TestServer.drop(restored)
            project.cleanUp()
        }
        #expect(try project.run(["up"]).status == 0)
        try Self.createTenants(project)
        _ = try project.tenantQuery("demo", "INSERT INTO wells (id, name) VALUES (1, 'Alpha'), (2, 'O''Brien'), (3, 'Gamma')")
        let wells = "SELECT id || ':' || name FROM wells ORDER BY id"
        let before = try project.tenantQuery("demo", wells)
        #expect(TenantProject.lines(before).count == 3)
        let place = try project.location("demo")

        // Without --yes and without a terminal: refused, nothing dropped.
        let unconfirmed = try project.run(["tenant", "drop", "demo"])
        #expect(unconfirmed.status == 64, CLI.describe(unconfirmed))
        #expect(try project.status("demo") == "ACTIVE")

        // An archive that cannot be written: nothing dropped.
        let unwritable = try project.run(["tenant", "drop", "demo", "--archive", "/nonexistent/dir/x.dump", "--yes"])
        #expect(unwritable.status != 0, CLI.describe(unwritable))
        #expect(try project.status("demo") == "ACTIVE", CLI.describe(unwritable))
        #expect(try project.namesOnServer().contains(place))
        #expect(try project.tenantQuery("demo", wells) == before)

        // An existing file is never written over.
        let file = project.path + "/demo.dump"
        try project.directory.write("demo.dump", "an older archive")
        let existing = try project.run(["tenant", "drop", "demo", "--archive", file, "--yes"])
        #expect(existing.status == 64 && existing.stderr.contains("exists already; nothing was dropped"), CLI.describe(existing))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "an older archive")
        #expect(try project.status("demo") == "ACTIVE")
        try FileManager.default.removeItem(atPath: file)

        // The real archive.
        let drop = try project.run(["tenant", "drop", "demo", "--archive", file, "--yes"])
        #expect(drop.status == 0, CLI.describe(drop))
        #expect(FileManager.default.fileExists(atPath: file), CLI.describe(drop))
        let mode = (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600, "the archive holds the tenant's data: owner-only, not \(String(mode ?? 0, radix: 8))")
        #expect(try project.status("demo") == "DELETED")
        #expect(try !project.namesOnServer().contains(place))
        #expect(try project.namesOnServer() == project.registryNames())
        #expect(try project.status("wellos") == "ACTIVE")
        #expect(try project.events("demo").suffix(2) == ["ACTIVE->DROPPING", "DROPPING->DELETED"])

        // Restore into a fresh database and compare.
        try Psql.query(try TestDatabase.requireURL(), "CREATE DATABASE \"\(restored)\"")
        let restoredURL = try TestServer.url(database: restored)
        let pgRestore = try #require(ExternalProgram.locate("pg_restore"))
        let restore = try ExternalProgram.run(pgRestore, ["--no-owner", "--exit-on-error", "-d", restoredURL, file])
        #expect(restore.status == 0, "pg_restore: \(restore.all)")
        let qualified = layout == .schema ? "SELECT id || ':' || name FROM \"\(place)\".wells ORDER BY id" : wells
        #expect(try Psql.query(restoredURL, qualified) == before)
        let historySchema = layout == .schema ? place : "public"
        #expect(try Psql.query(restoredURL, "SELECT version FROM \"\(historySchema)\".tenantry_migrations") == "001")

        // Dropping again: already DELETED, nothing else happens.
        let again = try project.run(["tenant", "drop", "demo", "--yes"])
        #expect(again.status == 0, CLI.describe(again))
        #expect(again.stdout.contains("already DELETED"), CLI.describe(again))
    }

    // MARK: - 5. a tenant on another server is never dropped by name on this one

    @Test(TestDatabase.required)
    func downAndDropLeaveASameNamedDatabaseOfATenantOnAnotherServer() throws {
        let project = try TenantProject(layout: "database", prefix: "tcli_dro")
        defer { project.cleanUp() }
        #expect(try project.run(["up"]).status == 0)
        // A database here that happens to carry the name of a tenant registered on another server.
        let decoy = "remote_\(project.suffix)"
        try Psql.query(try TestDatabase.requireURL(), "CREATE DATABASE \"\(decoy)\"")
        try project.psql("""
            INSERT INTO tenantry.tenants (id, display_name, status, layout, database_name, server)
            VALUES ('remote', 'Remote', 'ACTIVE', 'database', '\(decoy)', 'eu-west')
            """)

        let drop = try project.run(["tenant", "drop", "remote", "--yes"])
        #expect(drop.status != 0, CLI.describe(drop))
        #expect(try TestServer.databaseExists(decoy), CLI.describe(drop))
        #expect(try project.status("remote") == "ACTIVE")

        let down = try project.run(["down", "--yes"])
        #expect(down.status == 0, CLI.describe(down))
        #expect(down.stderr.contains("skipped tenant remote"), CLI.describe(down))
        #expect(try TestServer.databaseExists(decoy), CLI.describe(down))
        #expect(try !TestServer.databaseExists(project.master))
    }
}
