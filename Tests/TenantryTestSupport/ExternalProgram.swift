import Foundation

/// Runs a program (the `tenantry` binary, psql, script) with a small, explicit environment and captures
/// what it printed.
public enum ExternalProgram {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var all: String { stdout + stderr }
    }

    public static func locate(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `executable` with exactly `environment`, plus PATH and HOME (the test's PATH, `home`) unless given.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], in directory: String? = nil,
        home: String = NSTemporaryDirectory(), stdin: String? = nil, timeout: TimeInterval = 60
    ) throws -> Result {
        var env = environment
        env["PATH"] = env["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        env["HOME"] = env["HOME"] ?? home
        var inputPath: String?
        if let stdin {
            let path = "\(NSTemporaryDirectory())/tenantry-in-\(UUID().uuidString)"
            try stdin.write(toFile: path, atomically: true, encoding: .utf8)
            inputPath = path
        }
        defer { inputPath.map { try? FileManager.default.removeItem(atPath: $0) } }
        let child = try ChildProcess(executable, arguments, environment: env, directory: directory, stdinPath: inputPath)
        let status = child.wait(timeout: timeout)
        return Result(status: status, stdout: child.stdout, stderr: child.stderr)
    }
}
