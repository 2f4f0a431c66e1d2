import Testing

@testable import TenantryCore

/// How tenant files written for `public` run in a tenant's schema: what is rewritten, and what is left alone.
@Suite struct SchemaTenancyTests {
    static func track(_ sql: String) throws -> [Migration] {
        [Migration(version: try #require(MigrationVersion("1")), name: "init", file: "1_init.sql", checksum: "x",
                   up: MigrationScript(sql: sql, file: "1_init.sql", firstLine: 1), down: nil)]
    }

    static func adapted(_ sql: String, track: String? = nil, extensions: String = "public") throws -> [String] {
        let migrations = try Self.track(track ?? sql)
        let tenancy = SchemaTenancy(track: migrations, extensionsSchema: try SQLIdentifier(extensions))
        let statements = try StatementAnalyzer.statements(of: MigrationScript(sql: sql, file: "f.sql", firstLine: 1))
        return tenancy.adapt(statements, to: try SQLIdentifier("t_acme")).map(\.sql)
    }

    @Test func qualifiedNamesOfTheTracksObjectsNameTheTenantsSchema() throws {
        let sql = """
            CREATE TABLE "public"."User" (id serial PRIMARY KEY, email citext, note text DEFAULT 'public.User');
            CREATE INDEX "User_email_idx" ON public."User" (email); -- public.User in a comment
            ALTER TABLE ONLY public."User" ADD CONSTRAINT "User_email_key" UNIQUE (email)
            """
        #expect(try Self.adapted(sql) == [
            #"CREATE TABLE "t_acme"."User" (id serial PRIMARY KEY, email citext, note text DEFAULT 'public.User')"#,
            #"CREATE INDEX "User_email_idx" ON "t_acme"."User" (email)"#,
            #"ALTER TABLE ONLY "t_acme"."User" ADD CONSTRAINT "User_email_key" UNIQUE (email)"#,
        ])
    }

    @Test func extensionObjectsAndSharedTablesKeepTheirSchema() throws {
        let sql = "CREATE TABLE public.notes (id uuid DEFAULT public.gen_random_uuid(), body public.citext, plan int REFERENCES public.plans(id))"
        #expect(try Self.adapted(sql) == [
            #"CREATE TABLE "t_acme".notes (id uuid DEFAULT public.gen_random_uuid(), body public.citext, plan int REFERENCES public.plans(id))"#,
        ])
    }

    @Test func dollarQuotedBodiesAreRewrittenSingleQuotedOnesAreNot() throws {
        let track = "CREATE TABLE public.items (id int); CREATE FUNCTION public.n() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM public.items $$"
        #expect(try Self.adapted(track) == [
            #"CREATE TABLE "t_acme".items (id int)"#,
            #"CREATE FUNCTION "t_acme".n() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM "t_acme".items $$"#,
        ])
        let quoted = "CREATE FUNCTION public.m() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM public.items'"
        #expect(try Self.adapted(quoted, track: track + "; " + quoted) == [
            #"CREATE FUNCTION "t_acme".m() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM public.items'"#,
        ])
    }

    @Test func schemaStatementsNameTheTenantsSchemaButNotTheirGrantees() throws {
        let sql = """
            CREATE SCHEMA IF NOT EXISTS "public";
            GRANT USAGE ON SCHEMA public TO PUBLIC;
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO public;
            SET search_path TO public
            """
        #expect(try Self.adapted(sql) == [
            #"CREATE SCHEMA IF NOT EXISTS "t_acme""#,
            #"GRANT USAGE ON SCHEMA "t_acme" TO PUBLIC"#,
            #"ALTER DEFAULT PRIVILEGES IN SCHEMA "t_acme" GRANT SELECT ON TABLES TO public"#,
            #"SET search_path TO "t_acme", "public""#,
        ])
        #expect(try Self.adapted("SET search_path = 'public'", extensions: "extensions") == [#"SET search_path = "t_acme", "extensions""#])
    }

    @Test func createExtensionRunsOnceInTheExtensionsSchema() throws {
        let adapted = try Self.adapted(#"CREATE EXTENSION IF NOT EXISTS "pgcrypto" SCHEMA t_acme VERSION '1.3' CASCADE"#, extensions: "extensions")
        #expect(adapted.count == 1)
        #expect(adapted[0].contains(#"CREATE EXTENSION IF NOT EXISTS "pgcrypto" WITH SCHEMA "extensions" VERSION E'1.3' CASCADE"#))
        #expect(adapted[0].contains("pg_advisory_xact_lock(\(SchemaTenancy.extensionLockKey))"))
        #expect(adapted[0].contains("e.extname = E'pgcrypto'"))
    }

    @Test func dropExtensionLeavesTheSharedOneInPlace() throws {
        let adapted = try Self.adapted("DROP EXTENSION IF EXISTS citext CASCADE")
        #expect(adapted.count == 1 && adapted[0].hasPrefix("DO $tenantry_extension$ BEGIN RAISE NOTICE"), "\(adapted)")
        #expect(adapted[0].contains("extension citext is shared by every tenant") && !adapted[0].contains("DROP"))
        #expect(try Self.adapted("DROP TABLE public.t", track: "CREATE TABLE public.t (id int)") == [#"DROP TABLE "t_acme".t"#])
    }

    @Test func searchPathPutsTheExtensionsAfterTheTenant() throws {
        let tenancy = SchemaTenancy(extensionsSchema: try SQLIdentifier("ext"))
        #expect(tenancy.searchPath(for: try SQLIdentifier("t_acme")) == #""t_acme", "ext""#)
        #expect(SchemaTenancy().searchPath(for: try SQLIdentifier("public")) == #""public""#)
    }

    @Test func theTracksObjectsIncludeSerialSequencesConstraintsAndRenames() throws {
        let tenancy = SchemaTenancy(track: try Self.track("""
            CREATE TABLE public.orders (id bigserial PRIMARY KEY, total numeric CONSTRAINT orders_total_check CHECK (total >= 0));
            ALTER TABLE public.orders RENAME TO purchases;
            CREATE TYPE public.mood AS ENUM ('ok');
            CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$
            """))
        #expect(tenancy.trackObjects.isSuperset(of: ["orders", "orders_id_seq", "orders_pkey", "orders_total_check", "purchases", "mood", "touch"]))
    }

    @Test func requalifyNamesTheCopysSchemaInAFunctionBody() throws {
        let definition = #"CREATE OR REPLACE FUNCTION count_rows() RETURNS bigint LANGUAGE sql AS $function$ SELECT count(*) FROM "tpl_build"."Account" JOIN tpl.x USING (id) $function$"#
        let copied = SchemaTenancy.requalify(definition, from: [try SQLIdentifier("tpl"), try SQLIdentifier("tpl_build")], to: try SQLIdentifier("t_acme"))
        #expect(copied == #"CREATE OR REPLACE FUNCTION count_rows() RETURNS bigint LANGUAGE sql AS $function$ SELECT count(*) FROM "t_acme"."Account" JOIN "t_acme".x USING (id) $function$"#)
    }

    @Test func anotherSourceSchema() throws {
        let migrations = try Self.track("CREATE TABLE app.users (id int)")
        let tenancy = SchemaTenancy(track: migrations, sourceSchema: try SQLIdentifier("app"))
        #expect(tenancy.adapt("SELECT * FROM app.users, public.users", kind: "SelectStmt", to: try SQLIdentifier("t1"))
            == #"SELECT * FROM "t1".users, public.users"#)
    }
}

