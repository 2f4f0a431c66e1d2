import Foundation
import TenantryTestSupport
import Testing

/// One migration test's world: a fresh database on the test server and a fresh project folder whose
/// `migrations/master` holds the files the test writes. Every command runs the real binary with `--url`.
struct MigrationProject {
    let directory: TemporaryDirectory
    let database: String
    let url: String
    /// Where the test's migration files go (`migrations/master`, the default folder without a config).
    let migrationsFolder = "migrations/master"

    /// Creates the database (with psql, so no Tenantry code is involved) and the folder.
    init(_ prefix: String) throws {
        database = TestDatabase.uniqueName(prefix)
        url = try TestServer.url(database: database)
        directory = try TemporaryDirectory("tenantry-migrate")
        try FileManager.default.createDirectory(atPath: "\(directory.path)/\(migrationsFolder)", withIntermediateDirectories: true)
        try Psql.query(try TestDatabase.requireURL(), "CREATE DATABASE \"\(database)\"")
    }

    var path: String { directory.path }

    /// Drops the database and removes the folder; never throws, for a `defer`.
    func cleanUp() {
        TestServer.drop(database)
        directory.remove()
    }

    // MARK: - Files

    /// Writes `migrations/master/<name>` (or `<folder>/<name>`).
    @discardableResult
    func write(_ name: String, _ contents: String, folder: String? = nil) throws -> String {
        try directory.write("\(folder ?? migrationsFolder)/\(name)", contents)
    }

    func remove(_ name: String, folder: String? = nil) throws {
        try FileManager.default.removeItem(atPath: "\(path)/\(folder ?? migrationsFolder)/\(name)")
    }

    func read(_ name: String, folder: String? = nil) throws -> String {
        try String(contentsOfFile: "\(path)/\(folder ?? migrationsFolder)/\(name)", encoding: .utf8)
    }

    // MARK: - Commands

    /// `tenantry ARGS --url URL` in the project folder, stdin from /dev/null (no terminal).
    func run(_ arguments: [String], timeout: TimeInterval = 60) throws -> TenantryBinary.Result {
        try CLI.run(arguments + ["--url", url], in: path, timeout: timeout)
    }

    /// Starts `tenantry ARGS --url URL` without waiting for it.
    func start(_ arguments: [String]) throws -> BackgroundRun {
        try BackgroundRun(arguments + ["--url", url], in: path)
    }

    // MARK: - What the database holds, seen through psql

    func psql(_ sql: String) throws -> String {
        try Psql.query(url, sql)
    }

    /// `version:kind:applied/total` per history row, by version; empty when the table does not exist.
    func history() throws -> [String] {
        guard try tableExists("tenantry_migrations") else { return [] }
        let text = try psql("""
            SELECT version || ':' || kind || ':' || coalesce(statements_applied::text, '-') || '/' || coalesce(statements_total::text, '-')
            FROM public.tenantry_migrations ORDER BY version COLLATE "C"
            """)
        return text.isEmpty ? [] : text.split(separator: "\n").map(String.init)
    }

    /// The versions in the history table, by version text.
    func historyVersions() throws -> [String] {
        try history().map { String($0.split(separator: ":")[0]) }
    }

    func tableExists(_ name: String, schema: String = "public") throws -> Bool {
        try psql("SELECT count(*) FROM pg_tables WHERE schemaname = '\(schema)' AND tablename = '\(name)'") == "1"
    }

    /// The tables of the public schema other than the history table, sorted.
    func userTables() throws -> [String] {
        let text = try psql("""
            SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'tenantry_migrations' ORDER BY 1
            """)
        return text.isEmpty ? [] : text.split(separator: "\n").map(String.init)
    }

    /// "valid" or "invalid" for an index, nil when it does not exist.
    func indexState(_ name: String) throws -> String? {
        let text = try psql("""
            SELECT CASE WHEN i.indisvalid THEN 'valid' ELSE 'invalid' END
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = '\(name)'
            """)
        return text.isEmpty ? nil : text
    }

