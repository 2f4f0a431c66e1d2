import Foundation
import TenantryTestSupport
import Testing

/// An applied file edited, an applied file deleted, a new file ordered before the latest applied one: each stops
/// `migrate` (and `validate`) with its own message before anything runs.
@Suite("migrate: edited, deleted and out-of-order files")
struct MigrateIntegrityTests {
    static let b = nativeMigration(up: "CREATE TABLE b_table (id int);", down: "DROP TABLE b_table;")

    /// Runs `migrate` and `validate`; both must refuse with exit 2 and the same single error, and apply nothing.
    static func expectRefusal(
        _ project: MigrationProject, containing parts: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let before = try project.history()
        let tables = try project.userTables()
        let migrate = try project.run(["migrate"])
        #expect(migrate.status == 2, CLI.describe(migrate), sourceLocation: sourceLocation)
        #expect(!migrate.stdout.contains("applied"), CLI.describe(migrate), sourceLocation: sourceLocation)
        let errors = CLI.errorLines(migrate.stderr)
        #expect(errors.count == 1, CLI.describe(migrate), sourceLocation: sourceLocation)
        for part in parts {
            #expect(migrate.stderr.contains(part), "missing '\(part)'\n\(CLI.describe(migrate))", sourceLocation: sourceLocation)
        }
        let validate = try project.run(["validate"])
        #expect(validate.status == 2, CLI.describe(validate), sourceLocation: sourceLocation)
        #expect(CLI.errorLines(validate.stderr) == errors, CLI.describe(validate), sourceLocation: sourceLocation)
        let check = try project.run(["status", "--check"])
        #expect(check.status == 1, CLI.describe(check), sourceLocation: sourceLocation)
        #expect(try project.history() == before, sourceLocation: sourceLocation)
        #expect(try project.userTables() == tables, sourceLocation: sourceLocation)
        return errors.first ?? ""
    }

    @Test(TestDatabase.required)
    func editedDeletedAndOutOfOrderFilesEachGetTheirOwnMessage() throws {
        let project = try MigrationProject("cli_mig_integrity")
        defer { project.cleanUp() }
        try project.write("10_a.sql", nativeMigration(up: "CREATE TABLE a_table (id int);", down: "DROP TABLE a_table;"))
        try project.write("20_b.sql", Self.b)
        try project.write("30_c.sql", nativeMigration(up: "CREATE TABLE c_table (id int);", down: "DROP TABLE c_table;"))
        let first = try project.run(["migrate"])
        #expect(first.status == 0, CLI.describe(first))
        #expect(try project.historyVersions() == ["10", "20", "30"])
        let validated = try project.run(["validate"])
        #expect(validated.status == 0, CLI.describe(validated))

        // A pending file that must stay pending while any problem stands.
        try project.write("40_d.sql", nativeMigration(up: "CREATE TABLE d_table (id int);"))

        // Edited: one byte of an applied file.
        try project.write("20_b.sql", Self.b.replacingOccurrences(of: "id int", with: "id Int"))
        let edited = try Self.expectRefusal(project, containing: ["20_b.sql", "edited", "mark-applied"])

        // Deleted: the file of an applied migration is gone.
        try project.remove("20_b.sql")
        let deleted = try Self.expectRefusal(project, containing: ["migration 20 b", "no file"])
        let status = try project.run(["status"])
        #expect(status.stdout.contains("file missing"), CLI.describe(status))

        // Out of order: a new file below the latest applied version.
        try project.write("20_b.sql", Self.b)
        try project.write("15_mid.sql", nativeMigration(up: "CREATE TABLE mid_table (id int);"))
        let outOfOrder = try Self.expectRefusal(project, containing: ["15_mid.sql", "30", "--allow-out-of-order"])

        #expect(Set([edited, deleted, outOfOrder]).count == 3, "each problem has its own message")
        #expect(!deleted.contains("edited") && !outOfOrder.contains("edited") && !edited.contains("no file"))

        // Allowed, it is applied (with the pending one after it, in version order).
        let allowed = try project.run(["migrate", "--allow-out-of-order"])
        #expect(allowed.status == 0, CLI.describe(allowed))
        #expect(allowed.stdout.contains("applied 15_mid.sql"), CLI.describe(allowed))
        #expect(allowed.stdout.contains("applied 40_d.sql"), CLI.describe(allowed))
        #expect(try project.historyVersions().sorted() == ["10", "15", "20", "30", "40"])
        #expect(try project.userTables() == ["a_table", "b_table", "c_table", "d_table", "mid_table"])
        let current = try project.run(["status", "--check"])
        #expect(current.status == 0, CLI.describe(current))
    }

    @Test(TestDatabase.required)
    func severalProblemsAreReportedTogether() throws {
        let project = try MigrationProject("cli_mig_integrity_all")
        defer { project.cleanUp() }
        try project.write("1_a.sql", nativeMigration(up: "CREATE TABLE a_table (id int);"))
        try project.write("2_b.sql", nativeMigration(up: "CREATE TABLE b_table (id int);"))
        try project.write("4_d.sql", nativeMigration(up: "CREATE TABLE d_table (id int);"))
        #expect(try project.run(["migrate"]).status == 0)

        try project.write("1_a.sql", nativeMigration(up: "CREATE TABLE a_table (id int, x int);"))
        try project.remove("2_b.sql")
        try project.write("3_c.sql", nativeMigration(up: "CREATE TABLE c_table (id int);"))
        let result = try project.run(["migrate"])
        #expect(result.status == 2, CLI.describe(result))
        #expect(result.stderr.contains("3 problems"), CLI.describe(result))
        #expect(result.stderr.contains("1_a.sql"), CLI.describe(result))
        #expect(result.stderr.contains("migration 2 b"), CLI.describe(result))
        #expect(result.stderr.contains("3_c.sql"), CLI.describe(result))
        #expect(try project.historyVersions() == ["1", "2", "4"])
        #expect(try !project.tableExists("c_table"))
    }
}
