import Foundation
import TenantryTestSupport
import Testing

/// Folders written by other tools, used as they are with `--migrations DIR` (format detected): applied on the
/// real server, history rows by the tool's versions, and rollback through their down/undo files.
@Suite("migrate: golang-migrate, Flyway and Drizzle folders")
struct MigrateImportFormatsTests {
    /// The `--dry-run --json` statement count per file.
    static func statementCounts(_ project: MigrationProject, folder: String) throws -> [String: Int] {
        let dry = try project.run(["migrate", "--dry-run", "--json", "--migrations", folder])
        #expect(dry.status == 0, CLI.describe(dry))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [[String: Any]], CLI.describe(dry))
        return Dictionary(uniqueKeysWithValues: report.map { ($0["file"] as? String ?? "?", ($0["statements"] as? [String])?.count ?? -1) })
    }

    @Test(TestDatabase.required)
    func golangMigrateFolder() throws {
        let project = try MigrationProject("cli_fmt_golang")
        defer { project.cleanUp() }
        let folder = "db/migrations"
        try project.write("000001_create_wells.up.sql", "CREATE TABLE wells (id serial PRIMARY KEY, name text);\n", folder: folder)
        try project.write("000001_create_wells.down.sql", "DROP TABLE wells;\n", folder: folder)
        try project.write("000002_create_readings.up.sql", """
            CREATE TABLE readings (id serial PRIMARY KEY, well_id int REFERENCES wells);
            INSERT INTO wells (name) VALUES ('a;b');

            """, folder: folder)
        try project.write("000002_create_readings.down.sql", "DROP TABLE readings;\nDELETE FROM wells;\n", folder: folder)
        try project.write("10_add_depth.up.sql", "ALTER TABLE wells ADD COLUMN depth numeric;\n", folder: folder)
        try project.write("10_add_depth.down.sql", "ALTER TABLE wells DROP COLUMN depth;\n", folder: folder)

        #expect(try Self.statementCounts(project, folder: folder) == [
            "000001_create_wells.up.sql": 1, "000002_create_readings.up.sql": 2, "10_add_depth.up.sql": 1,
        ])
        let migrate = try project.run(["migrate", "--migrations", folder])
        #expect(migrate.status == 0, CLI.describe(migrate))
        #expect(try project.history() == ["000001:applied:-/-", "000002:applied:-/-", "10:applied:-/-"])
        #expect(try project.userTables() == ["readings", "wells"])
        #expect(try project.psql("SELECT name FROM wells") == "a;b")
        #expect(try project.psql("SELECT count(*) FROM information_schema.columns WHERE table_name = 'wells' AND column_name = 'depth'") == "1")
        #expect(try project.run(["status", "--check", "--migrations", folder]).status == 0)

        let rollback = try project.run(["rollback", "master", "--steps", "2", "--yes", "--migrations", folder])
        #expect(rollback.status == 0, CLI.describe(rollback))
        #expect(try project.history() == ["000001:applied:-/-"])
        #expect(try project.userTables() == ["wells"])
        #expect(try project.psql("SELECT count(*) FROM wells") == "0")
        #expect(try project.psql("SELECT count(*) FROM information_schema.columns WHERE table_name = 'wells' AND column_name = 'depth'") == "0")

        // Without its .down.sql, the migration cannot be rolled back.
        try project.remove("000001_create_wells.down.sql", folder: folder)
        let refused = try project.run(["rollback", "master", "--yes", "--migrations", folder])
        #expect(refused.status != 0, CLI.describe(refused))
        #expect(refused.stderr.contains("000001_create_wells.up.sql"), CLI.describe(refused))
        #expect(refused.stderr.contains(".down.sql"), CLI.describe(refused))
        #expect(try project.userTables() == ["wells"])
    }

    @Test(TestDatabase.required)
    func flywayFolder() throws {
        let project = try MigrationProject("cli_fmt_flyway")
        defer { project.cleanUp() }
        let folder = "sql"
        try project.write("V1__create_a.sql", "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n", folder: folder)
        try project.write("V1_1__add_note.sql", "ALTER TABLE a ADD COLUMN note text;\n", folder: folder)
        try project.write("V2__create_b.sql", "CREATE TABLE b (id int);\nCREATE TABLE b_log (id int);\n", folder: folder)
        try project.write("U2__create_b.sql", "DROP TABLE b_log;\nDROP TABLE b;\n", folder: folder)

        let migrate = try project.run(["migrate", "--migrations", folder])
        #expect(migrate.status == 0, CLI.describe(migrate))
        // Versions in numeric order, 1.1 between 1 and 2.
        let order = ["V1__create_a.sql", "V1_1__add_note.sql", "V2__create_b.sql"].compactMap { migrate.stdout.range(of: "applied \($0)")?.lowerBound }
        #expect(order.count == 3 && order == order.sorted(), CLI.describe(migrate))
        #expect(try project.history() == ["1:applied:-/-", "1.1:applied:-/-", "2:applied:-/-"])
        #expect(try project.userTables() == ["a", "b", "b_log"])
        #expect(try project.psql("SELECT count(*) FROM information_schema.columns WHERE table_name = 'a' AND column_name = 'note'") == "1")

        // The undo file reverts V2.
        let rollback = try project.run(["rollback", "master", "--steps", "1", "--yes", "--migrations", folder])
        #expect(rollback.status == 0, CLI.describe(rollback))
        #expect(rollback.stdout.contains("reverted V2__create_b.sql"), CLI.describe(rollback))
        #expect(try project.historyVersions().sorted() == ["1", "1.1"])
        #expect(try project.userTables() == ["a"])

        // V1.1 has no undo file: refused, nothing reverted.
        let refused = try project.run(["rollback", "master", "--yes", "--migrations", folder])
        #expect(refused.status != 0, CLI.describe(refused))
        #expect(refused.stderr.contains("V1_1__add_note.sql"), CLI.describe(refused))
        #expect(refused.stderr.contains("no down section"), CLI.describe(refused))
        #expect(try project.historyVersions().sorted() == ["1", "1.1"])

        // Applied again through the same folder.
        let again = try project.run(["migrate", "--migrations", folder])
        #expect(again.status == 0, CLI.describe(again))
        #expect(try project.historyVersions().sorted() == ["1", "1.1", "2"])
    }

    static let journal = """
        {
          "version": "7",
          "dialect": "postgresql",
          "entries": [
            { "idx": 0, "version": "7", "when": 1730000000000, "tag": "0000_init_users", "breakpoints": true },
            { "idx": 1, "version": "7", "when": 1730000100000, "tag": "0001_add_posts", "breakpoints": true }
          ]
        }

        """

    @Test(TestDatabase.required)
    func drizzleFolder() throws {
        let project = try MigrationProject("cli_fmt_drizzle")
        defer { project.cleanUp() }
        let folder = "drizzle"
        try project.write("meta/_journal.json", Self.journal, folder: folder)
        try project.write("0000_init_users.sql", """
            CREATE TABLE IF NOT EXISTS "users" (
            \t"id" serial PRIMARY KEY NOT NULL,
            \t"email" text NOT NULL
            );
            --> statement-breakpoint
            CREATE UNIQUE INDEX IF NOT EXISTS "users_email_idx" ON "users" USING btree ("email");
            """, folder: folder)
        try project.write("0001_add_posts.sql", """
            CREATE TABLE IF NOT EXISTS "posts" (
            \t"id" serial PRIMARY KEY NOT NULL,
            \t"user_id" integer NOT NULL,
            \t"body" text DEFAULT 'a; b' NOT NULL
            );
            --> statement-breakpoint
            DO $$ BEGIN
             ALTER TABLE "posts" ADD CONSTRAINT "posts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
            EXCEPTION
             WHEN duplicate_object THEN null;
            END $$;
            --> statement-breakpoint
            INSERT INTO "users" ("email") VALUES ('x@example.com');
            """, folder: folder)

        #expect(try Self.statementCounts(project, folder: folder) == ["0000_init_users.sql": 2, "0001_add_posts.sql": 3])
        let migrate = try project.run(["migrate", "--migrations", folder])
        #expect(migrate.status == 0, CLI.describe(migrate))
        #expect(try project.history() == ["0000:applied:-/-", "0001:applied:-/-"])
        #expect(try project.userTables() == ["posts", "users"])
        #expect(try project.indexState("users_email_idx") == "valid")
        #expect(try project.psql("SELECT count(*) FROM pg_constraint WHERE conname = 'posts_user_id_users_id_fk'") == "1")
        #expect(try project.psql("SELECT email FROM users") == "x@example.com")

        // Drizzle has no down migrations.
        let refused = try project.run(["rollback", "master", "--yes", "--migrations", folder])
        #expect(refused.status != 0, CLI.describe(refused))
        #expect(refused.stderr.contains("0001_add_posts.sql"), CLI.describe(refused))
        #expect(try project.historyVersions() == ["0000", "0001"])

        let current = try project.run(["status", "--check", "--migrations", folder])
        #expect(current.status == 0, CLI.describe(current))
    }
}
