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

    /// The usual flow: statement 3 failed, the user fixed statement 3, the file's checksum changed, yet the
    /// applied statements 1-2 are unchanged, so resuming is safe.
    @Test func resumesAfterALaterStatementWasFixed() throws {
        var row = F.row(Self.catalog[1], checksum: F.checksum("before the fix"), statements: (2, 4))
        row.progressChecksum = "prefix-of-2"
        let plan = MigrationPlan.make(catalog: Self.catalog, applied: [F.row(Self.catalog[0]), row])
        let step = try plan.resumeStep(appliedPrefixChecksum: "prefix-of-2")
        #expect(step.fromStatement == 3)
        let error = try #require(throws: TenantryError.self) { try plan.resumeStep(appliedPrefixChecksum: "something else") }
        #expect(error.message.contains("its first 2 statements in the file now differ from the ones that were applied; resume refused"))
    }

    @Test func statementChecksumCoversTextsAndBoundaries() {
        func statement(_ sql: String, _ index: Int) -> PreparedStatement {
            PreparedStatement(sql: sql, index: index, line: index, column: 1, kind: "SelectStmt")
        }
        let ab = StatementChecksum.of([statement("SELECT 1", 1), statement("SELECT 2", 2)])
        #expect(ab == StatementChecksum.of([statement("SELECT 1", 1), statement("SELECT 2", 2)]))
        #expect(ab != StatementChecksum.of([statement("SELECT 1SELECT 2", 1)]))
        #expect(ab != StatementChecksum.of([statement("SELECT 1", 1)]))
        #expect(StatementChecksum.of([PreparedStatement]()).count == 64)
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
