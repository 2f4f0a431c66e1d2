import Foundation
import Testing

/// The real PostgreSQL server the tests use: `TENANTRY_TEST_DATABASE_URL`, set by `script/test` and CI.
///
/// Locally, tests that need it are skipped with a visible reason when it is unset. In CI (`CI` set) they run
/// anyway and fail, because a skipped database test in CI hides a broken setup.
public enum TestDatabase {
    public static let variable = "TENANTRY_TEST_DATABASE_URL"

    public static var url: String? {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var inCI: Bool {
        !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty
    }

    /// Apply to every test that needs the server: `@Test(TestDatabase.required)`.
    public static var required: ConditionTrait {
        .enabled(if: url != nil || inCI, "\(variable) is not set; run `bash script/test` to start a server for the tests")
    }

    /// The URL, or a recorded failure (in CI, where the trait does not skip).
    public static func requireURL(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        guard let url else {
            Issue.record("\(variable) is not set in CI: PostgreSQL tests must run there", sourceLocation: sourceLocation)
            throw MissingServer()
        }
        return url
    }

    struct MissingServer: Error {}

    /// A name no other test (or earlier run) uses, safe as a database or schema name.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }
}
