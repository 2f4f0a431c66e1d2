import Foundation
import TenantryTestSupport
import Testing

/// `tenantry rollback master` on the real server: down sections run latest first, history rows go with them,
/// and a missing down section or a missing confirmation stops it before anything is undone.
@Suite("rollback master")
struct RollbackTests {
    static func table(_ name: String, down: Bool = true) -> String {
        nativeMigration(up: "CREATE TABLE \(name) (id int);\nINSERT INTO \(name) VALUES (1);",
                        down: down ? "DROP TABLE \(name);" : nil)
    }

    @Test(TestDatabase.required)
    func stepsAndToRevertTheLatestMigrations() throws {
        let project = try MigrationProject("cli_rollback")
        defer { project.cleanUp() }
        for (index, name) in ["one", "two", "three", "four"].enumerated() {
            try project.write("00\(index + 1)_create_\(name).sql", Self.table(name))
        }
        let migrate = try project.run(["migrate"])
        #expect(migrate.status == 0, CLI.describe(migrate))
        #expect(try project.userTables() == ["four", "one", "three", "two"])

        // No --yes and no terminal: refused with a usage error, nothing undone.
        let unconfirmed = try project.run(["rollback", "master", "--steps", "2"])
        #expect(unconfirmed.status == 64, CLI.describe(unconfirmed))
        #expect(unconfirmed.stderr.contains("--yes"), CLI.describe(unconfirmed))
        #expect(!unconfirmed.stdout.contains("reverted"), CLI.describe(unconfirmed))
        #expect(try project.historyVersions() == ["001", "002", "003", "004"])
        #expect(try project.userTables() == ["four", "one", "three", "two"])

        // --steps 2: the latest two, latest first.
        let steps = try project.run(["rollback", "master", "--steps", "2", "--yes"])
        #expect(steps.status == 0, CLI.describe(steps))
        let four = try #require(steps.stdout.range(of: "reverted 004_create_four.sql"), CLI.describe(steps))
        let three = try #require(steps.stdout.range(of: "reverted 003_create_three.sql"), CLI.describe(steps))
        #expect(four.lowerBound < three.lowerBound, "latest first\n\(CLI.describe(steps))")
        #expect(steps.stdout.contains("2 reverted"), CLI.describe(steps))
        #expect(try project.historyVersions() == ["001", "002"])
        #expect(try project.userTables() == ["one", "two"])

        // Pending again, and applied again.
        let status = try project.run(["status", "--check"])
        #expect(status.status == 1, CLI.describe(status))
        let reapply = try project.run(["migrate"])
        #expect(reapply.status == 0, CLI.describe(reapply))
        #expect(try project.historyVersions() == ["001", "002", "003", "004"])

        // --to 001: everything after 001; 001 stays.
        let to = try project.run(["rollback", "master", "--to", "001", "--yes"])
        #expect(to.status == 0, CLI.describe(to))
        #expect(to.stdout.contains("3 reverted"), CLI.describe(to))
        #expect(try project.historyVersions() == ["001"])
        #expect(try project.userTables() == ["one"])

        // --to 0: everything.
        let all = try project.run(["rollback", "master", "--to", "0", "--yes"])
        #expect(all.status == 0, CLI.describe(all))
        #expect(try project.historyVersions().isEmpty)
        #expect(try project.userTables().isEmpty)

        // Nothing left to roll back: a clear refusal.
        let nothing = try project.run(["rollback", "master", "--yes"])
        #expect(nothing.status != 0, CLI.describe(nothing))
        #expect(nothing.stderr.contains("nothing to roll back"), CLI.describe(nothing))
    }

    @Test(TestDatabase.required)
    func aMissingDownSectionRefusesTheWholeRollback() throws {
        let project = try MigrationProject("cli_rollback_nodown")
        defer { project.cleanUp() }
        try project.write("001_create_one.sql", Self.table("one"))
        try project.write("002_create_two.sql", Self.table("two", down: false))
        try project.write("003_create_three.sql", Self.table("three"))
        try project.write("004_create_four.sql", Self.table("four"))
        let migrate = try project.run(["migrate"])
        #expect(migrate.status == 0, CLI.describe(migrate))

        for arguments in [["--to", "001"], ["--steps", "3"]] {
            let refused = try project.run(["rollback", "master", "--yes"] + arguments)
            #expect(refused.status != 0, CLI.describe(refused))
            #expect(CLI.errorLines(refused.stderr).count == 1, CLI.describe(refused))
            #expect(refused.stderr.contains("002_create_two.sql"), CLI.describe(refused))
            #expect(refused.stderr.contains("no down section"), CLI.describe(refused))
            #expect(!refused.stdout.contains("reverted"), CLI.describe(refused))
            // 004 and 003 have down sections, but nothing is undone when one step cannot be.
            #expect(try project.historyVersions() == ["001", "002", "003", "004"])
            #expect(try project.userTables() == ["four", "one", "three", "two"])
        }

        // Above the migration without a down section, rollback works.
        let two = try project.run(["rollback", "master", "--steps", "2", "--yes"])
        #expect(two.status == 0, CLI.describe(two))
        #expect(try project.historyVersions() == ["001", "002"])
        #expect(try project.userTables() == ["one", "two"])
    }

    @Test(TestDatabase.required)
    func aFailingDownSectionRevertsNothingOfThatStep() throws {
        let project = try MigrationProject("cli_rollback_fail")
        defer { project.cleanUp() }
        try project.write("001_create_one.sql", Self.table("one"))
        try project.write("002_create_two.sql", nativeMigration(
            up: "CREATE TABLE two (id int);", down: "DROP TABLE two;\nDROP TABLE not_there;"))
        #expect(try project.run(["migrate"]).status == 0)

        let failed = try project.run(["rollback", "master", "--yes"])
        #expect(failed.status == 1, CLI.describe(failed))
        #expect(failed.stderr.contains("002_create_two.sql"), CLI.describe(failed))
        #expect(failed.stderr.contains("statement 2 of 2"), CLI.describe(failed))
        #expect(failed.stderr.contains("not_there"), CLI.describe(failed))
        // The down section ran in one transaction: table and history row are both still there.
        #expect(try project.historyVersions() == ["001", "002"])
        #expect(try project.userTables() == ["one", "two"])
    }
}
