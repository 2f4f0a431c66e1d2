import Foundation
import TenantryTestSupport
import Testing

/// The same tenant files give the same objects on every path, in both layouts and on the master track: what psql
/// makes of them in a plain database, compared by `pg_dump --schema-only`.
@Suite("schema layout: one behaviour on every path")
struct SchemaLayoutParityTests {
    @Test(TestDatabase.required, arguments: SchemaLayoutFixture.allCases)
    func everyPathGivesWhatPsqlGives(_ fixture: SchemaLayoutFixture) throws {
        let reference = try SchemaDump.reference(fixture)
        #expect(reference.contains("CREATE TABLE public."), "\(reference)")
        for layout in TenantLayout.allCases {
            let project = try TenantProject(layout: layout.rawValue, prefix: "par")
            defer { project.cleanUp() }
            try FileManager.default.removeItem(atPath: project.path + "/migrations/tenant/001_wells.sql")
            try FileManager.default.removeItem(atPath: project.path + "/migrations/master/001_admins.sql")
            for file in fixture.folder(2) { try project.directory.write("migrations/master/\(file.path)", file.contents) }
            for file in fixture.folder(1) { try project.writeTenantMigration(file.path, file.contents) }
            let bulk = (1...(layout == .schema ? 10 : 3)).map { "bulk-\($0)" }
            try project.directory.write("first.txt", bulk.joined(separator: "\n") + "\n")
            try project.directory.write("late.txt", "late-1\nlate-2\n")

            let steps: [[String]] = [
                ["up"],                                                     // the master track, both files
                ["tenant", "create", "--from", "first.txt"],                // bulk: the first file
                ["tenant", "create", "single"],                             // single: the first file
            ]
            for step in steps { try Self.succeeds(project, step, layout) }
            for file in fixture.folder(2) { try project.writeTenantMigration(file.path, file.contents) }
            // The deploy of the second file: a fleet run (schema layout) and `up` (database layout).
            try Self.succeeds(project, layout == .schema ? ["migrate", "tenants"] : ["up"], layout)
            try Self.succeeds(project, ["tenant", "create", "--from", "late.txt"], layout)   // bulk: the whole track
            try Self.succeeds(project, ["tenant", "create", "late-single"], layout)         // single: the whole track
            try Self.succeeds(project, ["status", "tenants", "--check"], layout)

            #expect(try SchemaDump.of(project.url, schema: "public") == reference, "\(fixture), \(layout): master track")
            for id in bulk + ["single", "late-1", "late-2", "late-single"] {
                let place = try project.location(id)
                let dump = layout == .schema ? try SchemaDump.of(project.url, schema: place)
                    : try SchemaDump.of(try TestServer.url(database: place), schema: "public")
                #expect(dump == reference, "\(fixture), \(layout): tenant \(id)\n--- got:\n\(dump)\n--- psql:\n\(reference)")
            }
            if layout == .schema {
                // Extensions went to the shared schema once, never into a tenant's.
                #expect(try project.psql("SELECT count(*) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE n.nspname NOT IN ('public', 'pg_catalog')") == "0")
            }
        }
    }

    /// `tenants.provision: template`: a tenant cloned from the template the migrations built has psql's objects too.
    @Test(TestDatabase.required, arguments: SchemaLayoutFixture.allCases)
    func aTemplateCloneGivesWhatPsqlGives(_ fixture: SchemaLayoutFixture) throws {
        let reference = try SchemaDump.reference(fixture)
        for layout in TenantLayout.allCases {
            let project = try TenantProject(layout: layout.rawValue, prefix: "part", extraConfig: "  provision: template\n")
            defer { TemplateProvisionTests.cleanUp(project) }
            try FileManager.default.removeItem(atPath: project.path + "/migrations/tenant/001_wells.sql")
            for file in fixture.folder(2) { try project.writeTenantMigration(file.path, file.contents) }
            for step in [["up"], ["template", "refresh"], ["tenant", "create", "cloned"]] { try Self.succeeds(project, step, layout) }
            let place = try project.location("cloned")
            let dump = layout == .schema ? try SchemaDump.of(project.url, schema: place)
                : try SchemaDump.of(try TestServer.url(database: place), schema: "public")
            #expect(dump == reference, "\(fixture), \(layout), template clone\n--- got:\n\(dump)\n--- psql:\n\(reference)")
            if layout == .schema, fixture == .prisma {
                // The copied function counts the tenant's own rows.
                _ = try project.psql("INSERT INTO \(place).\"Account\" (email) VALUES ('a@example.com')")
                #expect(try project.psql("SELECT \(place).account_count()") == "1")
            }
        }
    }

