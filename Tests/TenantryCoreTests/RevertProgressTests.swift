import Testing

@testable import TenantryCore

@Suite("a down section stopped part way")
struct RevertProgressTests {
    typealias F = MigrationPlanFixtures

    @Test(arguments: ["down:1/3:abc", "down:0/2:", "down:12/12:x:y"])
    func recordedTextReadsBack(text: String) throws {
        let progress = try #require(RevertProgress(recorded: text))
        #expect(progress.recorded == text)
    }

    @Test(arguments: [nil, "", "abc123", "down:", "down:1:abc", "down:a/b:c", "up:1/2:c"] as [String?])
    func anythingElseIsNoRevertProgress(text: String?) {
        #expect(RevertProgress(recorded: text) == nil)
    }

    static func history(reverting: String?) -> [AppliedMigration] {
        let catalog = F.catalog(["1", "2", "3"])
        var rows = F.history(catalog, applied: ["1", "2", "3"])
        rows[2].progressChecksum = reverting
        return rows
    }

    @Test func planAndStatusReportItAndMigrateIsRefused() {
        let plan = MigrationPlan.make(catalog: F.catalog(["1", "2", "3"]), applied: Self.history(reverting: "down:1/2:c"))
        #expect(plan.problems == [.partiallyReverted(version: F.v("3"), file: "3_step.sql", reverted: 1, total: 2)])
        #expect(plan.summary.state == .partial)
        #expect(throws: TenantryError.self) { try plan.check() }
    }

    @Test func rollbackRefusesUnlessResumingAndThenFinishesThatMigrationAlone() throws {
        let catalog = F.catalog(["1", "2", "3"])
        let history = Self.history(reverting: "down:1/2:c")
        let refused = try #require(throws: TenantryError.self) {
            try RollbackPlan.make(catalog: catalog, applied: history, steps: 2, to: nil)
        }
        #expect(refused.message.contains("stopped after 1 of 2"))
        let plan = try RollbackPlan.make(catalog: catalog, applied: history, steps: nil, to: nil, resume: .required)
        #expect(plan.steps.map(\.version.text) == ["3"])
        #expect(plan.resuming == RevertProgress(done: 1, total: 2, checksum: "c"))
        #expect(plan.remaining == F.v("2"))
    }

    @Test func resumeWithNothingStoppedIsRefusedOrEmpty() throws {
        let catalog = F.catalog(["1", "2", "3"])
        let history = Self.history(reverting: nil)
        #expect(throws: TenantryError.self) { try RollbackPlan.make(catalog: catalog, applied: history, steps: nil, to: nil, resume: .required) }
        let fleet = try RollbackPlan.make(catalog: catalog, applied: history, steps: nil, to: nil, resume: .whenPartial)
        #expect(fleet.steps.isEmpty)
    }
}
