import Foundation
import Logging
import TenantryCore

extension LocalServer {
    public enum State: Sendable, Equatable {
        case notCreated
        case stopped(port: Int?)
        case running(port: Int, pid: Int?)
    }

    public struct StartResult: Sendable, Equatable {
        public var port: Int
        /// The cluster did not exist and was initialized now.
        public var created: Bool
        /// The server was not running and was started now.
        public var started: Bool
        public var version: String
    }

    public func state() throws(TenantryError) -> State {
        guard isCreated else { return .notCreated }
        let binaries = try PostgresBinaries.locate(environment: environment)
        let output = try runner.run(binaries.pgCtl, ["status", "-D", dataDirectory])
        guard output.status == 0, let port = configuredPort else { return .stopped(port: configuredPort) }
        return .running(port: port, pid: Self.pid(fromStatus: output.text))
    }

    /// Starts the cluster, creating it first if needed. Safe to call when it is already running.
    public func start() async throws -> StartResult {
        try prepareStateFolder()
        return try await FileLock.withLock(at: lockFile) {
            let binaries = try PostgresBinaries.locate(environment: environment)
            let version = try self.version(binaries)
            var created = false
            if !isCreated {
                try initialize(binaries)
                created = true
            }
            if case .running(let port, _) = try state() {
                try await ensureDevRole(port: port)
                return StartResult(port: port, created: created, started: false, version: version)
            }
            let port = try choosePort()
            let output = try runner.run(binaries.pgCtl, ["start", "-D", dataDirectory, "-l", logFile, "-w", "-t", "60"])
            guard output.status == 0 else {
                throw TenantryError.setup("the managed local PostgreSQL did not start:\n\(tail(of: logFile))",
                                          hint: "the full server log is \(logFile)")
            }
            try await ensureDevRole(port: port)
            return StartResult(port: port, created: created, started: true, version: version)
        }
    }

    /// Stops the server (fast shutdown: running transactions are rolled back). Returns whether it was running.
    @discardableResult
    public func stop() async throws -> Bool {
        guard isCreated else { return false }
        return try await FileLock.withLock(at: lockFile) {
            guard case .running = try state() else { return false }
            let binaries = try PostgresBinaries.locate(environment: environment)
            let output = try runner.run(binaries.pgCtl, ["stop", "-D", dataDirectory, "-m", "fast", "-w", "-t", "60"])
            guard output.status == 0 else {
                throw TenantryError.setup("the managed local PostgreSQL did not stop: \(output.text)", hint: "see \(logFile)")
            }
            return true
        }
    }

    /// Stops the server and deletes the cluster and all its data.
    public func destroy() async throws {
        try await stop()
        guard FileManager.default.fileExists(atPath: baseDirectory) else { return }
        try FileManager.default.removeItem(atPath: baseDirectory)
    }

    /// `.tenantry/` holds machine-local state; a `.gitignore` inside keeps it out of the user's repository.
    func prepareStateFolder() throws {
        let folder = "\(projectRoot)/.tenantry"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let ignore = "\(folder)/.gitignore"
        if !FileManager.default.fileExists(atPath: ignore) {
            try "# Tenantry's local state (managed PostgreSQL cluster); never commit it.\n*\n".write(toFile: ignore, atomically: true, encoding: .utf8)
        }
    }

    /// The server's version as `postgres --version` reports it, e.g. "15.18".
    func version(_ binaries: PostgresBinaries) throws(TenantryError) -> String {
        let output = try ProcessRunner(runAsUser: nil).run(binaries.postgres, ["--version"])
        return output.text.split(whereSeparator: \.isWhitespace).first { $0.first?.isNumber == true }.map(String.init) ?? "unknown"
    }

    static func pid(fromStatus text: String) -> Int? {
        guard let range = text.range(of: "PID: ") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    func tail(of file: String, lines: Int = 15) -> String {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return "(no server log)" }
        return text.split(separator: "\n").suffix(lines).map { "  | \($0)" }.joined(separator: "\n")
    }
}
