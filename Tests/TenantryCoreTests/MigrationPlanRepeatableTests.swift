import Testing

@testable import TenantryCore

/// Flyway repeatables in a plan: after the numbered migrations, again whenever their checksum changes, never an
/// integrity problem, never the track's version, never rolled back.
@Suite("plans with repeatable migrations")
struct MigrationPlanRepeatableTests {
    typealias F = MigrationPlanFixtures

    static func repeatable(_ name: String, checksum: String? = nil) -> Migration {
        var migration = F.migration("1", name, checksum: checksum ?? F.checksum("R__" + name), down: false)
        migration.version = MigrationVersion(repeatable: name)
        migration.file = "R__\(name).sql"
        return migration
    }

    @Test func aNewOrChangedRepeatableIsPendingAfterTheNumberedOnes() {
        let views = Self.repeatable("views")
        let catalog = F.catalog(["1", "2"]) + [views]
        let fresh = MigrationPlan.make(catalog: catalog, applied: [])
        #expect(fresh.pending.map(\.version.text) == ["1", "2", "R__views"])

        let applied = F.history(catalog, applied: ["1", "2"]) + [F.row(views)]
        let same = MigrationPlan.make(catalog: catalog, applied: applied)
        #expect(same.isUpToDate && same.problems.isEmpty && same.current?.text == "2")

        let edited = Self.repeatable("views", checksum: F.checksum("edited"))
        let changed = MigrationPlan.make(catalog: F.catalog(["1", "2", "3"]) + [edited], applied: applied)
        #expect(changed.pending.map(\.version.text) == ["3", "R__views"], "a new numbered file after an applied repeatable is not out of order")
        #expect(changed.problems.isEmpty)
        #expect(MigrationPlan.make(catalog: F.catalog(["1", "2", "3"]) + [edited], applied: applied, target: F.v("3")).pending.map(\.version.text) == ["3"])
    }

    @Test func aRepeatableWhoseFileIsGoneIsNoProblemAndRollbackSkipsRepeatables() throws {
        let catalog = F.catalog(["1", "2"])
        let applied = F.history(catalog, applied: ["1", "2"]) + [F.row(Self.repeatable("views"))]
        let plan = MigrationPlan.make(catalog: catalog, applied: applied)
        #expect(plan.isUpToDate && plan.problems.isEmpty)
        let rollback = try RollbackPlan.make(catalog: catalog + [Self.repeatable("views")], applied: applied, steps: 1, to: nil)
        #expect(rollback.steps.map(\.version.text) == ["2"])
    }
}
