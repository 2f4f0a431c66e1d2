import Foundation
import TenantryTestSupport
import Testing

/// Failures inside a migration and refusals before anything runs, seen by a user and in the database.
@Suite("migrate: failures and refusals")
struct MigrateFailureTests {
    /// Five statements; the third (on line 10 after a comment, spanning two lines) refers to a column that does not
    /// exist.
    static let failingAtThree = """
        -- migrate:up
        CREATE TABLE first_table (id int);

        CREATE TABLE second_table (
            id int,
            label text
        );

        -- copy the ids over
        INSERT INTO first_table
            SELECT missing_column FROM second_table;
        CREATE TABLE fourth_table (id int);
        CREATE TABLE fifth_table (id int);

        -- migrate:down
        DROP TABLE fifth_table, fourth_table, second_table, first_table;

        """

    @Test(TestDatabase.required)
    func failureInStatementThreeOfFiveLeavesNothingAndNamesFileStatementAndLine() throws {
        let project = try MigrationProject("cli_mig_fail")
        defer { project.cleanUp() }
        try project.write("001_create_before.sql", nativeMigration(up: "CREATE TABLE before_table (id int);"))
        try project.write("002_five_statements.sql", Self.failingAtThree)
        try project.write("003_create_after.sql", nativeMigration(up: "CREATE TABLE after_table (id int);"))

        let result = try project.run(["migrate"])
        #expect(result.status == 1, CLI.describe(result))
        let errors = CLI.errorLines(result.stderr)
        #expect(errors.count == 1, CLI.describe(result))
        let error = errors.first ?? ""
        #expect(error.contains("002_five_statements.sql"), CLI.describe(result))
        #expect(error.contains("statement 3 of 5"), CLI.describe(result))
        #expect(error.contains("line 10"), "the statement's own line, not its comment's\n\(CLI.describe(result))")
        #expect(result.stderr.contains("missing_column"), "the server's message is passed on\n\(CLI.describe(result))")
        #expect(result.stderr.contains("42703"), "the SQLSTATE is shown\n\(CLI.describe(result))")

        // The migration before it committed on its own; nothing of the failing one, nothing after it.
        #expect(try project.userTables() == ["before_table"])
        #expect(try project.history() == ["001:applied:-/-"])

        // Fixed, the same file applies from the start, and what follows with it.
        try project.write("002_five_statements.sql", Self.failingAtThree.replacingOccurrences(of: "missing_column", with: "id"))
        let rerun = try project.run(["migrate"])
        #expect(rerun.status == 0, CLI.describe(rerun))
        #expect(try project.userTables() == ["after_table", "before_table", "fifth_table", "first_table", "fourth_table", "second_table"])
        #expect(try project.history() == ["001:applied:-/-", "002:applied:-/-", "003:applied:-/-"])
    }

    static let concurrentIndex = """
        -- migrate:up
        CREATE INDEX CONCURRENTLY accounts_name_idx ON accounts (name);

        -- migrate:down
        DROP INDEX CONCURRENTLY accounts_name_idx;

        """

