import Foundation

/// Runs the built `tenantry` executable the way a user does, and captures what they would see.
public enum TenantryBinary {
    public typealias Result = ExternalProgram.Result

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

    /// Runs `tenantry arguments…` in `directory` with exactly `environment` (plus PATH, and HOME = `directory`).
    public static func run(
        _ arguments: [String], in directory: String, environment: [String: String] = [:], stdin: String? = nil,
        timeout: TimeInterval = 120
    ) throws -> Result {
        try ExternalProgram.run(path, arguments, environment: environment, in: directory, home: directory,
                                stdin: stdin, timeout: timeout)
    }
}
