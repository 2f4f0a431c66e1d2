import Foundation
import TenantryTestSupport
import Testing

/// The smaller migration commands end to end: dry-run, mark-applied, status, init and new.
@Suite("migration commands")
struct MigrationCommandsTests {
    static let accounts = """
        -- migrate:up
        CREATE TABLE accounts (
            id bigint PRIMARY KEY,
            body text DEFAULT $$a; b$$
        );
        CREATE INDEX accounts_body_idx ON accounts (body);

        -- migrate:down
        DROP TABLE accounts;

        """

    @Test(TestDatabase.required)
    func dryRunPrintsEachPendingStatementAndChangesNothing() throws {
        let project = try MigrationProject("cli_mig_dry")
        defer { project.cleanUp() }
        try project.write("001_create_accounts.sql", Self.accounts)
        try project.write("002_create_users.sql", nativeMigration(up: "CREATE TABLE users (id int);", directives: ["no-transaction"]))

        let dry = try project.run(["migrate", "--dry-run"])
        #expect(dry.status == 0, CLI.describe(dry))
        #expect(dry.stdout.contains("-- 001_create_accounts.sql (001, one transaction)"), CLI.describe(dry))
        #expect(dry.stdout.contains("CREATE TABLE accounts (\n    id bigint PRIMARY KEY,\n    body text DEFAULT $$a; b$$\n);"), CLI.describe(dry))
        #expect(dry.stdout.contains("CREATE INDEX accounts_body_idx ON accounts (body);"), CLI.describe(dry))
        #expect(dry.stdout.contains("-- 002_create_users.sql (002, no transaction"), CLI.describe(dry))
        #expect(dry.stdout.contains("CREATE TABLE users (id int);"), CLI.describe(dry))
        #expect(!dry.stdout.contains("DROP TABLE"), "down sections are not part of a migrate\n\(CLI.describe(dry))")
        #expect(try project.userTables().isEmpty)
        #expect(try project.history().isEmpty)

        let json = try project.run(["migrate", "--dry-run", "--json"])
        #expect(json.status == 0, CLI.describe(json))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]], CLI.describe(json))
        #expect(report.map { $0["file"] as? String } == ["001_create_accounts.sql", "002_create_users.sql"])
        #expect((report.first?["statements"] as? [String])?.count == 2)
        #expect(report.map { $0["transactional"] as? Bool } == [true, false])

        // With --to, only up to that version; after applying it, only the rest.
        let to = try project.run(["migrate", "--dry-run", "--to", "001"])
        #expect(to.stdout.contains("001_create_accounts.sql") && !to.stdout.contains("002_create_users.sql"), CLI.describe(to))
        #expect(try project.run(["migrate", "--to", "001"]).status == 0)
        #expect(try project.history() == ["001:applied:-/-"])
        let rest = try project.run(["migrate", "--dry-run"])
        #expect(!rest.stdout.contains("001_create_accounts.sql") && rest.stdout.contains("002_create_users.sql"), CLI.describe(rest))
        #expect(try project.userTables() == ["accounts"])

        // A pending file that cannot run: dry-run refuses it too, before printing anything.
        try project.write("003_bad.sql", nativeMigration(up: "CREATE INDEX CONCURRENTLY users_idx ON users (id);"))
        let bad = try project.run(["migrate", "--dry-run"])
        #expect(bad.status != 0, CLI.describe(bad))
        #expect(bad.stderr.contains("003_bad.sql"), CLI.describe(bad))
        #expect(!bad.stdout.contains("CREATE TABLE users"), "nothing is printed when a pending file is refused\n\(CLI.describe(bad))")
        #expect(try project.history() == ["001:applied:-/-"])
    }

    @Test(TestDatabase.required)
    func dryRunOnAFreshDatabaseCreatesNoHistoryTable() throws {
        let project = try MigrationProject("cli_mig_dry_fresh")
        defer { project.cleanUp() }
        try project.write("001_create_accounts.sql", Self.accounts)
        for arguments in [["migrate", "--dry-run"], ["status"], ["validate"]] {
            let result = try project.run(arguments)
            #expect(result.status == 0, CLI.describe(result))
            #expect(try !project.tableExists("tenantry_migrations"), "\(arguments) created the history table")
        }
    }

    @Test(TestDatabase.required)
    func markAppliedRecordsABaselineWithoutRunningIt() throws {
        let project = try MigrationProject("cli_mig_mark")
        defer { project.cleanUp() }
        try project.write("001_create_accounts.sql", Self.accounts)
        try project.write("002_create_users.sql", nativeMigration(up: "CREATE TABLE users (id int);"))
        // The database already has what 001 creates (made by hand, say).
        try project.psql("CREATE TABLE accounts (id bigint PRIMARY KEY, body text)")

        let mark = try project.run(["mark-applied", "master", "001"])
        #expect(mark.status == 0, CLI.describe(mark))
        #expect(mark.stdout.contains("001_create_accounts.sql"), CLI.describe(mark))
        #expect(try project.history() == ["001:baseline:-/-"])
        #expect(try project.indexState("accounts_body_idx") == nil, "mark-applied must not run the file")
        let checksum = try project.psql("SELECT checksum FROM tenantry_migrations WHERE version = '001'")
        #expect(checksum.count == 64)

        let status = try project.run(["status"])
        #expect(status.stdout.contains("baseline"), CLI.describe(status))

        let again = try project.run(["mark-applied", "master", "001"])
        #expect(again.status != 0, CLI.describe(again))
        #expect(again.stderr.contains("already recorded"), CLI.describe(again))
        let unknown = try project.run(["mark-applied", "master", "999"])
        #expect(unknown.status == 64, CLI.describe(unknown))

        let migrate = try project.run(["migrate"])
        #expect(migrate.status == 0, CLI.describe(migrate))
        #expect(!migrate.stdout.contains("001_create_accounts.sql"), CLI.describe(migrate))
        #expect(migrate.stdout.contains("applied 002_create_users.sql"), CLI.describe(migrate))
        #expect(try project.history() == ["001:baseline:-/-", "002:applied:-/-"])
    }