    @Test(TestDatabase.required)
    func concurrentIndexWithoutDirectiveIsRefusedBeforeAnythingRuns() throws {
        let project = try MigrationProject("cli_mig_cic")
        defer { project.cleanUp() }
        try project.write("001_create_accounts.sql", nativeMigration(up: "CREATE TABLE accounts (id int, name text);",
                                                                     down: "DROP TABLE accounts;"))
        try project.write("002_index_accounts.sql", Self.concurrentIndex)

        let refused = try project.run(["migrate"])
        #expect(refused.status != 0, CLI.describe(refused))
        #expect(refused.stdout.isEmpty, CLI.describe(refused))
        #expect(CLI.errorLines(refused.stderr).count == 1, CLI.describe(refused))
        #expect(refused.stderr.contains("002_index_accounts.sql"), CLI.describe(refused))
        #expect(refused.stderr.contains("CREATE INDEX CONCURRENTLY"), CLI.describe(refused))
        #expect(refused.stderr.contains("-- tenantry:no-transaction"), CLI.describe(refused))
        #expect(!refused.stderr.contains("Applying"), "nothing may start before every pending file is checked\n\(CLI.describe(refused))")
        // Not even the earlier, valid migration of the same run.
        #expect(try project.userTables().isEmpty)
        #expect(try project.history().isEmpty)

        // `validate` finds the same problem without a run.
        let validate = try project.run(["validate"])
        #expect(validate.status == refused.status, CLI.describe(validate))
        #expect(validate.stderr.contains("CREATE INDEX CONCURRENTLY"), CLI.describe(validate))

        // With the directive the index is built outside a transaction, and is valid.
        try project.write("002_index_accounts.sql", "-- tenantry:no-transaction\n" + Self.concurrentIndex)
        let applied = try project.run(["migrate"])
        #expect(applied.status == 0, CLI.describe(applied))
        #expect(applied.stdout.contains("applied 001_create_accounts.sql"), CLI.describe(applied))
        #expect(applied.stdout.contains("applied 002_index_accounts.sql"), CLI.describe(applied))
        #expect(try project.indexState("accounts_name_idx") == "valid")
        #expect(try project.history() == ["001:applied:-/-", "002:applied:1/1"])

        // Its down section (also no-transaction: the directive sits before -- migrate:up) reverts it.
        let rollback = try project.run(["rollback", "master", "--yes"])
        #expect(rollback.status == 0, CLI.describe(rollback))
        #expect(try project.indexState("accounts_name_idx") == nil)
        #expect(try project.history() == ["001:applied:-/-"])
    }
}

/// A no-transaction file that fails part way: what is left, what the message says, and the two ways on.
@Suite("migrate: no-transaction failures")
struct MigrateNoTransactionFailureTests {
    static let uniqueIndex = """
        -- tenantry:no-transaction
        -- migrate:up
        CREATE TABLE dupes AS SELECT 1 AS id UNION ALL SELECT 1;
        CREATE UNIQUE INDEX CONCURRENTLY dupes_id_idx ON dupes (id);
        CREATE TABLE after_index (id int);

        """

    @Test(TestDatabase.required)
    func failureAtStatementTwoLeavesAResumablePartialStateAndReportsTheInvalidIndex() throws {
        let project = try MigrationProject("cli_mig_nt_fail")
        defer { project.cleanUp() }
        try project.write("001_unique_index.sql", Self.uniqueIndex)

        let failed = try project.run(["migrate"])
        #expect(failed.status == 1, CLI.describe(failed))
        #expect(CLI.errorLines(failed.stderr).count == 1, CLI.describe(failed))
        #expect(failed.stderr.contains("001_unique_index.sql failed at statement 2 of 3 (line 4)"), CLI.describe(failed))
        #expect(failed.stderr.contains("23505"), CLI.describe(failed))
        #expect(failed.stderr.contains("invalid index left behind: dupes_id_idx"), CLI.describe(failed))
        #expect(failed.stderr.contains("--resume"), CLI.describe(failed))
        #expect(try project.history() == ["001:applied:1/3"])
        #expect(try project.indexState("dupes_id_idx") == "invalid")
        #expect(try !project.tableExists("after_index"))

        let status = try project.run(["status"])
        #expect(status.stdout.contains("partial 1/3"), CLI.describe(status))

        // The cause is fixed in the database, the file untouched: resume runs statement 2 again, then 3.
        try project.psql("DROP INDEX dupes_id_idx")
        try project.psql("DELETE FROM dupes WHERE ctid <> (SELECT min(ctid) FROM dupes)")

        // But not while a file pending after it would be refused: resume checks every file before it runs anything.
        try project.write("002_bad.sql", nativeMigration(up: "CREATE INDEX CONCURRENTLY after_index_idx ON after_index (id);"))
        let refused = try project.run(["migrate", "--resume"])
        #expect(refused.status != 0, CLI.describe(refused))
        #expect(refused.stderr.contains("002_bad.sql"), CLI.describe(refused))
        #expect(!refused.stderr.contains("Resuming"), CLI.describe(refused))
        #expect(try project.history() == ["001:applied:1/3"])
        #expect(try project.indexState("dupes_id_idx") == nil)
        try project.remove("002_bad.sql")

        let resumed = try project.run(["migrate", "--resume"])
        #expect(resumed.status == 0, CLI.describe(resumed))
        #expect(try project.history() == ["001:applied:3/3"])
        #expect(try project.indexState("dupes_id_idx") == "valid")
        #expect(try project.tableExists("after_index"))
    }