@Suite struct CatalogLookupCheckTests {
    static func findings(_ sql: String) throws -> [CatalogLookupCheck.Finding] {
        CatalogLookupCheck.findings(in: try SchemaTenancyTests.track(sql))
    }

    @Test func aLookupByNameAloneIsFoundInADoBlockWithItsLine() throws {
        let found = try Self.findings("""
            CREATE TABLE t (id int);
            DO $$
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 't_id_check') THEN
                ALTER TABLE t ADD CONSTRAINT t_id_check CHECK (id > 0);
              END IF;
            END $$;
            """)
        #expect(found == [CatalogLookupCheck.Finding(file: "1_init.sql", line: 4, statement: 2, catalog: "pg_constraint")])
        #expect(found[0].message.contains("1_init.sql:4"))
    }

    @Test(arguments: [
        "SELECT 1 FROM pg_constraint WHERE conname = 'x' AND connamespace = current_schema()::regnamespace",
        "SELECT 1 FROM pg_constraint WHERE conrelid = 't'::regclass",
        "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 't'",
        "SELECT 'pg_class is only text'",
    ])
    func aFilteredLookupIsNot(_ sql: String) throws {
        #expect(try Self.findings(sql).isEmpty)
    }

    @Test func informationSchemaIsNamedWithItsView() throws {
        let found = try Self.findings("SELECT 1 FROM information_schema.columns WHERE table_name = 't'")
        #expect(found.map(\.catalog) == ["information_schema.columns"])
    }
}
