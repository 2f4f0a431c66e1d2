import Testing

@testable import TenantryCore

@Suite("MigrationPlan: resume")
struct MigrationPlanResumeTests {
    typealias F = MigrationPlanFixtures

    static let catalog = [F.migration("1"), F.migration("2", "concurrent_index", transactional: false), F.migration("3")]

    @Test(arguments: [(0, 4), (1, 4), (3, 4)])
    func resumesAfterTheLastRecordedStatement(applied: Int, total: Int) throws {
        let history = [F.row(Self.catalog[0]), F.row(Self.catalog[1], statements: (applied, total))]
        let plan = MigrationPlan.make(catalog: Self.catalog, applied: history)
        let step = try plan.resumeStep()
        #expect(step.migration == Self.catalog[1])
        #expect(step.fromStatement == applied + 1)
        // The partial problem is what resume fixes; check() still refuses a plain run.
        #expect(throws: TenantryError.self) { try plan.check() }
    }

    @Test func refusedWhenTheFileChanged() throws {
        let history = [F.row(Self.catalog[0]), F.row(Self.catalog[1], checksum: F.checksum("older"), statements: (2, 4))]
        let plan = MigrationPlan.make(catalog: Self.catalog, applied: history)
        let error = try #require(throws: TenantryError.self) { try plan.resumeStep() }
        #expect(error.kind == .setup)
        #expect(error.message.contains("2_concurrent_index.sql (2)"))
        #expect(error.message.contains("the applied statements may have changed; resume refused"))
        #expect(error.message.contains(IntegrityProblem.short(F.checksum("older"))))
    }

    @Test func refusedWhenTheFileIsMissing() throws {
        let history = [F.row(Self.catalog[0]), F.row(Self.catalog[1], statements: (2, 4))]
        let plan = MigrationPlan.make(catalog: [Self.catalog[0]], applied: history)
        #expect(plan.partial?.migration == nil)
        let error = try #require(throws: TenantryError.self) { try plan.resumeStep() }
        #expect(error.message.contains("file is missing; resume refused"))
    }

    @Test func refusedWithNothingToResume() throws {
        let plan = MigrationPlan.make(catalog: Self.catalog, applied: [F.row(Self.catalog[0])])
        let error = try #require(throws: TenantryError.self) { try plan.resumeStep() }
        #expect(error.kind == .usage)
    }

    @Test func refusedWhileAnotherProblemStands() throws {
        let history = [F.row(Self.catalog[0], checksum: F.checksum("edited")), F.row(Self.catalog[1], statements: (1, 2))]
        let plan = MigrationPlan.make(catalog: Self.catalog, applied: history)
        let error = try #require(throws: TenantryError.self) { try plan.resumeStep() }
        #expect(error.message.contains("migration 1_step.sql (1) was edited"))
        #expect(!error.message.contains("stopped part way"))
    }
}
