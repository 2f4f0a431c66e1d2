import Testing

@testable import TenantryCore

@Suite("PreviewName")
struct PreviewNameTests {
    @Test(arguments: [
        ("feature/user-dashboard", "feature_user_dashboard"),
        ("Feature/User-Dashboard!#2", "feature_user_dashboard_2"),
        ("--fix--", "fix"),
        ("123-hotfix", "b_123_hotfix"),
        ("日本語", "branch"),
        ("release/v1.2.3", "release_v1_2_3"),
    ])
    func sanitizedNamesAreSafeIdentifiers(branch: String, expected: String) throws {
        #expect(PreviewName.sanitize(branch) == expected)
        let name = try PreviewName(branch: branch, base: "app")
        #expect(name.master == "\(expected)_app")
        #expect(try SQLIdentifier(name.master).name == name.master)
    }

    @Test func longBranchesAreShortenedWithAHashAndStayDistinct() throws {
        let long = "feature/" + String(repeating: "very-long-branch-name-", count: 5)
        let first = try PreviewName(branch: long + "one", base: "hono_demo")
        let second = try PreviewName(branch: long + "two", base: "hono_demo")
        #expect(first.master.utf8.count <= 63 && second.master.utf8.count <= 63)
        #expect(first.master != second.master)
        #expect(first.master.hasSuffix("_hono_demo") && first.master.hasPrefix("feature_very_long_branch"))
    }

    @Test func aNameTakenByAnotherBranchGetsAHash() throws {
        let first = try PreviewName(branch: "feature/a-b", base: "app")
        #expect(first.master == "feature_a_b_app")
        let same = try PreviewName(branch: "feature/a-b", base: "app", taken: [first.master: "feature/a-b"])
        #expect(same == first, "the same branch keeps its name")
        let other = try PreviewName(branch: "feature/a_b", base: "app", taken: [first.master: "feature/a-b"])
        #expect(other.master != first.master && other.master.hasPrefix("feature_a_b_") && other.master.hasSuffix("_app"))
    }

    @Test func badInputIsExplained() {
        #expect(throws: TenantryError.self) { try PreviewName(branch: "  ", base: "app") }
        let error = #expect(throws: TenantryError.self) { try PreviewName(branch: "x", base: String(repeating: "m", count: 55)) }
        #expect(error?.message.contains("too long to derive preview names") == true)
    }

    @Test func anExistingPreviewKeepsItsPrefix() {
        let name = PreviewName(existing: "feature_a_b_1a2b3c_app", branch: "feature/a_b", base: "app")
        #expect(name.prefix == "feature_a_b_1a2b3c")
    }
}
