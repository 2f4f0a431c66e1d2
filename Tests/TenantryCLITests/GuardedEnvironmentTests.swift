import Foundation
import TenantryTestSupport
import Testing

/// `guard: true` environments and `--dry-run` on every command that drops or reverts: down, reset, tenant drop,
/// rollback master and rollback tenants, on the real server.
@Suite("guarded environments and --dry-run")
struct GuardedEnvironmentTests {
    static let destructive: [[String]] = [
        ["down"], ["reset"], ["tenant", "drop", "demo"], ["rollback", "master"], ["rollback", "tenants"],
    ]

    /// A database-layout project whose `prod` environment is guarded, with a master and two tenants at 002.
    static func guardedProject() throws -> TenantProject {
        let project = try TenantProject(layout: "database", prefix: "tcli_grd", extraConfig: """
            environments:
              prod:
                guard: true
              staging: {}

            """)
        try project.directory.write("migrations/master/002_audit.sql", nativeMigration(up: "CREATE TABLE audit (id int);", down: "DROP TABLE audit;"))
        try project.writeTenantMigration("002_pumps.sql", nativeMigration(up: "CREATE TABLE pumps (id int);", down: "DROP TABLE pumps;"))
        #expect(try project.run(["up"]).status == 0)
        for id in ["demo", "beta"] {
            let create = try project.run(["tenant", "create", id])
            #expect(create.status == 0, CLI.describe(create))
        }
        return project
    }

    /// What a destructive command could change: the databases, the registry, every history.
    static func state(_ project: TenantProject) throws -> String {
        let databases = try DownResetDropTests.databasesOfTest(project).joined(separator: ",")
        let registry = try ["demo", "beta"].map { "\($0)=\(try project.status($0) ?? "-")" }.joined(separator: ",")
        let master = try project.psql("SELECT string_agg(version, ',' ORDER BY version) FROM public.tenantry_migrations")
        let tenants = try ["demo", "beta"].map { try project.tenantHistory($0).joined(separator: ",") }.joined(separator: ";")
        return [databases, registry, master, tenants].joined(separator: " | ")
    }

