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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = environment
        env["PATH"] = env["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        env["HOME"] = env["HOME"] ?? home
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        // Files rather than pipes: no deadlock on large output, no hang on children that keep a pipe open.
        let scratch = "\(NSTemporaryDirectory())/tenantry-run-\(UUID().uuidString)"
        let (out, err, input) = ("\(scratch).out", "\(scratch).err", "\(scratch).in")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        defer { [out, err, input].forEach { try? FileManager.default.removeItem(atPath: $0) } }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        if let stdin {
            try stdin.write(toFile: input, atomically: true, encoding: .utf8)
            process.standardInput = FileHandle(forReadingAtPath: input)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}
