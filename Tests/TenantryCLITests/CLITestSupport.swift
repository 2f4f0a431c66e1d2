import Foundation
import TenantryTestSupport
import Testing

/// Shared helpers for the end-to-end tests of the `tenantry` executable.
enum CLI {
    /// Runs `tenantry` in `directory` with exactly `environment` (plus PATH and HOME), stdin from /dev/null.
    static func run(
        _ arguments: [String], in directory: String, environment: [String: String] = [:], timeout: TimeInterval = 120
    ) throws -> TenantryBinary.Result {
        try TenantryBinary.run(arguments, in: directory, environment: environment, timeout: timeout)
    }

    /// Lines that start an error report: ours (`error:`) and ArgumentParser's (`Error:`).
    static func errorLines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.lowercased().hasPrefix("error:") }
    }

    /// All whitespace runs collapsed to one space, so wrapped help text can be compared with a one-line string.
    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static let escape = "\u{1B}["

    /// A well-formed URL nobody listens on: a command that used it would fail with "connection refused".
    static let deadURL = "postgresql://postgres@127.0.0.1:1/tenantry_bogus?connect_timeout=2"

    /// A description of a run, for failure messages.
    static func describe(_ result: TenantryBinary.Result) -> Comment {
        "exit \(result.status)\n--- stdout ---\n\(result.stdout)\n--- stderr ---\n\(result.stderr)"
    }
}

/// `psql` against a server, to check what a command did without going through Tenantry's own code.
enum Psql {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static var path: String {
        get throws {
            guard let path = ExternalProgram.locate("psql") else { throw Failure(description: "psql is not installed") }
            return path
        }
    }

    /// Runs one statement with `-XAt`; returns the trimmed output or throws with psql's error.
    @discardableResult
    static func query(_ url: String, _ sql: String) throws -> String {
        let output = try ExternalProgram.run(try path, ["-X", "-v", "ON_ERROR_STOP=1", "-At", "-d", url, "-c", sql])
        guard output.status == 0 else {
            throw Failure(description: "psql failed (exit \(output.status)): \(output.stderr)")
        }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The shared test server (`TENANTRY_TEST_DATABASE_URL`).
enum TestServer {
    /// The test server's URL with another database (and, optionally, a password) in it.
    static func url(database: String, password: String? = nil) throws -> String {
        let base = try TestDatabase.requireURL()
        guard var components = URLComponents(string: base) else {
            throw Psql.Failure(description: "\(TestDatabase.variable) is not a URL")
        }
        components.path = "/\(database)"
        if let password {
            components.percentEncodedPassword = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)
        }
        guard let text = components.string else { throw Psql.Failure(description: "cannot build a URL") }
        return text
    }

    static func databaseExists(_ name: String) throws -> Bool {
        try Psql.query(try TestDatabase.requireURL(), "SELECT count(*) FROM pg_database WHERE datname = '\(name)'") == "1"
    }

    /// Drops databases a test created; never throws, so it can run in a `defer`.
    static func drop(_ names: String...) {
        guard let base = TestDatabase.url else { return }
        for name in names {
            _ = try? Psql.query(base, "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
        }
    }
}

/// A temporary project folder whose managed local PostgreSQL is always destroyed at the end.
struct ManagedProject {
    let directory: TemporaryDirectory
    var path: String { directory.path }
    var baseDirectory: String { "\(path)/.tenantry/postgres" }

    init() throws {
        directory = try TemporaryDirectory("tenantry-cli-managed")
    }

    /// No DATABASE_URL, PGHOST or other PG* variable: only PATH and HOME (the project folder).
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> TenantryBinary.Result {
        try CLI.run(arguments, in: path, environment: environment)
    }

    /// Destroys the cluster with the CLI, then makes sure no server process is left even if that failed.
    func cleanUp() {
        _ = try? run(["dev", "destroy", "--yes"], environment: [:])
        let pidFile = "\(baseDirectory)/data/postmaster.pid"
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
           let first = text.split(separator: "\n").first, let pid = pid_t(first.trimmingCharacters(in: .whitespaces)), pid > 1 {
            // The postmaster this test started (through tenantry); SIGQUIT is PostgreSQL's immediate shutdown.
            kill(pid, SIGQUIT)
            for _ in 0..<100 where kill(pid, 0) == 0 { usleep(50_000) }
        }
        directory.remove()
    }
}