    /// Polls `condition` every 50 ms until it holds or `timeout` passes; psql errors count as "not yet".
    func waitUntil(timeout: TimeInterval = 30, _ condition: () throws -> Bool) -> Bool {
        pollUntil(timeout: timeout, condition)
    }

    /// Tenantry's backends in this database running a statement that contains `text` (never this psql's own).
    func activeBackends(running text: String) throws -> [Int32] {
        let pids = try Psql.query(try TestDatabase.requireURL(), """
            SELECT pid FROM pg_stat_activity
            WHERE datname = '\(database)' AND state = 'active' AND query LIKE '%\(text)%' AND pid <> pg_backend_pid()
            """)
        return pids.split(separator: "\n").compactMap { Int32($0) }
    }

    /// Terminates the backends running `text` in this database and waits (up to 5 s each) until they are gone,
    /// so their session advisory locks are released.
    func terminateBackends(running text: String) throws {
        _ = try Psql.query(try TestDatabase.requireURL(), """
            SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
            WHERE datname = '\(database)' AND query LIKE '%\(text)%' AND pid <> pg_backend_pid()
            """)
    }
}

/// A `tenantry` process started in the background: its pid (to SIGKILL it), and its output once it ends.
final class BackgroundRun {
    /// What the process printed, and how it ended.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    private let child: ChildProcess

    init(_ arguments: [String], in directory: String) throws {
        child = try ChildProcess(
            TenantryBinary.path, arguments,
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": directory],
            directory: directory)
    }

    var pid: Int32 { child.pid }
    var isRunning: Bool { child.isRunning }
    /// Ended by a signal (SIGKILL in the interruption tests) rather than by exiting.
    var wasSignaled: Bool { child.wasSignaled }

    /// SIGKILL: the process gets no chance to clean up, as when a deploy host dies.
    func kill() {
        child.kill(SIGKILL)
    }

    /// Any other signal (SIGINT, SIGTERM), as a person or a supervisor sends it.
    func signal(_ number: Int32) {
        child.kill(number)
    }

    /// Waits for the process to end (SIGTERM after `timeout`) and returns what it printed.
    func wait(timeout: TimeInterval = 60) -> Output {
        let status = child.wait(timeout: timeout)
        return Output(status: status, stdout: child.stdout, stderr: child.stderr)
    }

    /// Starts every command back to back, then waits for all of them: runs that overlap for real.
    static func concurrently(_ runs: [[String]], in directory: String, timeout: TimeInterval = 60) throws -> [Output] {
        let started = try runs.map { try BackgroundRun($0, in: directory) }
        return started.map { $0.wait(timeout: timeout) }
    }
}

extension BackgroundRun.Output {
    /// Lines of stderr that report a problem: `error:`/`warning:` reports and anything else naming an error.
    var problemLines: [String] {
        stderr.split(separator: "\n").map(String.init).filter { line in
            let lower = line.lowercased()
            return lower.contains("error") || lower.contains("warning") || lower.contains("fatal")
        }
    }
}

extension CLI {
    /// A description of a background run, for failure messages.
    static func describe(_ output: BackgroundRun.Output) -> Comment {
        "exit \(output.status)\n--- stdout ---\n\(output.stdout)\n--- stderr ---\n\(output.stderr)"
    }
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes; errors (psql's) count as "not yet".
func pollUntil(timeout: TimeInterval = 30, _ condition: () throws -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if (try? condition()) == true { return true }
        usleep(50_000)
    }
    return false
}

/// Native migration file text: an up section and, when given, a down section.
func nativeMigration(up: String, down: String? = nil, directives: [String] = []) -> String {
    var text = directives.map { "-- tenantry:\($0)\n" }.joined()
    text += "-- migrate:up\n\(up)\n"
    if let down { text += "\n-- migrate:down\n\(down)\n" }
    return text
}
