import Foundation
import TenantryTestSupport
import Testing

/// A tenant project with a `roles:` policy: passwords in the environment, psql as the tenant roles (the test
/// cluster trusts local connections, so a role name is enough), and cleanup of the cluster-wide roles.
struct RolesProject {
    let project: TenantProject
    /// The read-write password, shared by every tenant (`password:`), and the read-only one per tenant (`password_env:`).
    let readWritePassword = "rw-canary-" + UUID().uuidString
    let readOnlyPasswords: [String: String]

    init(layout: String, tenants: [String], extraConfig: String = "") throws {
        project = try TenantProject(layout: layout, prefix: "troles", extraConfig: extraConfig)
        readOnlyPasswords = Dictionary(uniqueKeysWithValues: tenants.map { ($0, "ro-canary-\($0)-" + UUID().uuidString) })
    }

    static let policy = """
        roles:
          owner: "{name}_owner"
          read_write:
            name: "{name}_rw"
            password: ${TENANT_RW_PASSWORD:?set it from the secret store}
          read_only:
            name: "{name}_ro"
            password_env: "RO_PASSWORD_{SLUG}"

        """

    func addPolicy() throws {
        let config = try String(contentsOfFile: "\(project.path)/tenantry.yml", encoding: .utf8)
        try project.directory.write("tenantry.yml", config + Self.policy)
    }

    var canaries: [String] { [readWritePassword] + readOnlyPasswords.values.sorted() }

    /// The variables the policy reads, without those named in `leaving`.
    func environment(leaving: Set<String> = []) -> [String: String] {
        var environment = ["TENANT_RW_PASSWORD": readWritePassword]
        for (slug, password) in readOnlyPasswords { environment["RO_PASSWORD_\(slug.uppercased())"] = password }
        return environment.filter { !leaving.contains($0.key) }
    }

    func run(_ arguments: [String], environment: [String: String]? = nil) throws -> TenantryBinary.Result {
        let result = try CLI.run(arguments + ["--url", project.url], in: project.path, environment: environment ?? self.environment())
        for canary in canaries {
            #expect(!result.all.contains(canary), "\(arguments) printed a password\n\(CLI.describe(result))")
        }
        return result
    }

    /// `up`, then `tenant create` for each of the project's tenants.
    func upWithTenants(sourceLocation: SourceLocation = #_sourceLocation) throws {
        for arguments in [["up"]] + readOnlyPasswords.keys.sorted().map({ ["tenant", "create", $0] }) {
            let result = try run(arguments)
            #expect(result.status == 0, CLI.describe(result), sourceLocation: sourceLocation)
        }
    }

    /// The tenant's database (database layout) or schema (schema layout), which the role names start with.
    func name(_ tenant: String) throws -> String { try project.location(tenant) }

    /// psql as `role` on `database`, with SQLSTATEs in error messages; returns the exit status and output.
    func psql(as role: String, database: String, _ sql: String, searchPath: String? = nil) throws -> ExternalProgram.Result {
        var components = try #require(URLComponents(string: try TestServer.url(database: database)))
        components.user = role
        if let searchPath {
            components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "options", value: "-csearch_path=\(searchPath)")]
        }
        return try ExternalProgram.run(try Psql.path, ["-X", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=verbose", "-At",
                                                       "-d", try #require(components.string), "-c", sql])
    }

    func roleExists(_ role: String) throws -> Bool {
        try Psql.query(try TestDatabase.requireURL(), "SELECT count(*) FROM pg_roles WHERE rolname = '\(role)'") == "1"
    }

    /// Drops the databases, then this test's roles (they are cluster-wide) on the server(s); never throws.
    func cleanUp(alsoOn second: String? = nil) {
        project.cleanUp()
        for base in [TestDatabase.url, second].compactMap({ $0 }) {
            guard let roles = try? Psql.query(base, "SELECT rolname FROM pg_roles WHERE rolname LIKE '%\\_\(project.suffix)\\_%'") else { continue }
            for role in TenantProject.lines(roles) {
                _ = try? Psql.query(base, "DROP OWNED BY \"\(role)\"")
                _ = try? Psql.query(base, "DROP ROLE IF EXISTS \"\(role)\"")
            }
        }
    }

    /// Waits until a marker statement reaches the server log, then returns the log (nil when no log is configured).
    func serverLog() throws -> String? {
        let environment = ProcessInfo.processInfo.environment
        guard let path = environment["TENANTRY_TEST_SERVER_LOG"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            if !(environment["CI"] ?? "").isEmpty { Issue.record("TENANTRY_TEST_SERVER_LOG is not set in CI; the server log check cannot run") }
            return nil
        }
        let marker = TestDatabase.uniqueName("tenantry_roles_marker")
        try Psql.query(try TestDatabase.requireURL(), "SELECT '\(marker)'")
        var log = ""
        for _ in 0..<50 {
            log = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if log.contains(marker) { return log }
            usleep(100_000)
        }
        Issue.record("the marker statement never reached \(path); is log_statement=all set?")
        return log
    }
}
