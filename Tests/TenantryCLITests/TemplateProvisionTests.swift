import Foundation
import TenantryTestSupport
import Testing

/// `template refresh` and `tenants.provision: template` on the real server: clones are the same as tenants built
/// by replaying every migration, get only what the template lacks, and refresh and clones never collide.
@Suite("template databases")
struct TemplateProvisionTests {
    static func project(_ layout: TenantLayout = .database) throws -> TenantProject {
        let project = try TenantProject(layout: layout.rawValue, prefix: "tcli_tpl", extensions: ["pgcrypto"], extraConfig: """
              provision: template
            environments:
              replay:
                tenants:
                  provision: migrations

            """)
        try project.writeTenantMigration("002_pumps.sql", nativeMigration(up: """
            CREATE TABLE pumps (
                id uuid PRIMARY KEY DEFAULT public.gen_random_uuid(),
                well_id int NOT NULL REFERENCES wells (id) ON DELETE CASCADE,
                rate numeric(10, 2) CHECK (rate >= 0)
            );
            CREATE INDEX pumps_well_idx ON pumps (well_id);
            CREATE VIEW busy_wells AS SELECT well_id, count(*) AS pumps FROM pumps GROUP BY well_id;
            CREATE FUNCTION pump_count(w int) RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM pumps WHERE well_id = w $$;
            """))
        try project.writeTenantMigration("003_status.sql", nativeMigration(up: "ALTER TABLE wells ADD COLUMN status text NOT NULL DEFAULT 'active';"))
        return project
    }

    static func template(_ project: TenantProject) -> String {
        project.layout == "schema" ? "tenant_template" : "\(project.master)_template"
    }

    /// Drops the template (a template database must stop being one first), then the project.
    static func cleanUp(_ project: TenantProject) {
        for name in [template(project), template(project) + "_build"] {
            _ = try? Psql.query(try TestDatabase.requireURL(), "ALTER DATABASE \"\(name)\" IS_TEMPLATE false")
            TestServer.drop(name)
        }
        project.cleanUp()
    }

    /// The tenant's shape (its database's `public`, or its schema) from the catalog: relations, columns, constraints, indexes, views and functions.
    static func shape(_ project: TenantProject, _ id: String) throws -> String {
        try project.tenantQuery(id, """
            SELECT concat_ws(' | ',
              (SELECT string_agg(relname || ':' || relkind::text, ',' ORDER BY relname) FROM pg_class
                 WHERE relnamespace = current_schema()::regnamespace),
              (SELECT string_agg(attrelid::regclass || '.' || attname || ' ' || format_type(atttypid, atttypmod) || ' '
                        || attnotnull || ' ' || coalesce(pg_get_expr(adbin, adrelid), ''), ',' ORDER BY attrelid::regclass::text, attnum)
                 FROM pg_attribute LEFT JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum
                 JOIN pg_class c ON c.oid = attrelid WHERE c.relnamespace = current_schema()::regnamespace AND attnum > 0 AND NOT attisdropped),
              (SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), ',' ORDER BY conname) FROM pg_constraint
                 WHERE connamespace = current_schema()::regnamespace),
              (SELECT string_agg(pg_get_indexdef(i.indexrelid, 0, true), ',' ORDER BY c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                 WHERE c.relnamespace = current_schema()::regnamespace),
              (SELECT string_agg(viewname || ' ' || definition, ',' ORDER BY viewname) FROM pg_views WHERE schemaname = current_schema()),
              (SELECT string_agg(proname || ' ' || pg_get_function_arguments(oid) || ' ' || prosrc, ',' ORDER BY proname) FROM pg_proc
                 WHERE pronamespace = current_schema()::regnamespace AND prokind = 'f' AND proname = 'pump_count'),
              (SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension))
            """)
    }

    static func history(_ project: TenantProject, _ id: String) throws -> String {
        try project.tenantQuery(id, "SELECT string_agg(version || ':' || name || ':' || checksum || ':' || kind, ',' ORDER BY version) FROM tenantry_migrations")
    }

