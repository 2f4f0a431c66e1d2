import ArgumentParser
import TenantryCore
import TenantryPostgres

/// `tenantry rollback master|tenants --steps N | --to V`: run down sections in reverse.
struct Rollback: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        abstract: "Revert applied migrations with their down sections, latest first (one transaction each).",
        discussion: """
        Without --steps or --to, reverts the latest migration. Refuses when a migration to revert has no down section. \
        `rollback tenants` does it on every selected tenant as a fleet run (recorded in tenantry.runs).
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var folder: MigrationFolderOptions

    @Argument(help: "The track to roll back.")
    var track: FleetTrack

    @Option(help: "How many migrations to revert.")
    var steps: Int?

    @Option(help: ArgumentHelp("Revert everything applied after this version (it stays applied).", valueName: "version"))
    var to: MigrationVersion?

    @Flag(help: "Finish a no-transaction down section that stopped part way (on tenants: on each tenant that has one).")
    var resume = false

    @OptionGroup var destructive: DestructiveOptions

    @OptionGroup(title: "Fleet options (rollback tenants)") var fleet: FleetOptions

    func validate() throws {
        if steps != nil && to != nil { throw ValidationError("give --steps or --to, not both") }
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
        if resume && (steps != nil || to != nil) { throw ValidationError("--resume finishes the rollback that stopped; give --steps or --to on a later run") }
        if track == .tenants && folder.migrations != nil {
            throw ValidationError("--migrations names the master's folder; tenants use tenants.migrations")
        }
    }

    func run() async throws {
        let context = try CommandContext(global)
        if track == .tenants {
            return try await RollbackTenants.run(context, steps: steps, to: to, resume: resume, destructive: destructive, fleet: fleet)
        }
        let master = try await MasterTrack.open(context, folder: folder)
        let label = master.runner.target.label
        let (_, applied) = try await master.runner.plan()
        let plan = try RollbackPlan.make(catalog: master.catalog.migrations, applied: applied, steps: steps, to: to,
                                         resume: resume ? .required : .no)
        let gate = DestructiveGuard(context: context, options: destructive, command: "rollback master")
        let rest = plan.resuming.map { " from statement \($0.done + 1)" } ?? ""
        guard try gate.allows(plan: plan.steps.map { "revert \($0.file) (its down section\(rest)) on \(label)" },
                              confirmation: ("Type 'rollback' to continue: ", "rollback")) else { return }
        let output = context.output
        let reverted = try await master.runner.rollback(steps: steps, to: to, resume: resume ? .required : .no) { event in
            if case .reverted(let migration) = event { output.result("  reverted \(migration.file)") }
        }
        output.result("\(label): \(reverted.count) reverted")
        output.emitJSON(["target": label, "reverted": reverted.map(\.version.text).joined(separator: ",")])
    }
}
