import Testing

@testable import TenantryCore

@Suite("RollbackPlan")
struct RollbackPlanTests {
    typealias F = MigrationPlanFixtures

    static let catalog = F.catalog(["1", "2", "3", "9", "10"])
    static let history = F.history(catalog, applied: ["1", "2", "3", "9", "10"]).shuffled()

    static func plan(steps: Int? = nil, to: String? = nil, catalog: [Migration] = catalog, history: [AppliedMigration] = history)
        throws(TenantryError) -> RollbackPlan
    {
        try RollbackPlan.make(catalog: catalog, applied: history, steps: steps, to: to.map(F.v))
    }

    @Test(arguments: [
        (1, ["10"], "9"), (2, ["10", "9"], "3"), (4, ["10", "9", "3", "2"], "1"), (5, ["10", "9", "3", "2", "1"], nil),
    ] as [(Int, [String], String?)])
    func lastStepsInReverseVersionOrder(steps: Int, undone: [String], remaining: String?) throws {
        let plan = try Self.plan(steps: steps)
        #expect(plan.steps.map(\.version.text) == undone)
        #expect(plan.remaining?.text == remaining)
    }

    @Test func neitherIsOneStep() throws {
        let plan = try Self.plan()
        #expect(plan.steps.map(\.version.text) == ["10"])
        #expect(plan.remaining == F.v("9"))
    }

    @Test(arguments: [
        ("3", ["10", "9"]), ("10", []), ("0", ["10", "9", "3", "2", "1"]), ("000", ["10", "9", "3", "2", "1"]),
        ("1", ["10", "9", "3", "2"]), ("0009", ["10"]),
    ])
    func toKeepsTheVersionAndUndoesAboveIt(to: String, undone: [String]) throws {
        let plan = try Self.plan(to: to)
        #expect(plan.steps.map(\.version.text) == undone)
    }

    @Test(arguments: ["4", "11"])
    func toMustBeApplied(to: String) throws {
        let error = try #require(throws: TenantryError.self) { try Self.plan(to: to) }
        #expect(error.kind == .usage)
        #expect(error.message == "cannot roll back to \(to): it is not applied")
    }

    @Test func bothIsAUsageError() throws {
        let error = try #require(throws: TenantryError.self) { try Self.plan(steps: 1, to: "3") }
        #expect(error.kind == .usage)
        #expect(error.exitCode == 64)
        #expect(error.message.contains("--steps or --to"))
    }

    @Test(arguments: [0, -1])
    func stepsBelowOneIsAUsageError(steps: Int) throws {
        let error = try #require(throws: TenantryError.self) { try Self.plan(steps: steps) }
        #expect(error.kind == .usage)
    }

    @Test func tooManyStepsIsRefused() throws {
        let error = try #require(throws: TenantryError.self) { try Self.plan(steps: 6) }
        #expect(error.message == "cannot roll back 6 migrations: only 5 applied")
        let empty = try #require(throws: TenantryError.self) { try Self.plan(history: []) }
        #expect(empty.message == "nothing to roll back: no migration is applied")
    }

    @Test func missingDownIsRefusedNamingTheFiles() throws {
        var catalog = Self.catalog
        catalog[1] = F.migration("2", "no_down", down: false)
        catalog[3] = F.migration("9", "also_no_down", down: false)
        let history = F.history(catalog, applied: ["1", "2", "3", "9", "10"])
        let error = try #require(throws: TenantryError.self) { try Self.plan(steps: 4, catalog: catalog, history: history) }
        #expect(error.kind == .setup)
        #expect(error.message == "cannot roll back: no down section in 9_also_no_down.sql (9), 2_no_down.sql (2)")
        #expect(error.hint?.contains("`-- migrate:down`") == true)
        #expect(error.hint?.contains(".down.sql") == true)
        // A migration that is not undone may lack a down section.
        let plan = try Self.plan(steps: 1, catalog: catalog, history: history)
        #expect(plan.steps.map(\.version.text) == ["10"])
    }

    @Test func missingFileIsRefused() throws {
        let catalog = Self.catalog.filter { $0.version != F.v("9") }
        let history = Self.history.map { $0.version == F.v("9") ? F.row("9", "vanished", checksum: $0.checksum) : $0 }
        let error = try #require(throws: TenantryError.self) { try Self.plan(to: "3", catalog: catalog, history: history) }
        #expect(error.kind == .setup)
        #expect(error.message.contains("9 vanished"))
        #expect(error.hint?.contains("restore") == true)
        #expect(try Self.plan(steps: 1, catalog: catalog, history: history).steps.map(\.version.text) == ["10"])
    }

    @Test func partialIsRefused() throws {
        let history = Self.history.map { $0.version == F.v("3") ? F.row(Self.catalog[2], statements: (1, 2)) : $0 }
        let error = try #require(throws: TenantryError.self) { try Self.plan(steps: 1, history: history) }
        #expect(error.kind == .setup)
        #expect(error.message.contains("3_step.sql (3) is partially applied (1 of 2 statements)"))
        #expect(error.hint?.contains("tenantry migrate --resume") == true)
    }

    @Test func baselineRowsAreUndoneLikeOthers() throws {
        let history = Self.history.map { $0.version == F.v("10") ? F.row(Self.catalog[4], kind: .baseline) : $0 }
        #expect(try Self.plan(steps: 1, history: history).steps == [Self.catalog[4]])
    }
}