    /// A Prisma folder read as another format holds something but yields no migration: exit 2, naming what it found.
    @Test(TestDatabase.required)
    func aFolderThatYieldsNoMigrationIsAnError() throws {
        let project = try TenantProject(layout: "schema", prefix: "par", extraConfig: "master:\n  format: native\n")
        defer { project.cleanUp() }
        try FileManager.default.removeItem(atPath: project.path + "/migrations/master/001_admins.sql")
        for file in SchemaLayoutFixture.prismaFolder.folder(2) { try project.directory.write("migrations/master/\(file.path)", file.contents) }
        for arguments in [["migrate"], ["validate"], ["up"]] {
            let result = try project.run(arguments)
            #expect(result.status == 2, CLI.describe(result))
            #expect(result.stderr.contains("holds 20240101120000_init, 20240101120000_nicknames, migration_lock.toml but no migration when read as native"),
                    CLI.describe(result))
        }
    }

    static func succeeds(_ project: TenantProject, _ arguments: [String], _ layout: TenantLayout,
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try project.run(arguments, timeout: 300)
        #expect(result.status == 0, "\(layout) \(arguments.joined(separator: " ")): \(CLI.describe(result))", sourceLocation: sourceLocation)
    }
}

/// `tenants.extensions` in the schema layout: one copy per database, usable unqualified, never dropped with a tenant.
@Suite("schema layout: extensions")
struct SchemaLayoutExtensionTests {
    @Test(TestDatabase.required)
    func fiftyTenantsCreatedAtOnceShareOneCopyOfEachExtension() throws {
        let project = try TenantProject(layout: "schema", prefix: "ext", extensions: ["citext", "pgcrypto"])
        defer { project.cleanUp() }
        try project.writeTenantMigration("002_people.sql", nativeMigration(up: """
            CREATE TABLE people (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email citext NOT NULL);
            INSERT INTO people (email) VALUES ('Ann@Example.com');
            """))
        let slugs = (1...50).map { String(format: "t%02d", $0) }
        try project.directory.write("tenants.txt", slugs.joined(separator: "\n") + "\n")
        try SchemaLayoutParityTests.succeeds(project, ["up"], .schema)
        #expect(try project.psql("SELECT count(*) FROM pg_extension WHERE extname IN ('citext', 'pgcrypto')") == "0")
        try SchemaLayoutParityTests.succeeds(project, ["tenant", "create", "--from", "tenants.txt", "--concurrency", "8"], .schema)

        #expect(try project.psql("SELECT count(*) FROM tenantry.tenants WHERE status = 'ACTIVE'") == "50")
        #expect(try project.psql("""
            SELECT string_agg(e.extname || ' in ' || n.nspname, ', ' ORDER BY e.extname) FROM pg_extension e
            JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname IN ('citext', 'pgcrypto')
            """) == "citext in public, pgcrypto in public")
        // With the search path the README gives the application: the tenant's schema, then the extensions'.
        func count(_ slug: String, _ email: String) throws -> String {
            try Psql.query(project.url + "&options=-csearch_path%3D\(try project.location(slug))%2Cpublic",
                           "SELECT count(*) FROM people WHERE email = '\(email)'")
        }
        for slug in slugs { #expect(try count(slug, "ann@example.com") == "1", "\(slug)") }

        // The tenant provisioned first: its drop plan names its own objects only, and its drop leaves the rest.
        let first = try project.psql("SELECT tenant_id FROM tenantry.tenant_events WHERE to_status = 'ACTIVE' ORDER BY at, id LIMIT 1")
        let schema = try project.location(first)
        let plan = try project.run(["tenant", "drop", first, "--dry-run"])
        #expect(plan.status == 0, CLI.describe(plan))
        let objects = plan.stdout.split(separator: "\n").filter { $0.hasPrefix("  -   ") }
        #expect(objects.contains { $0.contains("table \(schema).people") }, "\(plan.stdout)")
        #expect(objects.allSatisfy { $0.contains(" \(schema).") } && !plan.stdout.contains("extension"), "\(plan.stdout)")
        try SchemaLayoutParityTests.succeeds(project, ["tenant", "drop", first, "--yes"], .schema)
        #expect(try project.psql("SELECT count(*) FROM pg_extension WHERE extname IN ('citext', 'pgcrypto')") == "2")
        let others = slugs.filter { $0 != first }
        #expect(try project.psql("""
            SELECT count(*) FROM information_schema.columns WHERE column_name = 'email' AND table_name = 'people' AND udt_name = 'citext'
            """) == "\(others.count)")
        #expect(try count(others[0], "ANN@example.com") == "1")
    }

    /// Seeds are tenant SQL too: qualified with `public` and using an extension's type unqualified, they fill the
    /// tenant's own tables.
    @Test(TestDatabase.required)
    func seedsRunLikeTheTenantFiles() throws {
        let project = try TenantProject(layout: "schema", prefix: "ext", extensions: ["citext"])
        defer { project.cleanUp() }
        try project.writeTenantMigration("002_tags.sql", nativeMigration(up: #"CREATE TABLE "public"."tags" (name citext PRIMARY KEY);"#))
        try project.directory.write("seeds/tenant/001_tags.sql", #"INSERT INTO "public"."tags" (name) VALUES ('Red'::citext), ('Blue');"#)
        try SchemaLayoutParityTests.succeeds(project, ["up"], .schema)
        for slug in ["acme", "beta"] { try SchemaLayoutParityTests.succeeds(project, ["tenant", "create", slug, "--seed"], .schema) }
        for slug in ["acme", "beta"] {
            #expect(try project.psql("SELECT string_agg(name::text, ',' ORDER BY name) FROM \(try project.location(slug)).tags") == "Blue,Red")
        }
        #expect(try project.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'tags'") == "0")
    }

    @Test(TestDatabase.required)
    func aDropThatWouldReachOutsideTheSchemaIsRefused() throws {
        let project = try TenantProject(layout: "schema", prefix: "ext")
        defer { project.cleanUp() }
        try SchemaLayoutParityTests.succeeds(project, ["up"], .schema)
        for slug in ["acme", "beta", "gamma"] { try SchemaLayoutParityTests.succeeds(project, ["tenant", "create", slug], .schema) }
        let (acme, beta, gamma) = (try project.location("acme"), try project.location("beta"), try project.location("gamma"))
        // What an older tool left: an extension inside one tenant's schema, and a column of one tenant's type in another's.
        _ = try project.psql("CREATE EXTENSION cube SCHEMA \(acme)")
        _ = try project.psql("CREATE TYPE \(beta).mood AS ENUM ('ok'); CREATE TABLE \(gamma).moods (m \(beta).mood)")

        for (slug, what) in [("acme", "extension cube"), ("beta", "column m of table \(gamma).moods")] {
            for arguments in [["tenant", "drop", slug, "--dry-run"], ["tenant", "drop", slug, "--yes"]] {
                let refused = try project.run(arguments)
                #expect(refused.status != 0 && refused.stderr.contains(what) && refused.stderr.contains("nothing was dropped"), CLI.describe(refused))
            }
            #expect(try project.status(slug) == "ACTIVE")
        }
        #expect(try project.psql("SELECT count(*) FROM pg_extension WHERE extname = 'cube'") == "1")
        #expect(try project.psql("SELECT count(*) FROM pg_namespace WHERE nspname IN ('\(acme)', '\(beta)')") == "2")
        try SchemaLayoutParityTests.succeeds(project, ["tenant", "drop", "gamma", "--yes"], .schema)
        #expect(try project.status("gamma") == "DELETED")
    }

    /// An extension an older tool put in one tenant's schema: the others could not see its types, so provisioning
    /// says where it is and how to move it, and works once it is moved.
    @Test(TestDatabase.required)
    func anExtensionInATenantsSchemaIsNamedWithHowToMoveIt() throws {
        let project = try TenantProject(layout: "schema", prefix: "ext")
        defer { project.cleanUp() }
        try SchemaLayoutParityTests.succeeds(project, ["up"], .schema)
        try SchemaLayoutParityTests.succeeds(project, ["tenant", "create", "old"], .schema)
        let old = try project.location("old")
        _ = try project.psql("CREATE EXTENSION cube SCHEMA \(old)")
        try project.writeTenantMigration("002_boxes.sql", nativeMigration(up: "CREATE EXTENSION IF NOT EXISTS cube;\nCREATE TABLE boxes (b cube);"))
        let failed = try project.run(["tenant", "create", "new"])
        #expect(failed.status != 0 && failed.stderr.contains("extension cube is installed in another schema")
                && failed.stderr.contains("it is in schema \(old)") && failed.stderr.contains("ALTER EXTENSION \"cube\" SET SCHEMA \"public\""),
                CLI.describe(failed))
        _ = try project.psql("ALTER EXTENSION cube SET SCHEMA public")
        try SchemaLayoutParityTests.succeeds(project, ["tenant", "retry", "new"], .schema)
        try SchemaLayoutParityTests.succeeds(project, ["migrate", "tenants"], .schema)
        #expect(try project.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'boxes'") == "2")
    }

    @Test(TestDatabase.required)
    func validateNamesACatalogLookupWithoutASchemaFilter() throws {
        let project = try TenantProject(layout: "schema", prefix: "ext")
        defer { project.cleanUp() }
        try project.writeTenantMigration("002_check.sql", nativeMigration(up: """
            DO $$
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'wells_name_check') THEN
                ALTER TABLE wells ADD CONSTRAINT wells_name_check CHECK (name <> '');
              END IF;
            END $$;
            """))
        let warned = try project.run(["validate", "--offline"])
        #expect(warned.status == 0, CLI.describe(warned))
        #expect(warned.stderr.contains("002_check.sql:4: statement 1 reads pg_constraint without a schema filter"), CLI.describe(warned))
        let strict = try project.run(["validate", "--offline", "--strict"])
        #expect(strict.status != 0 && strict.stderr.contains("002_check.sql:4"), CLI.describe(strict))
    }
}
