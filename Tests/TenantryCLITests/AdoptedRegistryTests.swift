import Foundation
import TenantryTestSupport
import Testing

/// Rows of the application's own tenant table (`tenants.query`) are untrusted: they never make Tenantry migrate
/// or drop a system database, the master, or a database it did not create.
@Suite("adopted registries are untrusted")
struct AdoptedRegistryTests {
    /// `up` adopts the rows of `app_tenants`, which the master migration `appTenants` creates and fills.
    static func project(layout: TenantLayout, appTenants: (TenantProject) -> String) throws -> TenantProject {
        let query = "  query: \"SELECT id, location AS database_name, location AS schema_name FROM app_tenants ORDER BY id\"\n"
        let project = try TenantProject(layout: layout.rawValue, prefix: "tcli_adopt", extraConfig: query)
        try project.directory.write("migrations/master/002_app_tenants.sql", nativeMigration(up: """
            CREATE TABLE app_tenants (id text PRIMARY KEY, location text NOT NULL);
            \(appTenants(project))
            """))
        return project
    }

    /// Whether `database` on the test server holds a table named `wells` (the tenant track's table).
    static func hasWells(_ database: String) throws -> Bool {
        try Psql.query(try TestServer.url(database: database), "SELECT to_regclass('public.wells') IS NOT NULL") == "t"
    }

    @Test(TestDatabase.required)
    func systemDatabasesTheMasterAndForeignDatabasesAreNeitherMigratedNorDropped() throws {
        // Never leave tenant tables in template1 (every later database would inherit them), even if this fails.
        let hadWells = (try? Self.hasWells("template1")) == true || (try? Self.hasWells("postgres")) == true
        try #require(!hadWells, "template1 or postgres holds a wells table before the test")
        defer {
            for database in ["template1", "postgres"] where (try? Self.hasWells(database)) == true {
                _ = try? Psql.query(try TestServer.url(database: database), "DROP TABLE wells; DROP TABLE IF EXISTS tenantry_migrations")
            }
        }
        let victim = "victim_" + UUID().uuidString.prefix(6).lowercased()
        let project = try Self.project(layout: .database) { project in
            "INSERT INTO app_tenants VALUES ('sys', 'postgres'), ('tpl', 'template1'), ('boss', '\(project.master)'), "
                + "('victim', '\(victim)'), ('fresh', 'fresh_\(project.suffix)');"
        }
        defer { project.cleanUp(); TestServer.drop(victim) }
        // The application's own database, with data Tenantry must never drop.
        _ = try Psql.query(try TestDatabase.requireURL(), "CREATE DATABASE \(victim)")
        _ = try Psql.query(try TestServer.url(database: victim), "CREATE TABLE invoices (id int); INSERT INTO invoices VALUES (1), (2)")

        let up = try project.run(["up"])
        for (id, why) in [("sys", "a system database"), ("tpl", "a system database"), ("boss", "the master database")] {
            #expect(up.stderr.contains("'\(id)', which cannot be adopted") && up.stderr.contains(why), CLI.describe(up))
        }
        #expect(try project.registryIDs() == ["fresh", "victim"], CLI.describe(up))
        #expect(try !Self.hasWells("template1") && !Self.hasWells("postgres"))
        #expect(try project.psql("SELECT to_regclass('public.wells') IS NULL") == "t", "the master holds no tenant table")
        #expect(try project.psql("SELECT id || '=' || owns_location FROM tenantry.tenants ORDER BY id") == "fresh=true\nvictim=false")

        // A registry row changed by hand to name template1 is refused by every command, before anything runs there.
        _ = try project.psql("UPDATE tenantry.tenants SET database_name = 'template1' WHERE id = 'fresh'")
        try project.writeTenantMigration("002_depth.sql", nativeMigration(up: "ALTER TABLE wells ADD COLUMN depth int;"))
        let migrate = try project.run(["migrate", "tenants"])
        #expect(migrate.status == 1, CLI.describe(migrate))
        #expect(migrate.stdout.contains("database template1, a system database") || migrate.stderr.contains("database template1, a system database"),
                CLI.describe(migrate))
        #expect(try !Self.hasWells("template1"))
        let dropSystem = try project.run(["tenant", "drop", "fresh", "--yes"])
        #expect(dropSystem.status == 2 && dropSystem.stderr.contains("a system database"), CLI.describe(dropSystem))
        #expect(try TestServer.databaseExists("template1"))
        _ = try project.psql("UPDATE tenantry.tenants SET database_name = 'fresh_\(project.suffix)', status = 'ACTIVE' WHERE id = 'fresh'")

        // down's plan keeps the database Tenantry did not create, and says why.
        let plan = try project.run(["down", "--dry-run"])
        #expect(plan.status == 0, CLI.describe(plan))
        #expect(plan.stdout.contains("fresh_\(project.suffix)") && !plan.stdout.contains("drop database \(victim)"), CLI.describe(plan))
        #expect(plan.stderr.contains("kept database \(victim) of tenant victim: Tenantry did not create it"), CLI.describe(plan))

