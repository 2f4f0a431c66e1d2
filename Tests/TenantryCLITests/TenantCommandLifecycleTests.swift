import Foundation
import TenantryTestSupport
import Testing

/// `tenantry tenant create|list|show|suspend|resume|retry` against the test server, for both layouts: what the
/// user sees, and what the registry, the events and the server's catalogs hold afterwards.
@Suite("tenant commands")
struct TenantCommandLifecycleTests {
    @Test(TestDatabase.required, arguments: TenantLayout.allCases)
    func createListShowAndCreateAgain(layout: TenantLayout) throws {
        let project = try TenantProject(layout: layout.rawValue, prefix: "tcli_life")
        defer { project.cleanUp() }

        let up = try project.run(["up"])
        #expect(up.status == 0, CLI.describe(up))
        #expect(try TestServer.databaseExists(project.master))
        #expect(try project.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'tenantry' AND tablename IN ('tenants', 'tenant_events')") == "2")
        #expect(try project.registryIDs().isEmpty)

        let wellos = try project.run(["tenant", "create", "wellos", "--name", "WellOS", "--tier", "pro", "--metadata", "region=eu"])
        #expect(wellos.status == 0, CLI.describe(wellos))
        #expect(wellos.stdout.contains("wellos: ACTIVE"), CLI.describe(wellos))
        let demo = try project.run(["tenant", "create", "demo"])
        #expect(demo.status == 0, CLI.describe(demo))
        #expect(demo.stdout.contains("demo: ACTIVE"), CLI.describe(demo))

        #expect(try project.registryIDs() == ["demo", "wellos"])
        for id in ["wellos", "demo"] {
            #expect(try project.status(id) == "ACTIVE")
            #expect(try project.location(id) == "\(id)_\(project.suffix)")
            #expect(try project.tenantTables(id) == ["wells"], "tenant \(id)")
            #expect(try project.tenantHistory(id) == ["001"], "tenant \(id)")
            #expect(try project.events(id) == ["-->PROVISIONING", "PROVISIONING->ACTIVE"], "tenant \(id)")
        }
        #expect(try project.psql("SELECT display_name || '|' || coalesce(tier, '-') || '|' || (metadata->>'region') || '|' || layout FROM tenantry.tenants WHERE id = 'wellos'")
                == "WellOS|pro|eu|\(layout.rawValue)")
        #expect(try project.psql("SELECT display_name || '|' || coalesce(tier, '-') || '|' || metadata::text FROM tenantry.tenants WHERE id = 'demo'")
                == "demo|-|{}")
        // The user's master migrations stay in the master database; the tenant tables are not there (database
        // layout) or only in the tenants' schemas (schema layout).
        #expect(try project.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'admins'") == "1")
        #expect(try project.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'wells'") == "0")

        let list = try project.run(["tenant", "list"])
        #expect(list.status == 0, CLI.describe(list))
        let rows = list.stdout.split(separator: "\n").map(String.init)
        let wellosRow = try #require(rows.first { $0.hasPrefix("wellos ") }, CLI.describe(list))
        let demoRow = try #require(rows.first { $0.hasPrefix("demo ") }, CLI.describe(list))
        #expect(wellosRow.contains("ACTIVE") && wellosRow.contains(layout.rawValue) && wellosRow.contains("pro"), CLI.describe(list))
        #expect(wellosRow.contains("wellos_\(project.suffix)"), CLI.describe(list))
        #expect(demoRow.contains("ACTIVE") && demoRow.contains("demo_\(project.suffix)"), CLI.describe(list))

        let json = try project.run(["tenant", "list", "--json"])
        #expect(json.status == 0, CLI.describe(json))
        let tenants = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]], CLI.describe(json))
        #expect(Set(tenants.compactMap { $0["id"] as? String }) == ["wellos", "demo"], CLI.describe(json))
        #expect(tenants.allSatisfy { $0["status"] as? String == "ACTIVE" }, CLI.describe(json))
        let wellosJSON = try #require(tenants.first { $0["id"] as? String == "wellos" })
        #expect(wellosJSON["displayName"] as? String == "WellOS")
        #expect((wellosJSON["metadata"] as? [String: String]) == ["region": "eu"])

        let show = try project.run(["tenant", "show", "wellos"])
        #expect(show.status == 0, CLI.describe(show))
        #expect(show.stdout.contains("wellos (WellOS)"), CLI.describe(show))
        #expect(show.stdout.contains("Status:   ACTIVE"), CLI.describe(show))
        #expect(show.stdout.contains("Tier:     pro"), CLI.describe(show))
        #expect(show.stdout.contains("Meta:     region=eu"), CLI.describe(show))
        #expect(show.stdout.contains("- -> PROVISIONING"), CLI.describe(show))
        #expect(show.stdout.contains("PROVISIONING -> ACTIVE"), CLI.describe(show))

        // Creating an ACTIVE tenant again is a no-op that says so, and writes no event.
        let eventsBefore = try project.eventCount()
        let again = try project.run(["tenant", "create", "demo"])
        #expect(again.status == 0, CLI.describe(again))
        #expect(again.stdout.contains("demo is already ACTIVE"), CLI.describe(again))
        #expect(try project.eventCount() == eventsBefore)
        #expect(try project.status("demo") == "ACTIVE")

        // The server holds exactly the registry's names for this test's tenants.
        #expect(try project.namesOnServer() == project.registryNames())
        #expect(try project.registryNames() == ["demo_\(project.suffix)", "wellos_\(project.suffix)"])
    }

    /// Slugs the CLI must refuse before anything reaches the server.
    static let badSlugs: [String] = [
        "x\"; DROP DATABASE y",
        "Acme",
        "",
        String(repeating: "a", count: 100),
        "x'; DROP SCHEMA public CASCADE; --",
        "pg_catalog",
        "tenantry",
    ]

    @Test(TestDatabase.required, arguments: TenantLayout.allCases)
    func badSlugsAreRefusedAndLeaveNothing(layout: TenantLayout) throws {
        let project = try TenantProject(layout: layout.rawValue, prefix: "tcli_slug")
        defer { project.cleanUp() }
        let up = try project.run(["up"])
        #expect(up.status == 0, CLI.describe(up))
        let schemasBefore = try project.psql("SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace")
        let databasesBefore = try project.tenantDatabasesOnServer()

        for slug in Self.badSlugs {
            let result = try project.run(["tenant", "create", slug])
            #expect(result.status == 64, "slug \(slug.debugDescription): \(CLI.describe(result))")
            #expect(CLI.errorLines(result.stderr).count == 1, "slug \(slug.debugDescription): \(CLI.describe(result))")
            #expect(result.stderr.contains("slug"), "slug \(slug.debugDescription): \(CLI.describe(result))")
        }
        #expect(try project.registryIDs().isEmpty)
        #expect(try project.eventCount() == 0)
        #expect(try project.psql("SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace") == schemasBefore)
        #expect(try project.tenantDatabasesOnServer() == databasesBefore)
        #expect(try TestServer.databaseExists(project.master))
        #expect(try project.psql("SELECT count(*) FROM pg_namespace WHERE nspname = 'public'") == "1")
    }

    @Test(TestDatabase.required)
    func refusedStatusChangesNameTheTenant() throws {
        let project = try TenantProject(layout: "schema", prefix: "tcli_err")
        defer { project.cleanUp() }
        let up = try project.run(["up"])
        #expect(up.status == 0, CLI.describe(up))

        let unknown = try project.run(["tenant", "show", "nope"])
        #expect(unknown.status == 64, CLI.describe(unknown))
        #expect(unknown.stderr.contains("'nope'"), CLI.describe(unknown))
        for command in ["suspend", "resume", "retry"] {
            let result = try project.run(["tenant", command, "nope"])
            #expect(result.status == 64, "\(command): \(CLI.describe(result))")
            #expect(result.stderr.contains("'nope'"), "\(command): \(CLI.describe(result))")
        }

        let create = try project.run(["tenant", "create", "wellos"])
        #expect(create.status == 0, CLI.describe(create))
        let events = try project.eventCount("wellos")

        // Resuming an ACTIVE tenant says it already is, exits 0 and writes nothing.
        let resume = try project.run(["tenant", "resume", "wellos"])
        #expect(resume.status == 0, CLI.describe(resume))
        #expect(resume.stdout.contains("wellos is already ACTIVE"), CLI.describe(resume))
        #expect(try project.eventCount("wellos") == events)

        // Retry only resumes FAILED tenants.
        let retry = try project.run(["tenant", "retry", "wellos"])
        #expect(retry.status == 64, CLI.describe(retry))
        #expect(retry.stderr.contains("not FAILED"), CLI.describe(retry))
        #expect(try project.eventCount("wellos") == events)

        // Suspend, suspend again (already), resume.
        let suspend = try project.run(["tenant", "suspend", "wellos"])
        #expect(suspend.status == 0, CLI.describe(suspend))
        #expect(suspend.stdout.contains("ACTIVE -> SUSPENDED"), CLI.describe(suspend))
        #expect(try project.status("wellos") == "SUSPENDED")
        let suspendAgain = try project.run(["tenant", "suspend", "wellos"])
        #expect(suspendAgain.status == 0, CLI.describe(suspendAgain))
        #expect(suspendAgain.stdout.contains("already SUSPENDED"), CLI.describe(suspendAgain))
        // A suspended tenant is not provisioned by create.
        let createSuspended = try project.run(["tenant", "create", "wellos"])
        #expect(createSuspended.status == 64, CLI.describe(createSuspended))
        #expect(createSuspended.stderr.contains("SUSPENDED"), CLI.describe(createSuspended))
        let back = try project.run(["tenant", "resume", "wellos"])
        #expect(back.status == 0, CLI.describe(back))
        #expect(try project.status("wellos") == "ACTIVE")
        #expect(try project.events("wellos") == ["-->PROVISIONING", "PROVISIONING->ACTIVE", "ACTIVE->SUSPENDED", "SUSPENDED->ACTIVE"])
    }

    @Test(TestDatabase.required)
    func commandsBeforeUpPointToUp() throws {
        let project = try TenantProject(layout: "schema", prefix: "tcli_pre")
        defer { project.cleanUp() }
        // No master database yet.
        let noDatabase = try project.run(["tenant", "list"])
        #expect(noDatabase.status == 2, CLI.describe(noDatabase))
        #expect(noDatabase.stderr.contains(project.master) && noDatabase.stderr.contains("tenantry up"), CLI.describe(noDatabase))
        #expect(try !TestServer.databaseExists(project.master), "tenant list must not create the master database")

        // A master database without the registry.
        try Psql.query(try TestDatabase.requireURL(), "CREATE DATABASE \"\(project.master)\"")
        for arguments in [["tenant", "list"], ["tenant", "show", "acme"]] {
            let result = try project.run(arguments)
            #expect(result.status == 2, CLI.describe(result))
            #expect(result.stderr.contains("registry (schema tenantry) does not exist"), CLI.describe(result))
            #expect(result.stderr.contains("tenantry up"), CLI.describe(result))
        }
        #expect(try project.psql("SELECT count(*) FROM pg_namespace WHERE nspname = 'tenantry'") == "0")

        // A malformed --metadata is refused before anything is written.
        let metadata = try project.run(["tenant", "create", "acme", "--metadata", "novalue"])
        #expect(metadata.status == 64, CLI.describe(metadata))
        #expect(metadata.stderr.contains("--metadata 'novalue' is not key=value"), CLI.describe(metadata))
        #expect(try project.psql("SELECT count(*) FROM pg_namespace WHERE nspname = 'tenantry'") == "0")
        #expect(try project.tenantSchemasInMaster().isEmpty)
    }

    @Test(TestDatabase.required, arguments: TenantLayout.allCases)
    func missingExtensionNamesTheDebianPackageAndFailsTheTenant(layout: TenantLayout) throws {
        let project = try TenantProject(layout: layout.rawValue, prefix: "tcli_ext", extensions: ["this_extension_does_not_exist"])
        defer { project.cleanUp() }
        let up = try project.run(["up"])
        #expect(up.status == 0, CLI.describe(up))

        let create = try project.run(["tenant", "create", "acme"])
        #expect(create.status != 0, CLI.describe(create))
        #expect(create.status != 64, CLI.describe(create))
        #expect(create.stderr.contains("postgresql-15-this-extension-does-not-exist"), CLI.describe(create))
        #expect(create.stderr.contains("this_extension_does_not_exist"), CLI.describe(create))
        #expect(try project.status("acme") == "FAILED")
        #expect(try project.lastError("acme").contains("postgresql-15-this-extension-does-not-exist"))
        #expect(try project.events("acme") == ["-->PROVISIONING", "PROVISIONING->FAILED"])
        // No tenant tables: provisioning stopped before the tenant track.
        #expect(try project.tenantTables("acme").isEmpty)

        // A FAILED tenant cannot be suspended.
        let suspend = try project.run(["tenant", "suspend", "acme"])
        #expect(suspend.status == 64, CLI.describe(suspend))
        #expect(suspend.stderr.contains("FAILED"), CLI.describe(suspend))
        #expect(try project.status("acme") == "FAILED")

        // Once the extension is no longer configured, retry completes it.
        try project.directory.write("tenantry.yml", "layout: \(layout.rawValue)\ntenants:\n  naming: \"{slug}_\(project.suffix)\"\n")
        let retry = try project.run(["tenant", "retry", "acme"])
        #expect(retry.status == 0, CLI.describe(retry))
        #expect(try project.status("acme") == "ACTIVE")
        #expect(try project.tenantTables("acme") == ["wells"])
        #expect(try project.namesOnServer() == project.registryNames())
    }
}
