import Foundation

/// Runs the built `tenantry` executable the way a user does, and captures what they would see.
public enum TenantryBinary {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var all: String { stdout + stderr }
    }

    /// `.build/<triple>/debug/tenantry`, beside the test bundle that is running.
    public static var path: String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        // The test runner may live inside a bundle folder (…/TenantryPackageTests.xctest/...).
        while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("tenantry").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("tenantry").path
    }

    /// Runs `tenantry arguments…` in `directory` with exactly `environment` (plus PATH and HOME unless given).
    public static func run(
        _ arguments: [String], in directory: String, environment: [String: String] = [:], stdin: String? = nil,
        timeout: TimeInterval = 120
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = environment
        let inherited = ProcessInfo.processInfo.environment
        env["PATH"] = env["PATH"] ?? inherited["PATH"] ?? "/usr/bin:/bin"
        env["HOME"] = env["HOME"] ?? directory
        process.environment = env
        let out = "\(NSTemporaryDirectory())/tenantry-out-\(UUID().uuidString)"
        let err = "\(NSTemporaryDirectory())/tenantry-err-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        if let stdin {
            let input = "\(NSTemporaryDirectory())/tenantry-in-\(UUID().uuidString)"
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