    /// The usual repair: the failing statement is fixed in the file, the applied ones stay as they ran.
    @Test(TestDatabase.required)
    func resumeAcceptsAFileWhoseFailedStatementWasFixed() throws {
        let project = try MigrationProject("cli_mig_nt_fix")
        defer { project.cleanUp() }
        try project.write("001_unique_index.sql", Self.uniqueIndex)
        let failed = try project.run(["migrate"])
        #expect(failed.status == 1, CLI.describe(failed))
        #expect(try project.history() == ["001:applied:1/3"])
        try project.psql("DROP INDEX dupes_id_idx")

        // Statement 2 becomes a non-unique index: the file's checksum changes, its first statement does not.
        try project.write("001_unique_index.sql", Self.uniqueIndex.replacingOccurrences(of: "CREATE UNIQUE INDEX", with: "CREATE INDEX"))
        let plain = try project.run(["migrate"])
        #expect(plain.status != 0, CLI.describe(plain))
        #expect(plain.stderr.contains("--resume"), CLI.describe(plain))
        let resumed = try project.run(["migrate", "--resume"])
        #expect(resumed.status == 0, CLI.describe(resumed))
        #expect(try project.history() == ["001:applied:3/3"])
        #expect(try project.indexState("dupes_id_idx") == "valid")
        // The row now carries the fixed file's checksum: nothing is reported as edited afterwards.
        let check = try project.run(["status", "--check"])
        #expect(check.status == 0, CLI.describe(check))

        // Changing an applied statement, though, is refused on resume.
        try project.psql("UPDATE tenantry_migrations SET statements_applied = 1")
        try project.write("001_unique_index.sql", Self.uniqueIndex.replacingOccurrences(of: "SELECT 1 AS id", with: "SELECT 2 AS id"))
        let refused = try project.run(["migrate", "--resume"])
        #expect(refused.status == 2, CLI.describe(refused))
        #expect(refused.stderr.contains("first 1 statements in the file now differ"), CLI.describe(refused))
    }

    @Test(TestDatabase.required)
    func resumeWithNothingPartialSaysSo() throws {
        let project = try MigrationProject("cli_mig_nt_none")
        defer { project.cleanUp() }
        try project.write("001_unique_index.sql", nativeMigration(up: "CREATE TABLE t (id int);"))
        let result = try project.run(["migrate", "master", "--resume"])
        #expect(result.status == 64, CLI.describe(result))
        #expect(result.stderr.contains("nothing to resume"), CLI.describe(result))
        #expect(try project.history().isEmpty)
        // `migrate --resume` resumes whatever stopped part way, on the master and on the tenants, then goes on.
        let all = try project.run(["migrate", "--resume"])
        #expect(all.status == 0, CLI.describe(all))
        #expect(try project.history() == ["001:applied:-/-"])
    }

    @Test(TestDatabase.required)
    func failureAtStatementOneLeavesNoHistoryRowSoTheFixedFileRunsAgain() throws {
        let project = try MigrationProject("cli_mig_nt_fail1")
        defer { project.cleanUp() }
        let broken = nativeMigration(up: """
            CREATE TABLE wells (id int, depth no_such_type);
            CREATE INDEX CONCURRENTLY wells_id_idx ON wells (id);
            """, directives: ["no-transaction"])
        try project.write("001_wells.sql", broken)

        let failed = try project.run(["migrate"])
        #expect(failed.status == 1, CLI.describe(failed))
        #expect(failed.stderr.contains("001_wells.sql failed at statement 1 of 2"), CLI.describe(failed))
        #expect(failed.stderr.contains("no_such_type"), CLI.describe(failed))
        #expect(!failed.stderr.contains("statements 1-0"), CLI.describe(failed))
        // Nothing ran, so nothing blocks the target.
        #expect(try project.history().isEmpty)
        let check = try project.run(["status", "--check"])
        #expect(check.status == 1, CLI.describe(check))
        #expect(!check.stdout.contains("partial"), CLI.describe(check))

        try project.write("001_wells.sql", broken.replacingOccurrences(of: "no_such_type", with: "numeric"))
        let fixed = try project.run(["migrate"])
        #expect(fixed.status == 0, CLI.describe(fixed))
        #expect(try project.history() == ["001:applied:2/2"])
        #expect(try project.indexState("wells_id_idx") == "valid")
    }
}
