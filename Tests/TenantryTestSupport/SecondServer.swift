import Foundation
import Testing

/// A second real server (`TENANTRY_TEST_SECOND_DATABASE_URL`, started by `script/test`): fleets spread over two
/// servers, and crash-and-restart tests that must not disturb the server every other test uses.
public enum SecondServer {
    public static let variable = "TENANTRY_TEST_SECOND_DATABASE_URL"

    public static var url: String? {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Like `TestDatabase.required`: skipped locally without the variable, run (and failing) in CI.
    public static var required: ConditionTrait {
        .enabled(if: (url != nil && TestDatabase.url != nil) || TestDatabase.inCI,
                 "\(variable) is not set; run `bash script/test` to start the test servers")
    }

    public static func requireURL(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        guard let url else {
            Issue.record("\(variable) is not set in CI: two-server tests must run there", sourceLocation: sourceLocation)
            throw TestDatabase.MissingServer()
        }
        return url
    }

    /// Restarts the second server with `pg_ctl restart -m immediate` (a crash, then recovery).
    public static func crashAndRestart() throws {
        guard let script = ProcessInfo.processInfo.environment["TENANTRY_TEST_SECOND_RESTART"] else {
            Issue.record("TENANTRY_TEST_SECOND_RESTART is not set")
            throw TestDatabase.MissingServer()
        }
        let result = try ExternalProgram.run(script, [])
        guard result.status == 0 else {
            Issue.record("restarting the second server failed: \(result.all)")
            throw TestDatabase.MissingServer()
        }
    }
}
