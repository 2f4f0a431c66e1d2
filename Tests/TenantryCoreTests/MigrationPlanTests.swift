import Testing

@testable import TenantryCore

@Suite("MigrationPlan: pending, target, summary")
struct MigrationPlanTests {
    typealias F = MigrationPlanFixtures

    @Test func emptyCatalogAndHistory() throws {
        let plan = MigrationPlan.make(catalog: [], applied: [])
        #expect(plan.pending.isEmpty)
        #expect(plan.problems.isEmpty)
        #expect(plan.partial == nil)
        #expect(plan.current == nil)
        #expect(plan.isUpToDate)
        try plan.check()
        #expect(plan.summary == .init(applied: 0, pending: 0, partial: 0, problems: 0, current: nil, state: .upToDate))
    }

    @Test func allAppliedIsUpToDate() throws {
        let catalog = F.catalog(["1", "2", "10"])
        let plan = MigrationPlan.make(catalog: catalog, applied: F.history(catalog, applied: ["1", "2", "10"]))
        #expect(plan.pending.isEmpty)
        #expect(plan.problems.isEmpty)
        #expect(plan.isUpToDate)
        #expect(plan.current == F.v("10"))
        try plan.check()
        #expect(plan.summary.state == .upToDate)
        #expect(plan.summary.description == "up-to-date: 3 applied, 0 pending (current 10)")
    }

    struct Ordering: Sendable, CustomTestStringConvertible {
        let catalog: [String]
        let applied: [String]
        let pending: [String]
        var testDescription: String { "\(catalog) applied \(applied)" }
    }

    static let orderings: [Ordering] = [
        Ordering(catalog: ["10", "2", "1"], applied: [], pending: ["1", "2", "10"]),
        Ordering(catalog: ["0010", "0002", "0001"], applied: ["0001"], pending: ["0002", "0010"]),
        Ordering(catalog: ["9", "10", "100", "11"], applied: ["9"], pending: ["10", "11", "100"]),
        Ordering(
            catalog: ["20251103170000", "20250102000000", "20251231235959"], applied: ["20250102000000"],
            pending: ["20251103170000", "20251231235959"]),
        Ordering(catalog: ["1.10", "1.2", "1.1", "2"], applied: ["1.1"], pending: ["1.2", "1.10", "2"]),
    ]

    @Test(arguments: orderings)
    func pendingInNumericVersionOrder(_ ordering: Ordering) throws {
        let catalog = F.catalog(ordering.catalog)
        // History rows arrive in any order too.
        let history = F.history(catalog, applied: ordering.applied).reversed()
        let plan = MigrationPlan.make(catalog: catalog, applied: Array(history))
        #expect(plan.pending.map(\.version.text) == ordering.pending)
        #expect(plan.problems.isEmpty)
        #expect(plan.isUpToDate == ordering.pending.isEmpty)
        #expect(plan.current?.text == ordering.applied.last)
        try plan.check()
    }

    @Test(arguments: [
        (nil, ["3", "4", "10"]), ("3", ["3"]), ("4", ["3", "4"]), ("004", ["3", "4"]), ("10", ["3", "4", "10"]),
        ("2", []),
    ] as [(String?, [String])])
    func targetLimitsPending(target: String?, pending: [String]) throws {
        let catalog = F.catalog(["1", "2", "3", "4", "10"])
        let plan = MigrationPlan.make(
            catalog: catalog, applied: F.history(catalog, applied: ["1", "2"]), target: target.map(F.v))
        #expect(plan.pending.map(\.version.text) == pending)
        #expect(plan.problems.isEmpty)
        #expect(plan.isUpToDate == pending.isEmpty)
        try plan.check()
    }

    @Test func targetBelowCurrentPointsAtRollback() throws {
        let catalog = F.catalog(["1", "2", "3"])
        let plan = MigrationPlan.make(catalog: catalog, applied: F.history(catalog, applied: ["1", "2", "3"]), target: F.v("2"))
        #expect(plan.problems == [.targetBelowCurrent(target: F.v("2"), current: F.v("3"))])
        let error = try #require(throws: TenantryError.self) { try plan.check() }
        #expect(error.kind == .setup)
        #expect(error.message.contains("below the current version 3"))
        #expect(error.hint?.contains("tenantry rollback --to 2") == true)
    }

    @Test func unknownTargetIsAProblem() throws {
        let catalog = F.catalog(["1", "2"])
        let plan = MigrationPlan.make(catalog: catalog, applied: [], target: F.v("7"))
        #expect(plan.problems == [.unknownTarget(F.v("7"))])
        let error = try #require(throws: TenantryError.self) { try plan.check() }
        #expect(error.message == "no migration has version 7")
        #expect(error.exitCode == 2)
    }

    @Test func targetKnownOnlyFromHistoryIsNotUnknown() {
        // The file of 2 was deleted: that is reported as deleted, not as an unknown target.
        let catalog = F.catalog(["1", "2"])
        let plan = MigrationPlan.make(catalog: [catalog[0]], applied: F.history(catalog, applied: ["1", "2"]), target: F.v("2"))
        #expect(plan.problems == [.deleted(version: F.v("2"), name: "step")])
    }

    @Test func summaryCounts() {
        let catalog = F.catalog(["1", "2", "3", "4"])
        let history = [
            F.row(catalog[0], kind: .baseline), F.row(catalog[1]), F.row(catalog[2], statements: (1, 3)),
        ]
        let plan = MigrationPlan.make(catalog: catalog, applied: history)
        #expect(plan.summary == .init(applied: 2, pending: 1, partial: 1, problems: 1, current: F.v("3"), state: .partial))
        #expect(plan.summary.description == "partial: 2 applied, 1 pending, 1 partial, 1 problem (current 3)")

        let pendingOnly = MigrationPlan.make(catalog: catalog, applied: [history[0]])
        #expect(pendingOnly.summary.state == .pending)

        let blocked = MigrationPlan.make(catalog: Array(catalog.dropFirst()), applied: history)
        #expect(blocked.summary.state == .blocked)
        #expect(blocked.summary.problems == 2)
    }
}