    @Test(TestDatabase.required)
    func guardedCommandsRefuseWithoutYesAndDryRunChangesNothing() throws {
        let project = try Self.guardedProject()
        defer { project.cleanUp() }
        let before = try Self.state(project)
        #expect(before.hasSuffix("| 001,002 | 001,002;001,002"), "set up: \(before)")

        for command in Self.destructive {
            let refused = try project.run(command + ["--env", "prod"])
            #expect(refused.status == 64, "\(command): \(CLI.describe(refused))")
            #expect(refused.stderr.contains("environment prod is guarded") && refused.stderr.contains("needs --yes"),
                    "\(command): \(CLI.describe(refused))")
            // The plan comes first, even when refused.
            #expect(refused.stderr.contains("in guarded environment prod will:"), "\(command): \(CLI.describe(refused))")
            #expect(try Self.state(project) == before, "\(command) changed something without --yes")

            let dryRun = try project.run(command + ["--env", "prod", "--dry-run"])
            #expect(dryRun.status == 0, "\(command): \(CLI.describe(dryRun))")
            #expect(dryRun.stdout.contains("Dry run of `tenantry \(command.joined(separator: " "))` in environment prod (guarded)"),
                    "\(command): \(CLI.describe(dryRun))")
            #expect(dryRun.stdout.contains("Nothing was changed."), "\(command): \(CLI.describe(dryRun))")
            #expect(try Self.state(project) == before, "\(command) --dry-run changed something")
        }
    }

    @Test(TestDatabase.required)
    func dryRunPlansNameExactlyWhatWouldGo() throws {
        let project = try Self.guardedProject()
        defer { project.cleanUp() }
        let demo = try project.location("demo")
        let beta = try project.location("beta")

        let down = try project.run(["down", "--dry-run"])
        #expect(down.status == 0, CLI.describe(down))
        for line in ["  - drop database \(demo) (tenant demo)", "  - drop database \(beta) (tenant beta)",
                     "  - drop database \(project.master) (master)"] {
            #expect(down.stdout.contains(line), "missing '\(line)': \(CLI.describe(down))")
        }
        let reset = try project.run(["reset", "--dry-run", "--env", "staging"])
        #expect(reset.stdout.contains("build it all again (`up`) with the same 2 tenants"), CLI.describe(reset))
        #expect(reset.stdout.contains("in environment staging; it would:"), "an unguarded environment says so: \(CLI.describe(reset))")

        let drop = try project.run(["tenant", "drop", "demo", "--dry-run", "--archive", "demo.dump"])
        #expect(drop.stdout.contains("  - dump tenant demo to demo.dump"), CLI.describe(drop))
        #expect(drop.stdout.contains("  - drop tenant demo: database \(demo)"), CLI.describe(drop))
        #expect(!FileManager.default.fileExists(atPath: project.path + "/demo.dump"), "a dry run writes no archive")

        let master = try project.run(["rollback", "master", "--dry-run"])
        #expect(master.stdout.contains("  - revert 002_audit.sql (its down section) on master (\(project.master))"), CLI.describe(master))
        let tenants = try project.run(["rollback", "tenants", "--dry-run", "--tenant", "beta"])
        #expect(tenants.stdout.contains("  - revert the latest 1 migration on tenant beta"), CLI.describe(tenants))
        #expect(!tenants.stdout.contains("tenant demo"), "only the selected tenant: \(CLI.describe(tenants))")

        let json = try project.run(["down", "--dry-run", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["dry_run"] as? Bool == true && (object?["plan"] as? [String])?.count == 3, CLI.describe(json))
        #expect(try project.psql("SELECT count(*) FROM tenantry.runs") == "0", "a dry run records no fleet run")
    }

    @Test(TestDatabase.required)
    func guardedCommandsRunWithYesWhenNoTerminal() throws {
        let project = try Self.guardedProject()
        defer { project.cleanUp() }

        let rollback = try project.run(["rollback", "tenants", "--env", "prod", "--yes"])
        #expect(rollback.status == 0, CLI.describe(rollback))
        #expect(try project.tenantHistory("demo") == ["001"] && project.tenantHistory("beta") == ["001"])
        #expect(rollback.stderr.contains("in guarded environment prod will:"), "the plan is printed first: \(CLI.describe(rollback))")

        let master = try project.run(["rollback", "master", "--env", "prod", "--yes"])
        #expect(master.status == 0, CLI.describe(master))
        #expect(try project.psql("SELECT string_agg(version, ',') FROM public.tenantry_migrations") == "001")

        let drop = try project.run(["tenant", "drop", "demo", "--env", "prod", "--yes"])
        #expect(drop.status == 0, CLI.describe(drop))
        #expect(try project.status("demo") == "DELETED")

        let down = try project.run(["down", "--env", "prod", "--yes"])
        #expect(down.status == 0, CLI.describe(down))
        #expect(try DownResetDropTests.databasesOfTest(project) == [], CLI.describe(down))
    }

    /// On a terminal (a pseudo-terminal from util-linux `script`), a guarded command with --yes still asks for
    /// the environment's name: a wrong answer changes nothing, the right one goes ahead.
    @Test(TestDatabase.required)
    func onATerminalTheEnvironmentsNameMustBeTyped() throws {
        let script = try #require(ExternalProgram.locate("script"), "util-linux `script` gives the command a terminal")
        let project = try Self.guardedProject()
        defer { project.cleanUp() }
        let command = [TenantryBinary.path, "tenant", "drop", "demo", "--env", "prod", "--yes", "--url", project.url]
            .map { "'\($0)'" }.joined(separator: " ")
        let onTerminal = { (answer: String) throws -> ExternalProgram.Result in
            try ExternalProgram.run(script, ["-qec", command, "/dev/null"], in: project.path, stdin: answer + "\n")
        }
        let wrong = try onTerminal("staging")
        #expect(wrong.status != 0 && wrong.stdout.contains("Type 'prod' to confirm"), "\(wrong.stdout)\(wrong.stderr)")
        #expect(wrong.stdout.contains("not confirmed; nothing was changed"), "\(wrong.stdout)\(wrong.stderr)")
        #expect(try project.status("demo") == "ACTIVE")
        let right = try onTerminal("prod")
        #expect(right.status == 0, "\(right.stdout)\(right.stderr)")
        #expect(try project.status("demo") == "DELETED")
    }
}