        // tenant drop refuses it unless told so for that tenant.
        let refused = try project.run(["tenant", "drop", "victim", "--yes"])
        #expect(refused.status == 64 && refused.stderr.contains("--drop-unowned"), CLI.describe(refused))
        #expect(try Psql.query(try TestServer.url(database: victim), "SELECT count(*) FROM invoices") == "2")
        #expect(try project.status("victim") == "ACTIVE")
        let forced = try project.run(["tenant", "drop", "victim", "--yes", "--drop-unowned"])
        #expect(forced.status == 0, CLI.describe(forced))
        #expect(try !TestServer.databaseExists(victim))
        let own = try project.run(["tenant", "drop", "fresh", "--yes"])
        #expect(own.status == 0, CLI.describe(own))
        #expect(try !TestServer.databaseExists("fresh_\(project.suffix)"))
    }

    @Test(TestDatabase.required)
    func schemaRowsNamingSystemSchemasAreRefusedAndAForeignSchemaIsKept() throws {
        let project = try Self.project(layout: .schema) { _ in """
            INSERT INTO app_tenants VALUES ('pub', 'public'), ('cat', 'pg_catalog'), ('reg', 'tenantry'), ('acme', 'acme_app');
            CREATE SCHEMA acme_app;
            CREATE TABLE acme_app.invoices (id int);
            INSERT INTO acme_app.invoices VALUES (1);
            """
        }
        defer { project.cleanUp() }
        let up = try project.run(["up"])
        for id in ["pub", "cat", "reg"] {
            #expect(up.stderr.contains("'\(id)', which cannot be adopted") && up.stderr.contains("keeps for itself"), CLI.describe(up))
        }
        #expect(try project.registryIDs() == ["acme"], CLI.describe(up))
        #expect(try project.psql("SELECT to_regclass('public.wells') IS NULL") == "t", "public holds no tenant table")
        #expect(try project.psql("SELECT to_regclass('acme_app.wells') IS NOT NULL") == "t", "the adopted schema is migrated")

        let refused = try project.run(["tenant", "drop", "acme", "--yes"])
        #expect(refused.status == 64 && refused.stderr.contains("did not create"), CLI.describe(refused))
        #expect(try project.psql("SELECT count(*) FROM acme_app.invoices") == "1")
    }

    /// The application's table stays the source of truth: every command reads it again.
    @Test(TestDatabase.required)
    func rowsSoftDeletedOfAnotherEngineOrGoneAreSkippedAndNewOnesAdopted() throws {
        let query = "  query: 'SELECT id, location AS schema_name, deleted_at, \"databaseType\" FROM app_tenants ORDER BY id'\n"
        let project = try TenantProject(layout: "schema", prefix: "tcli_adopt_live", extraConfig: query)
        defer { project.cleanUp() }
        try project.directory.write("migrations/master/002_app_tenants.sql", nativeMigration(up: """
            CREATE TABLE app_tenants (id text PRIMARY KEY, location text NOT NULL, deleted_at timestamptz, "databaseType" text NOT NULL);
            INSERT INTO app_tenants VALUES ('alpha', 't_alpha', NULL, 'POSTGRESQL'), ('beta', 't_beta', NULL, 'POSTGRESQL'),
                ('gamma', 't_gamma', NULL, 'MYSQL'), ('gone', 't_gone', now(), 'POSTGRESQL');
            """))
        let up = try project.run(["up"])
        #expect(up.status == 0, CLI.describe(up))
        #expect(try project.registryIDs() == ["alpha", "beta"], CLI.describe(up))
        #expect(up.stdout.contains("adopted from tenants.query") && !up.stdout.contains("resuming"), CLI.describe(up))

        _ = try project.psql("UPDATE app_tenants SET deleted_at = now() WHERE id = 'beta'")
        try project.writeTenantMigration("002_depth.sql", nativeMigration(up: "ALTER TABLE wells ADD COLUMN depth int;"))
        let migrate = try project.run(["migrate", "tenants"])
        #expect(migrate.status == 0, CLI.describe(migrate))
        #expect(try project.tenantHistory("alpha") == ["001", "002"])
        #expect(try project.tenantHistory("beta") == ["001"], "a soft-deleted tenant is never migrated")
        let status = try project.run(["status", "tenants", "--check"])
        #expect(status.status == 0, CLI.describe(status))
        #expect(status.stdout.contains("soft-deleted"), CLI.describe(status))

        // A row gone from the table, and a new one.
        _ = try project.psql("DELETE FROM app_tenants WHERE id = 'alpha'; INSERT INTO app_tenants VALUES ('delta', 't_delta', NULL, 'postgresql')")
        try project.writeTenantMigration("003_status.sql", nativeMigration(up: "ALTER TABLE wells ADD COLUMN status text;"))
        let next = try project.run(["migrate", "tenants"])
        #expect(next.status == 0, CLI.describe(next))
        #expect(try project.tenantHistory("alpha") == ["001", "002"], "a tenant the table no longer lists is never migrated")
        #expect(try project.tenantHistory("delta") == ["001", "002", "003"], CLI.describe(next))
        #expect(try project.status("delta") == "ACTIVE")
    }
}
