import Testing

@testable import TenantryCore

@Suite("MigrationPlan: integrity problems")
struct MigrationPlanIntegrityTests {
    typealias F = MigrationPlanFixtures

    static let was = "3fa1c0de9b7e44aa0011223344556677889900aabbccddeeff00112233445566"
    static let now = "9bc2f00d1234abcd99887766554433221100ffeeddccbbaa0099887766554433"

    @Test(arguments: [AppliedMigration.Kind.applied, .baseline])
    func editedFileIsReported(kind: AppliedMigration.Kind) throws {
        let first = F.migration("20250101", "create_wells")
        let edited = F.migration("20250102", "add_index", checksum: Self.now)
        let plan = MigrationPlan.make(
            catalog: [first, edited], applied: [F.row(first, kind: kind), F.row(edited, checksum: Self.was, kind: kind)])
        #expect(plan.problems == [
            .edited(version: F.v("20250102"), file: "20250102_add_index.sql", appliedChecksum: Self.was, currentChecksum: Self.now)
        ])
        let problem = try #require(plan.problems.first)
        #expect(problem.message == "migration 20250102_add_index.sql (20250102) was edited after it was applied: "
            + "checksum was 3fa1c0de9b7e…, is now 9bc2f00d1234…")
        #expect(problem.hint.contains("tenantry mark-applied"))
        #expect(plan.isUpToDate)
        let error = try #require(throws: TenantryError.self) { try plan.check() }
        #expect(error == TenantryError(.setup, problem.message, hint: problem.hint, code: .integrity))
    }

    @Test func deletedFileIsReported() throws {
        let catalog = F.catalog(["1", "2", "3"])
        let history = [F.row(catalog[0]), F.row("2", "drop_legacy", checksum: F.checksum("x")), F.row(catalog[2])]
        let plan = MigrationPlan.make(catalog: [catalog[0], catalog[2]], applied: history)
        #expect(plan.problems == [.deleted(version: F.v("2"), name: "drop_legacy")])
        #expect(plan.problems[0].message == "migration 2 drop_legacy is recorded as applied but has no file in the migrations folder")
        #expect(plan.problems[0].hint.contains("restore the file"))
        #expect(throws: TenantryError.self) { try plan.check() }
    }

    @Test func outOfOrderRefusedByDefault() throws {
        let catalog = F.catalog(["1", "2", "3", "4"])
        let plan = MigrationPlan.make(catalog: catalog, applied: F.history(catalog, applied: ["1", "3"]))
        #expect(plan.problems == [.outOfOrder(version: F.v("2"), file: "2_step.sql", latestApplied: F.v("3"))])
        #expect(plan.problems[0].message == "migration 2_step.sql (2) is not applied but sorts before the latest applied version 3")
        #expect(plan.problems[0].hint.contains("--allow-out-of-order"))
        let error = try #require(throws: TenantryError.self) { try plan.check() }
        #expect(error.hint?.contains("--allow-out-of-order") == true)
    }

    @Test func outOfOrderAllowedRunsInVersionOrder() throws {
        let catalog = F.catalog(["1", "2", "3", "4", "10"])
        let plan = MigrationPlan.make(
            catalog: catalog, applied: F.history(catalog, applied: ["1", "4"]), allowOutOfOrder: true)
        #expect(plan.problems.isEmpty)
        #expect(plan.pending.map(\.version.text) == ["2", "3", "10"])
        try plan.check()
    }

    @Test func severalProblemsEachWithItsOwnMessage() throws {
        let catalog = F.catalog(["1", "2", "3", "4", "5"])
        let history = [
            F.row(catalog[0], checksum: Self.was),  // edited
            F.row("2", "gone", checksum: F.checksum("gone")),  // deleted
            F.row(catalog[3], statements: (2, 5)),  // partial
        ]
        let plan = MigrationPlan.make(catalog: [catalog[0], catalog[2], catalog[3], catalog[4]], applied: history)
        #expect(plan.problems.count == 4)
        #expect(plan.problems.contains(.edited(version: F.v("1"), file: "1_step.sql", appliedChecksum: Self.was, currentChecksum: catalog[0].checksum)))
        #expect(plan.problems.contains(.deleted(version: F.v("2"), name: "gone")))
        #expect(plan.problems.contains(.outOfOrder(version: F.v("3"), file: "3_step.sql", latestApplied: F.v("4"))))
        #expect(plan.problems.contains(.partial(version: F.v("4"), file: "4_step.sql", applied: 2, total: 5)))
        #expect(Set(plan.problems.map(\.message)).count == 4)
        #expect(Set(plan.problems.map(\.hint)).count == 4)

        let error = try #require(throws: TenantryError.self) { try plan.check() }
        #expect(error.kind == .setup)
        #expect(error.exitCode == 2)
        #expect(error.message.hasPrefix("4 problems stop migrations on this target:"))
        for problem in plan.problems {
            #expect(error.message.contains(problem.message))
            #expect(error.message.contains(problem.hint))
        }
    }

    @Test(arguments: [(2, 4), (0, 3)])
    func partialIsDetected(applied: Int, total: Int) {
        let catalog = [F.migration("1"), F.migration("2", "concurrent_index", transactional: false), F.migration("3")]
        let history = [F.row(catalog[0]), F.row(catalog[1], statements: (applied, total))]
        let plan = MigrationPlan.make(catalog: catalog, applied: history)
        #expect(plan.partial == PartialMigration(applied: history[1], migration: catalog[1]))
        #expect(plan.partial?.statementsApplied == applied)
        #expect(plan.partial?.statementsTotal == total)
        #expect(plan.problems == [.partial(version: F.v("2"), file: "2_concurrent_index.sql", applied: applied, total: total)])
        #expect(plan.problems[0].hint.contains("statement \(applied + 1)"))
        #expect(plan.pending.map(\.version.text) == ["3"])
        #expect(plan.current == F.v("2"))
        #expect(!plan.isUpToDate)
    }

    @Test func completeNoTransactionRowIsNotPartial() throws {
        let catalog = [F.migration("1", transactional: false)]
        let plan = MigrationPlan.make(catalog: catalog, applied: [F.row(catalog[0], statements: (4, 4))])
        #expect(plan.partial == nil)
        #expect(plan.isUpToDate)
        try plan.check()
    }
}
