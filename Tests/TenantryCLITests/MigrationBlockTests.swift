import Foundation
import TenantryTestSupport
import Testing

/// Transactional migrations go to the server as one `DO` block; errors must still name the exact statement and
/// line, and what the block cannot run must still work (the statement-by-statement path).
@Suite("migration blocks")
struct MigrationBlockTests {
    @Test(TestDatabase.required)
    func aFailingStatementIsNamedWithItsLineAndNothingIsApplied() throws {
        let project = try MigrationProject("cli_blk_fail")
        defer { project.cleanUp() }
        try project.write("001_wells.sql", nativeMigration(up: """
            CREATE TABLE wells (
                id int PRIMARY KEY,
                name text NOT NULL
            );
            INSERT INTO wells VALUES (1, 'a'), (2, 'b');
            DO $$ BEGIN
              INSERT INTO wells VALUES (1, 'again');
            END $$;
            CREATE TABLE never (id int);
            """))
        let failed = try project.run(["migrate"])
        #expect(failed.status == 1, CLI.describe(failed))
        #expect(failed.stderr.contains("001_wells.sql failed at statement 3 of 4 (line 7)"), CLI.describe(failed))
        #expect(failed.stderr.contains("duplicate key value violates unique constraint \"wells_pkey\" (SQLSTATE 23505)"), CLI.describe(failed))
        #expect(failed.stderr.contains("statement: DO $$ BEGIN"), CLI.describe(failed))
        #expect(failed.stderr.contains("nothing of 001_wells.sql was applied"), CLI.describe(failed))
        #expect(try project.userTables().isEmpty && project.history().isEmpty)

        // Values that would end a literal (quotes, dollars, backslashes) in names and SQL are only data.
        try project.remove("001_wells.sql")
        try project.write("001_it's_$x$_\\ok.sql", nativeMigration(up: "CREATE TABLE \"we'll\" (note text DEFAULT $x$it's $tenantry$ \\ fine$x$);"))
        let applied = try project.run(["migrate"])
        #expect(applied.status == 0, CLI.describe(applied))
        #expect(try project.psql("SELECT name FROM public.tenantry_migrations") == "it's_$x$_\\ok")
        #expect(try project.psql("WITH i AS (INSERT INTO \"we'll\" DEFAULT VALUES RETURNING note) SELECT note FROM i") == "it's $tenantry$ \\ fine")
    }

    @Test(TestDatabase.required)
    func whatTheBlockCannotRunTakesTheStatementPath() throws {
        let project = try MigrationProject("cli_blk_other")
        defer { project.cleanUp() }
        // SELECT ... INTO is not allowed in PL/pgSQL EXECUTE; SELECT setval is not a DDL/DML kind the block takes.
        try project.write("001_copy.sql", nativeMigration(up: """
            CREATE TABLE src (id int);
            INSERT INTO src VALUES (1), (2);
            SELECT * INTO dst FROM src;
            CREATE SEQUENCE s;
            SELECT setval('s', 41);
            """))
        try project.write("002_timeouts.sql", nativeMigration(up: "CREATE TABLE timed (id int);", directives: ["lock-timeout 2s", "statement-timeout 1min"]))
        let result = try project.run(["migrate"])
        #expect(result.status == 0, CLI.describe(result))
        #expect(try project.psql("SELECT count(*) || ':' || nextval('s') FROM dst") == "2:42")
        #expect(try project.historyVersions() == ["001", "002"])

        try project.write("003_bad_setting.sql", nativeMigration(up: "CREATE TABLE later (id int);", directives: ["lock-timeout 99999d"]))
        let bad = try project.run(["migrate"])
        #expect(bad.status == 2 && bad.stderr.contains("lock_timeout '99999d' from 003_bad_setting.sql is not a valid setting"), CLI.describe(bad))
        #expect(try !project.tableExists("later"))
    }
}
