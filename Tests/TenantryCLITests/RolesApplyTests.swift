import Foundation
import TenantryTestSupport
import Testing

/// `tenantry roles apply` on the real server: what each role can and cannot do afterwards, and that no password
/// reaches any output or the server log.
@Suite("roles apply", .serialized)
struct RolesApplyTests {
    @Test(TestDatabase.required)
    func databaseLayoutRolesAreIsolatedAndCoverLaterMigrations() throws {
        let roles = try RolesProject(layout: "database", tenants: ["alpha", "beta"])
        defer { roles.cleanUp() }
        try roles.upWithTenants()
        var result: TenantryBinary.Result
        let alpha = try roles.name("alpha"), beta = try roles.name("beta")
        try roles.addPolicy()

        // A missing password variable stops everything before any change.
        result = try roles.run(["roles", "apply"], environment: roles.environment(leaving: ["RO_PASSWORD_BETA"]))
        #expect(result.status == 2, CLI.describe(result))
        #expect(result.stderr.contains("tenant beta: the password of read-only role \(beta)_ro comes from RO_PASSWORD_BETA, which is not set"),
                CLI.describe(result))
        #expect(try !roles.roleExists("\(alpha)_rw"))

        result = try roles.run(["roles", "apply", "--dry-run"])
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stdout.contains("CREATE ROLE \"\(alpha)_rw\" LOGIN PASSWORD 'SCRAM-SHA-256$…';"), CLI.describe(result))
        #expect(result.stdout.contains("REVOKE CONNECT, TEMPORARY ON DATABASE \"\(beta)\" FROM PUBLIC;"), CLI.describe(result))
        #expect(try !roles.roleExists("\(alpha)_rw"), "--dry-run changed nothing")

        // -vv: driver traces too must not carry a password.
        result = try roles.run(["roles", "apply", "-vv"])
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stderr.contains(" trace "), CLI.describe(result))
        #expect(result.stdout.contains("alpha: 17 changes"), CLI.describe(result))
        #expect(result.stdout.contains("  created read-write role \(alpha)_rw"), CLI.describe(result))
        result = try roles.run(["roles", "apply", "--json"])
        #expect(result.status == 0, CLI.describe(result))
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let statuses = (report?["tenants"] as? [[String: Any]])?.map { "\($0["id"] ?? "")=\($0["status"] ?? "")" }
        #expect(statuses == ["alpha=unchanged", "beta=unchanged"], CLI.describe(result))

        // The read-write role: no CREATE, no way into the other tenant's database, but writes its own tables.
        var psql = try roles.psql(as: "\(alpha)_rw", database: alpha, "CREATE TABLE intruder (id int)")
        #expect(psql.status != 0 && psql.stderr.contains("42501"), "\(psql.stderr)")
        psql = try roles.psql(as: "\(alpha)_rw", database: beta, "SELECT 1")
        #expect(psql.status != 0 && psql.stderr.contains("permission denied for database"), "\(psql.stderr)")
        psql = try roles.psql(as: "\(alpha)_rw", database: alpha, "INSERT INTO wells VALUES (1, 'w1')")
        #expect(psql.status == 0, "\(psql.stderr)")

        // A table made by a later migration: readable by the read-only role, writable only by the read-write one.
        try roles.project.writeTenantMigration("002_pumps.sql", nativeMigration(up: "CREATE TABLE pumps (id int PRIMARY KEY, well int);"))
        result = try roles.run(["migrate"])
        #expect(result.status == 0, CLI.describe(result))
        psql = try roles.psql(as: "\(alpha)_rw", database: alpha, "INSERT INTO pumps VALUES (1, 1)")
        #expect(psql.status == 0, "\(psql.stderr)")
        psql = try roles.psql(as: "\(alpha)_ro", database: alpha, "SELECT count(*) FROM pumps")
        #expect(psql.status == 0 && psql.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(psql.stderr)")
        psql = try roles.psql(as: "\(alpha)_ro", database: alpha, "INSERT INTO pumps VALUES (2, 1)")
        #expect(psql.status != 0 && psql.stderr.contains("42501"), "\(psql.stderr)")
        psql = try roles.psql(as: "\(alpha)_owner", database: alpha, "SELECT 1")
        #expect(psql.status != 0 && psql.stderr.contains("not permitted to log in"), "the owner role is NOLOGIN: \(psql.stderr)")

        // The stored verifiers are PostgreSQL's SCRAM format, and the passwords never reached the server's log.
        let stored = try Psql.query(try TestDatabase.requireURL(), "SELECT rolpassword FROM pg_authid WHERE rolname = '\(alpha)_rw'")
        #expect(stored.hasPrefix("SCRAM-SHA-256$4096:"))
        if let log = try roles.serverLog() {
            #expect(log.contains("\(alpha)_rw"), "roles apply ran its statements on this server")
            for canary in roles.canaries { #expect(!log.contains(canary), "a password is in the server log") }
        }
    }

    @Test(TestDatabase.required)
    func provisioningAppliesThePolicyBeforeMigrations() throws {
        let roles = try RolesProject(layout: "database", tenants: ["gamma"])
        defer { roles.cleanUp() }
        try roles.addPolicy()
        var result = try roles.run(["up"])
        #expect(result.status == 0, CLI.describe(result))
        result = try roles.run(["tenant", "create", "gamma"])
        #expect(result.status == 0, CLI.describe(result))
        #expect(result.stderr.contains("roles applied (15 changes)"), CLI.describe(result))
        let gamma = try roles.name("gamma")
        // wells came from the tenant migration that ran after the roles: default privileges cover it.
        let psql = try roles.psql(as: "\(gamma)_ro", database: gamma, "SELECT count(*) FROM wells")
        #expect(psql.status == 0, "\(psql.stderr)")
        result = try roles.run(["roles", "apply"])
        #expect(result.stdout == "gamma: unchanged\n", CLI.describe(result))
    }

    @Test(TestDatabase.required)
    func schemaLayoutRolesSeeOnlyTheirOwnSchema() throws {
        let roles = try RolesProject(layout: "schema", tenants: ["delta", "omega"])
        defer { roles.cleanUp() }
        try roles.addPolicy()
        try roles.upWithTenants()
        let delta = try roles.name("delta"), omega = try roles.name("omega")
        let master = roles.project.master
        var psql = try roles.psql(as: "\(delta)_rw", database: master, "INSERT INTO wells VALUES (1, 'w1')", searchPath: delta)
        #expect(psql.status == 0, "\(psql.stderr)")
        psql = try roles.psql(as: "\(delta)_rw", database: master, "CREATE TABLE intruder (id int)", searchPath: delta)
        #expect(psql.status != 0 && psql.stderr.contains("42501"), "\(psql.stderr)")
        psql = try roles.psql(as: "\(delta)_rw", database: master, "SELECT count(*) FROM \"\(omega)\".wells")
        #expect(psql.status != 0 && psql.stderr.contains("42501") && psql.stderr.contains("permission denied for schema"), "\(psql.stderr)")
        psql = try roles.psql(as: "\(delta)_ro", database: master, "SELECT count(*) FROM wells", searchPath: delta)
        #expect(psql.status == 0, "\(psql.stderr)")
        let result = try roles.run(["roles", "apply", "--tenant", "omega"])
        #expect(result.stdout == "omega: unchanged\n", CLI.describe(result))
    }

    @Test(SecondServer.required)
    func tenantsOnAnotherServerGetTheirRolesThere() throws {
        let roles = try RolesProject(layout: "database", tenants: ["remote"], extraConfig: try TwoServerTests.serversConfig())
        defer {
            TwoServerTests.dropOnSecond(like: roles.project.suffix)
            roles.cleanUp(alsoOn: SecondServer.url)
        }
        try roles.addPolicy()
        #expect(try roles.run(["up"]).status == 0)
        var result = try roles.run(["tenant", "create", "remote", "--server", "second"])
        #expect(result.status == 0, CLI.describe(result))
        let remote = try roles.name("remote")
        #expect(try TwoServerTests.onSecond("SELECT rolname FROM pg_roles WHERE rolname LIKE '\(remote)%' ORDER BY 1")
                == ["\(remote)_owner", "\(remote)_ro", "\(remote)_rw"])
        #expect(try !roles.roleExists("\(remote)_rw"), "nothing on the master's server")
        result = try roles.run(["roles", "apply"])
        #expect(result.stdout == "remote: unchanged\n", CLI.describe(result))
    }
}
