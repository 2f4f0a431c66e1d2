import Foundation
import TenantryTestSupport
import Testing

/// `tenantry adopt`: a fleet another tool migrated joins Tenantry without any migration running twice.
@Suite("adopting other tools' histories")
struct AdoptTests {
    static let tenantCount = 200

    /// A schema-layout project whose tenant folder is `fleet`'s, its 200 tenants listed by the application's table
    /// and already migrated by the psql script (the first one with a dirty, failed or unknown history row).
    static func project(_ fleet: ForeignFleet) throws -> (TenantProject, schemas: [String]) {
        let query = "  query: \"SELECT id, schema_name FROM app_tenants ORDER BY id\"\n"
        let project = try TenantProject(layout: "schema", prefix: "tcli_adopt_\(fleet.rawValue.prefix(5))", extraConfig: query)
        try FileManager.default.removeItem(atPath: project.path + "/migrations/tenant/001_wells.sql")
        for file in fleet.files { try project.directory.write("migrations/tenant/\(file.path)", file.contents) }
        try project.directory.write("migrations/master/002_app_tenants.sql", nativeMigration(up: """
            CREATE TABLE app_tenants (id text PRIMARY KEY, schema_name text NOT NULL);
            INSERT INTO app_tenants SELECT 'c' || lpad(i::text, 3, '0'), 'app_c' || lpad(i::text, 3, '0') FROM generate_series(1, \(tenantCount)) i;
            """))
        let schemas = (1...tenantCount).map { String(format: "app_c%03d", $0) }
        return (project, schemas)
    }

