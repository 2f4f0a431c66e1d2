import TenantryCore
import TenantryPostgres

/// `rollback tenants`: the down sections on every selected tenant, as a fleet run.
enum RollbackTenants {
    /// `resume`: finish the down sections that stopped part way, on the tenants that have one, and nothing else.
    static func run(_ context: CommandContext, steps: Int?, to: MigrationVersion?, resume: Bool, destructive: DestructiveOptions,
                    fleet: FleetOptions) async throws {
        let provisioner = try await TenantTrack.provisioner(context)
        let registry = TenantRegistry(master: provisioner.master, logger: context.logger)
        try await registry.prepare()
        let listing = try await TenantTrack.listing(context, provisioner: provisioner)
        let planned = try FleetSelection.plan(try await registry.list(), options: fleet, config: context.project.config, listing: listing)
        let what = resume ? "the rest of the down section that stopped part way"
            : to.map { "everything applied after \($0.text)" } ?? "the latest \(steps ?? 1) migration\((steps ?? 1) == 1 ? "" : "s")"
        let runnable = planned.filter { $0.skipReason == nil }
        let gate = DestructiveGuard(context: context, options: destructive, command: "rollback tenants")
        let plan = runnable.map { "revert \(what) on tenant \($0.tenantID)" }
        guard try gate.allows(plan: plan, confirmation: ("Type 'rollback' to continue: ", "rollback")) else { return }
        var command = FleetCommand(context: context, kind: .rollback, options: fleet, provisioner: provisioner)
        if let to { command.runOptions["to"] = to.text }
        if let steps { command.runOptions["steps"] = String(steps) }
        if resume { command.runOptions["resume"] = "true" }
        let catalog = provisioner.tenantMigrations
        try await command.execute(.new(planned), emit: { context.output.emitJSON($0) }) { id, tenant in
            guard let tenant else { throw TenantryError.failed("tenant \(id) is no longer in the registry") }
            let runner = MigrationRunner(target: try provisioner.target(for: tenant), migrations: catalog,
                                         timeouts: provisioner.timeouts, logger: context.logger)
            let reverted = try await runner.rollback(steps: to == nil ? (steps ?? 1) : nil, to: to, resume: resume ? .whenPartial : .no)
            // The version left applied: the catalog's one before the oldest reverted.
            let after = reverted.last.flatMap { oldest in catalog.last { $0.version < oldest.version } }
            return FleetRun.Outcome(versionBefore: reverted.first?.version.text, versionAfter: after?.version.text ?? reverted.last.map { _ in "none" },
                                    applied: reverted.count)
        }
    }
}