    @Test(TestDatabase.required, arguments: TenantLayout.allCases)
    func twentyClonesMatchATenantBuiltFromMigrations(layout: TenantLayout) throws {
        let project = try Self.project(layout)
        defer { Self.cleanUp(project) }
        #expect(try project.run(["up"]).status == 0)
        let missing = try project.run(["tenant", "create", "early"])
        #expect(missing.status != 0 && missing.stderr.contains("run `tenantry template refresh`"), CLI.describe(missing))

        let refresh = try project.run(["template", "refresh"])
        #expect(refresh.status == 0, CLI.describe(refresh))
        #expect(refresh.stdout.contains("Template \(Self.template(project)) created at 003 (3 migrations"), CLI.describe(refresh))
        if layout == .database {
            #expect(try Psql.query(try TestDatabase.requireURL(), """
                SELECT datistemplate || ',' || datallowconn FROM pg_database WHERE datname = '\(Self.template(project))'
                """) == "true,false")
        } else {
            #expect(try project.psql("SELECT string_agg(nspname, ',') FROM pg_namespace WHERE nspname LIKE 'tenant_template%'") == "tenant_template",
                    "the template, and no build or verification schema left")
        }

        let ids = (1...20).map { String(format: "c%02d", $0) }
        try project.directory.write("tenants.txt", ids.joined(separator: "\n") + "\n")
        let clones = try project.run(["tenant", "create", "--from", "tenants.txt"])
        #expect(clones.status == 0, CLI.describe(clones))
        let replayed = try project.run(["tenant", "create", "replayed", "--env", "replay"])
        #expect(replayed.status == 0, CLI.describe(replayed))
        #expect(replayed.stderr.contains("3 tenant migrations applied"), "built from migrations: \(CLI.describe(replayed))")

        let shape = try Self.shape(project, "replayed")
        let history = try Self.history(project, "replayed")
        #expect(shape.contains("pumps_well_idx") && shape.contains("busy_wells") && shape.contains("pgcrypto"), "\(shape)")
        for id in ids {
            #expect(try project.status(id) == "ACTIVE")
            #expect(try Self.shape(project, id) == shape, "tenant \(id)")
            #expect(try Self.history(project, id) == history, "tenant \(id)")
        }

        // A migration the template lacks: a clone made now gets it, and only it, on top of the template's history.
        try project.writeTenantMigration("004_notes.sql", nativeMigration(up: "ALTER TABLE wells ADD COLUMN notes text;"))
        let late = try project.run(["tenant", "create", "late"])
        #expect(late.status == 0, CLI.describe(late))
        let cloned = layout == .database ? "created database late_\(project.suffix) from template \(Self.template(project))"
            : "created schema late_\(project.suffix) as a copy of template \(Self.template(project))"
        #expect(late.stderr.contains(cloned) && late.stderr.contains("1 tenant migration applied"), CLI.describe(late))
        let clonedAt = "SELECT applied_at FROM tenantry_migrations WHERE version = '003'"
        #expect(try project.tenantQuery("late", clonedAt) == project.tenantQuery("c01", clonedAt), "001-003 came with the template")
        #expect(try project.tenantHistory("late") == ["001", "002", "003", "004"])

        let down = try project.run(["down", "--yes"])
        #expect(down.status == 0, CLI.describe(down))
        #expect(layout == .schema || down.stdout.contains("Dropped template database \(Self.template(project))"), CLI.describe(down))
        #expect(try !TestServer.databaseExists(Self.template(project)) && !TestServer.databaseExists(project.master))
    }

    @Test(TestDatabase.required, arguments: TenantLayout.allCases)
    func refreshAndClonesAtTheSameTimeNeverCollide(layout: TenantLayout) throws {
        let project = try Self.project(layout)
        defer { Self.cleanUp(project) }
        #expect(try project.run(["up"]).status == 0)
        #expect(try project.run(["template", "refresh"]).status == 0)
        let ids = (1...12).map { String(format: "r%02d", $0) }
        try project.directory.write("tenants.txt", ids.joined(separator: "\n") + "\n")

        let results = try BackgroundRun.concurrently([
            ["tenant", "create", "--from", "tenants.txt", "--concurrency", "4", "--url", project.url],
            ["template", "refresh", "--url", project.url],
            ["template", "refresh", "--url", project.url],
        ], in: project.path, timeout: 120)
        for result in results {
            #expect(result.status == 0, CLI.describe(result))
        }
        for id in ids {
            #expect(try project.status(id) == "ACTIVE")
            #expect(try project.tenantHistory(id) == ["001", "002", "003"], "tenant \(id)")
        }
        if layout == .database {
            #expect(try Psql.query(try TestDatabase.requireURL(), """
                SELECT count(*) FROM pg_database WHERE datname LIKE '\(Self.template(project))%' AND datistemplate AND NOT datallowconn
                """) == "1", "one template, no build left behind")
        } else {
            #expect(try project.psql("SELECT string_agg(nspname, ',') FROM pg_namespace WHERE nspname LIKE 'tenant_template%'") == "tenant_template")
        }
    }

    @Test(TestDatabase.required)
    func aSchemaTheCopyCannotReproduceIsRefusedAndNothingIsKept() throws {
        let project = try Self.project(.schema)
        defer { Self.cleanUp(project) }
        try project.writeTenantMigration("004_policy.sql", nativeMigration(up: """
            ALTER TABLE wells ENABLE ROW LEVEL SECURITY;
            CREATE POLICY wells_own ON wells USING (name <> 'hidden');
            """))
        #expect(try project.run(["up"]).status == 0)
        let refresh = try project.run(["template", "refresh"])
        #expect(refresh.status == 2, CLI.describe(refresh))
        #expect(refresh.stderr.contains("cannot be copied faithfully") && refresh.stderr.contains("row-level security policies"), CLI.describe(refresh))
        #expect(refresh.stderr.contains("tenants.provision: migrations"), CLI.describe(refresh))
        #expect(try project.psql("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'tenant_template%'") == "0", "nothing is kept")
        let create = try project.run(["tenant", "create", "acme"])
        #expect(create.status != 0 && create.stderr.contains("the template schema tenant_template does not exist"), CLI.describe(create))
    }
}