    static func runScript(_ script: String, project: TenantProject) throws {
        let file = try project.directory.write("migrate-fleet.sql", script)
        let output = try ExternalProgram.run(try Psql.path, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", project.url, "-f", file])
        guard output.status == 0 else { throw Psql.Failure(description: "the fleet script failed: \(output.stderr)") }
    }

    @Test(TestDatabase.required, arguments: ForeignFleet.allCases)
    func aFleetMigratedByAnotherToolIsAdoptedInOneRunAndNothingRunsTwice(_ fleet: ForeignFleet) throws {
        let (project, schemas) = try Self.project(fleet)
        defer { project.cleanUp() }
        for step in [["db", "ensure", project.master], ["migrate", "master"]] {
            let master = try project.run(step)
            try #require(master.status == 0, CLI.describe(master))
        }
        try Self.runScript(fleet.script(schemas: schemas), project: project)

        // Before adopting, migrate meets what exists, and says to adopt.
        let tooSoon = try project.run(["migrate", "tenants", "--tenant", "c002"])
        #expect(tooSoon.status != 0 && (tooSoon.stdout + tooSoon.stderr).contains("this target holds app_c002.\(fleet == .dbmate ? "schema_migrations" : "")"), CLI.describe(tooSoon))
        #expect(try project.psql("SELECT count(*) FROM app_c002.ledger") == "2", "the failed run left the tenant as it was")

        let dryRun = try project.run(["adopt", "tenants", "--dry-run"])
        #expect(dryRun.status == 1, CLI.describe(dryRun))
        #expect(dryRun.stdout.contains("tenant c003: would record 2 migrations applied by \(fleet)"), CLI.describe(dryRun))
        #expect(try project.psql("SELECT to_regclass('app_c003.tenantry_migrations') IS NULL") == "t", "a dry run changes nothing")

        let adopt = try project.run(["adopt"], timeout: 300)
        #expect(adopt.status == 1, CLI.describe(adopt))
        #expect(adopt.stdout.contains("tenants: adopted on \(Self.tenantCount - 1) of \(Self.tenantCount)"), CLI.describe(adopt))
        #expect(adopt.stderr.contains("tenant c001: "), CLI.describe(adopt))
        #expect(adopt.stdout.contains("tenant c001: nothing adopted"), CLI.describe(adopt))
        #expect(try project.psql("SELECT count(*) FROM app_c001.tenantry_migrations") == "0", "the broken tenant is left alone")
        #expect(try project.status("c001") == "PROVISIONING")
        #expect(try project.psql("SELECT count(*) FROM tenantry.tenants WHERE status = 'ACTIVE'") == "\(Self.tenantCount - 1)")
        #expect(try project.tenantQuery("c200", "SELECT string_agg(version || ':' || kind, ',' ORDER BY version) FROM tenantry_migrations")
                .hasSuffix(":baseline"))

        // The user repairs the broken history the tool's way; adopting again finishes it and leaves the others.
        _ = try project.psql("SET search_path = app_c001; \(fleet.repair)")
        let again = try project.run(["adopt", "tenants"], timeout: 300)
        #expect(again.status == 0, CLI.describe(again))
        #expect(again.stdout.contains("tenant c001: recorded 2 migrations") && again.stdout.contains("tenant c002: nothing new"), CLI.describe(again))
        let check = try project.run(["status", "tenants", "--check"])
        #expect(check.status == 0, CLI.describe(check))

        // A new migration deploys to every tenant, and no adopted one ran again.
        let third = fleet == .drizzle ? "0002_code.sql" : (fleet == .flyway ? "V3__code.sql" : (fleet == .golangMigrate ? "000003_code.up.sql"
                                                                                              : (fleet == .prisma ? "20240103000000_code/migration.sql" : "20240103000000_code.sql")))
        let sql = "ALTER TABLE items ADD COLUMN code text;\nINSERT INTO ledger VALUES ('3');"
        try project.writeTenantMigration(third, [.dbmate, .knex].contains(fleet) ? "-- migrate:up\n\(sql)\n" : sql)
        if fleet == .drizzle {
            let journal = try String(contentsOfFile: project.path + "/migrations/tenant/meta/_journal.json", encoding: .utf8)
            try project.writeTenantMigration("meta/_journal.json", journal.replacingOccurrences(
                of: "]}", with: #", {"idx": 2, "version": "7", "when": 1700000002000, "tag": "0002_code", "breakpoints": true}]}"#))
        }
        let deploy = try project.run(["migrate", "tenants"], timeout: 300)
        #expect(deploy.status == 0, CLI.describe(deploy))
        let ledgers = schemas.map { "SELECT string_agg(step, ',' ORDER BY step) AS steps FROM \($0).ledger" }.joined(separator: " UNION ALL ")
        #expect(try project.psql("SELECT string_agg(DISTINCT steps, ' | ') FROM (\(ledgers)) l") == "1,2,3", "each migration ran once per tenant")
    }
}

extension AdoptTests {
    /// Database layout: the master's dbmate history and each tenant database's drizzle history (in drizzle's own
    /// schema) are adopted; a target holding two tools' histories needs --from.
    @Test(TestDatabase.required)
    func theMasterAndTenantDatabasesAreAdoptedAndTwoHistoriesNeedFrom() throws {
        let query = "  query: \"SELECT id, database_name FROM app_tenants ORDER BY id\"\n"
        let project = try TenantProject(layout: "database", prefix: "tcli_adopt_db", extraConfig: query)
        defer { project.cleanUp() }
        try FileManager.default.removeItem(atPath: project.path + "/migrations/tenant/001_wells.sql")
        let drizzle = ForeignFleet.drizzle
        for file in drizzle.files { try project.directory.write("migrations/tenant/\(file.path)", file.contents) }
        let ensured = try project.run(["db", "ensure", project.master])
        try #require(ensured.status == 0, CLI.describe(ensured))
        let ids = ["alpha", "beta"]
        _ = try project.psql("""
            CREATE TABLE admins (id int PRIMARY KEY, email text);
            CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);
            INSERT INTO schema_migrations VALUES ('001');
            CREATE TABLE knex_migrations (id serial PRIMARY KEY, name varchar(255), batch integer, migration_time timestamptz);
            CREATE TABLE app_tenants (id text PRIMARY KEY, database_name text NOT NULL);
            INSERT INTO app_tenants VALUES \(ids.map { "('\($0)', '\($0)_\(project.suffix)')" }.joined(separator: ", "));
            """)
        for id in ids {
            let database = "\(id)_\(project.suffix)"
            _ = try Psql.query(try TestDatabase.requireURL(), "CREATE DATABASE \(database)")
            let file = try project.directory.write("\(id).sql", drizzle.migrated(broken: false, historySchema: "drizzle"))
            let output = try ExternalProgram.run(try Psql.path, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", try TestServer.url(database: database), "-f", file])
            try #require(output.status == 0, "\(output.stderr)")
        }

        let two = try project.run(["adopt", "master"])
        #expect(two.status == 64 && two.stderr.contains("holds the histories of dbmate (public.schema_migrations) and knex (public.knex_migrations)")
                && two.stderr.contains("--from dbmate"), CLI.describe(two))
        let master = try project.run(["adopt", "master", "--from", "dbmate"])
        #expect(master.status == 0 && master.stdout.contains("recorded 1 migration applied by dbmate (001) as baseline"), CLI.describe(master))
        let tenants = try project.run(["adopt", "tenants"])
        #expect(tenants.status == 0 && tenants.stdout.contains("tenants: adopted on 2 of 2"), CLI.describe(tenants))
        #expect(try project.tenantQuery("alpha", "SELECT string_agg(version, ',' ORDER BY version) FROM tenantry_migrations") == "0000,0001")
        let migrate = try project.run(["migrate"])
        #expect(migrate.status == 0 && migrate.stdout.contains("up to date"), CLI.describe(migrate))
        let check = try project.run(["status", "tenants", "--check"])
        #expect(check.status == 0, CLI.describe(check))
        #expect(try project.tenantQuery("beta", "SELECT string_agg(step, ',' ORDER BY step) FROM ledger") == "1,2")

        // A later file that meets what exists (a fleet run's blocks) says which other history the tenant holds.
        try project.writeTenantMigration("0002_again.sql", "CREATE TABLE items (id int);")
        let journal = try String(contentsOfFile: project.path + "/migrations/tenant/meta/_journal.json", encoding: .utf8)
        try project.writeTenantMigration("meta/_journal.json", journal.replacingOccurrences(
            of: "]}", with: #", {"idx": 2, "version": "7", "when": 1700000002000, "tag": "0002_again", "breakpoints": true}]}"#))
        let again = try project.run(["migrate", "tenants"])
        #expect(again.status == 1 && again.stdout.contains("this target holds drizzle.__drizzle_migrations (drizzle's history)"), CLI.describe(again))

        // A tenant holding two tools' histories is reported with what to do; the others are still adopted and shown.
        _ = try project.tenantQuery("alpha", "CREATE TABLE knex_migrations (id serial PRIMARY KEY, name varchar(255), batch integer, migration_time timestamptz)")
        let twoTools = try project.run(["adopt", "tenants"])
        #expect(twoTools.status == 1 && twoTools.stderr.contains("tenant alpha: tenant alpha") && twoTools.stderr.contains("choose the one to adopt with --from"),
                CLI.describe(twoTools))
        #expect(twoTools.stdout.contains("tenant beta: nothing new"), CLI.describe(twoTools))
    }
}