    @Test(TestDatabase.required)
    func statusCheckAndJSON() throws {
        let project = try MigrationProject("cli_mig_status")
        defer { project.cleanUp() }
        try project.write("001_create_accounts.sql", Self.accounts)
        try project.write("002_create_users.sql", nativeMigration(up: "CREATE TABLE users (id int);"))

        let pending = try project.run(["status", "--check"])
        #expect(pending.status == 1, CLI.describe(pending))
        #expect(pending.stdout.contains("2 pending"), CLI.describe(pending))

        let json = try project.run(["status", "--json"])
        #expect(json.status == 0, CLI.describe(json))
        let before = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], CLI.describe(json))
        #expect(before["pending"] as? [String] == ["001", "002"])
        #expect(before["applied"] as? Int == 0)
        #expect(before["current"] == nil || before["current"] is NSNull)
        #expect((before["target"] as? String)?.contains(project.database) == true)

        #expect(try project.run(["migrate"]).status == 0)
        let current = try project.run(["status", "--check"])
        #expect(current.status == 0, CLI.describe(current))
        #expect(current.stdout.contains("up-to-date"), CLI.describe(current))
        let after = try #require(try JSONSerialization.jsonObject(with: Data(try project.run(["status", "--json"]).stdout.utf8)) as? [String: Any])
        #expect(after["pending"] as? [String] == [])
        #expect(after["applied"] as? Int == 2)
        #expect(after["current"] as? String == "002")
        #expect(after["problems"] as? [String] == [])

        let clean = try project.run(["status", "--check", "--json"])
        #expect(clean.status == 0, CLI.describe(clean))
        try project.write("003_create_more.sql", nativeMigration(up: "CREATE TABLE more (id int);"))
        let stale = try project.run(["status", "--check", "--json"])
        #expect(stale.status == 1, CLI.describe(stale))
        #expect(try JSONSerialization.jsonObject(with: Data(stale.stdout.utf8)) is [String: Any], "--json output parses even when --check fails\n\(CLI.describe(stale))")
    }

    @Test(TestDatabase.required)
    func initThenNewThenMigrate() throws {
        let project = try MigrationProject("cli_mig_init")
        defer { project.cleanUp() }
        try FileManager.default.removeItem(atPath: "\(project.path)/migrations")

        let initial = try CLI.run(["init"], in: project.path)
        #expect(initial.status == 0, CLI.describe(initial))
        for folder in ["migrations/master", "migrations/tenant", "seeds/master", "seeds/tenant"] {
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: "\(project.path)/\(folder)", isDirectory: &isDirectory) && isDirectory.boolValue, "\(folder)")
        }
        let configPath = "\(project.path)/tenantry.yml"
        let config = try String(contentsOfFile: configPath, encoding: .utf8)
        #expect(config.contains("migrations: migrations/master"))

        // A second init keeps what is there, the user's edits included.
        let edited = config + "# my own note\n"
        try edited.write(toFile: configPath, atomically: true, encoding: .utf8)
        let second = try CLI.run(["init"], in: project.path)
        #expect(second.status == 0, CLI.describe(second))
        #expect(try String(contentsOfFile: configPath, encoding: .utf8) == edited)
        #expect(second.stderr.contains("tenantry.yml exists"), CLI.describe(second))

        let new = try CLI.run(["new", "master", "create_x"], in: project.path)
        #expect(new.status == 0, CLI.describe(new))
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(project.path)/migrations/master")
        try #require(files.count == 1, "\(files)")
        let name = files[0]
        #expect(name.range(of: #"^[0-9]{14}_create_x\.sql$"#, options: .regularExpression) != nil, "\(name)")
        #expect(new.stdout.contains(name), CLI.describe(new))
        let template = try project.read(name)
        let up = try #require(template.range(of: "-- migrate:up"))
        let down = try #require(template.range(of: "-- migrate:down"))
        #expect(up.lowerBound < down.lowerBound)
        // The timestamp is now, in UTC.
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMddHHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let stamp = try #require(formatter.date(from: String(name.prefix(14))))
        #expect(abs(stamp.timeIntervalSinceNow) < 120, "\(name)")

        for bad in ["Bad Name", "create-x", "", "_x"] {
            let refused = try CLI.run(["new", "master", bad], in: project.path)
            #expect(refused.status == 64, "'\(bad)': \(CLI.describe(refused))")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(project.path)/migrations/master") == [name])

        // Fill the new file in; the configured folder is used by migrate.
        let filled = template.replacingOccurrences(of: "-- migrate:up\n", with: "-- migrate:up\nCREATE TABLE x (id int);\n")
            .replacingOccurrences(of: "-- migrate:down\n", with: "-- migrate:down\nDROP TABLE x;\n")
        try project.write(name, filled)
        let migrate = try project.run(["migrate"])
        #expect(migrate.status == 0, CLI.describe(migrate))
        #expect(try project.tableExists("x"))
        #expect(try project.historyVersions() == [String(name.prefix(14))])
        let rollback = try project.run(["rollback", "master", "--yes"])
        #expect(rollback.status == 0, CLI.describe(rollback))
        #expect(try !project.tableExists("x"))
    }
}
