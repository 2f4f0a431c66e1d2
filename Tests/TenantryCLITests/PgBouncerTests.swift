import Foundation
import TenantryTestSupport
import Testing

/// A PgBouncer the test starts in front of the test server, in one pooling mode, and stops.
final class PgBouncer {
    let directory: TemporaryDirectory
    let port: Int
    private let process: ChildProcess

    static var path: String? {
        ExternalProgram.locate("pgbouncer") ?? (FileManager.default.isExecutableFile(atPath: "/usr/sbin/pgbouncer") ? "/usr/sbin/pgbouncer" : nil)
    }

    struct Missing: Error, CustomStringConvertible {
        var description = "pgbouncer is not installed (script/test installs it through script/bootstrap --test)"
    }

    init(mode: String) throws {
        guard let path = Self.path else { throw Missing() }
        let server = try #require(URLComponents(string: try TestDatabase.requireURL()))
        directory = try TemporaryDirectory("tenantry-pgbouncer")
        // Below the ephemeral range (32768 and up), where outgoing connections take their local ports.
        port = Int.random(in: 20_000...30_000)
        try directory.write("users.txt", "\"\(server.user ?? "postgres")\" \"\"\n")
        try directory.write("pgbouncer.ini", """
            [databases]
            * = host=\(server.host ?? "127.0.0.1") port=\(server.port ?? 5432)
            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = \(port)
            unix_socket_dir =
            auth_type = trust
            auth_file = \(directory.path)/users.txt
            pool_mode = \(mode)
            default_pool_size = 10
            max_client_conn = 200
            ignore_startup_parameters = extra_float_digits,options
            logfile = \(directory.path)/pgbouncer.log

            """)
        var arguments = ["\(directory.path)/pgbouncer.ini"]
        // PgBouncer refuses to run as root: as root, it runs as the postgres system user, which must read its files.
        if getuid() == 0 {
            arguments = ["-u", "postgres", "--", path] + arguments
            _ = try ExternalProgram.run("/bin/chmod", ["-R", "a+rwX", directory.path])
            process = try ChildProcess("/usr/sbin/runuser", arguments, environment: [:])
        } else {
            process = try ChildProcess(path, arguments, environment: [:])
        }
        let deadline = Date().addingTimeInterval(10)
        while (try? Psql.query(url(database: "postgres"), "SELECT 1")) != "1" {
            guard Date() < deadline, process.isRunning else {
                throw Psql.Failure(description: "pgbouncer did not start: \(process.stderr) \((try? String(contentsOfFile: "\(directory.path)/pgbouncer.log", encoding: .utf8)) ?? "")")
            }
            usleep(100_000)
        }
    }

    func url(database: String) -> String {
        let user = URLComponents(string: TestDatabase.url ?? "")?.user ?? "postgres"
        return "postgresql://\(user)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    func stop() {
        process.kill(SIGTERM)
        _ = process.wait(timeout: 10)
        directory.remove()
    }
}

/// Through PgBouncer in transaction (or statement) mode, session advisory locks cannot hold: Tenantry refuses with
/// a clear message, never a false lock or partial error. Through session pooling it runs as it does directly.
@Suite("PgBouncer")
struct PgBouncerTests {
    @Test(TestDatabase.required, arguments: ["transaction", "statement"])
    func transactionAndStatementPoolingAreRefusedClearly(mode: String) throws {
        let bouncer = try PgBouncer(mode: mode)
        defer { bouncer.stop() }
        let project = try MigrationProject("cli_pgb_\(mode.prefix(4))")
        defer { project.cleanUp() }
        try project.write("001_a.sql", nativeMigration(up: "CREATE TABLE a (id int);"))
        try project.write("002_b.sql", nativeMigration(up: "CREATE TABLE b (id int);", directives: ["no-transaction"]))
        let url = bouncer.url(database: project.database)
        for round in 1...(mode == "transaction" ? 30 : 5) {
            let outputs = try BackgroundRun.concurrently([["migrate", "master", "--url", url], ["migrate", "master", "--url", url]],
                                                         in: project.path)
            for output in outputs {
                #expect(output.status == 2, "round \(round): \(CLI.describe(output))")
                #expect(output.stderr.contains("connection pooler in \(mode) pooling mode"), "round \(round): \(CLI.describe(output))")
                #expect(!output.stderr.contains("timed out waiting") && !output.stderr.contains("stopped part way")
                        && !output.stderr.contains("Generic"), "round \(round): \(CLI.describe(output))")
            }
        }
        #expect(try project.history().isEmpty, "nothing ran through the pooler")
    }

    @Test(TestDatabase.required)
    func sessionPoolingWorksAndConcurrentRunsApplyEachMigrationOnce() throws {
        let bouncer = try PgBouncer(mode: "session")
        defer { bouncer.stop() }
        let project = try MigrationProject("cli_pgb_sess")
        defer { project.cleanUp() }
        let url = bouncer.url(database: project.database)
        for round in 1...10 {
            try project.write(String(format: "%03d_t%d.sql", round, round), nativeMigration(up: "CREATE TABLE t\(round) (id int);"))
            let outputs = try BackgroundRun.concurrently([["migrate", "master", "--url", url], ["migrate", "master", "--url", url]],
                                                         in: project.path)
            for output in outputs { #expect(output.status == 0, "round \(round): \(CLI.describe(output))") }
            #expect(try project.historyVersions().count == round)
        }
    }
}
