import ArgumentParser
import TenantryCore
import TenantryPostgres

/// `tenantry mark-applied master|tenants VERSION`: record without running.
struct MarkApplied: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "mark-applied",
        abstract: "Record a migration as applied without running it (baseline an existing database, or finish a partial file by hand).",
        discussion: """
        tenants: every selected tenant (all that are not SUSPENDED, DROPPING or DELETED, unless --tenant or --where \
        narrows them); a tenant that has the migration recorded already is left as it is.
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var folder: MigrationFolderOptions

    @Argument(help: "The track: master or tenants.")
    var track: FleetTrack

    @Argument(help: "The migration's version.")
    var version: MigrationVersion

    @OptionGroup(title: "Tenants") var selection: TenantSelection

    func validate() throws {
        if track == .master && !(selection.tenants.isEmpty && selection.filters.isEmpty) {
            throw ValidationError("--tenant and --where select tenants: `mark-applied tenants VERSION --tenant ID`")
        }
        if track == .tenants && folder.migrations != nil { throw ValidationError("--migrations names the master's folder; tenants use tenants.migrations") }
    }

    func run() async throws {
        let context = try CommandContext(global)
        guard track == .tenants else {
            let master = try await MasterTrack.open(context, folder: folder)
            let migration = try await master.runner.markApplied(version)
            context.output.result("\(master.runner.target.label): \(migration.file) recorded as applied (not run)")
            context.output.emitJSON(["target": master.runner.target.label, "version": migration.version.text])
            return
        }
        let provisioner = try await TenantTrack.provisioner(context)
        let registry = TenantRegistry(master: provisioner.master, logger: context.logger)
        let registered = try await registry.prepareIfPresent() ? try await registry.list() : []
        let tenants = try FleetSelection.select(registered, selection).filter { FleetSelection.skipReason($0) == nil }
        guard !tenants.isEmpty else { throw TenantryError.usage("no tenant to mark", hint: "`tenantry tenant list` shows the registered tenants") }
        var rows: [[String: String]] = []
        var failed = 0
        for tenant in tenants {
            do {
                let outcome = try await provisioner.markApplied(version, on: tenant)
                context.output.result("\(tenant.id): \(outcome.migration.file) \(outcome.recorded ? "recorded as applied (not run)" : "already recorded as applied")")
                rows.append(["tenant": tenant.id, "version": version.text, "outcome": outcome.recorded ? "recorded" : "already applied"])
            } catch {
                let described = (error as? TenantryError) ?? TenantryError.failed(Redactor.shared.redact("\(error)"))
                // The version is wrong for every tenant: say it once.
                if described.kind == .usage { throw described }
                failed += 1
                context.output.warning("\(tenant.id): \(described.message)")
                rows.append(["tenant": tenant.id, "version": version.text, "outcome": "failed", "error": described.message])
            }
        }
        context.output.emitJSON(rows)
        if failed > 0 { throw TenantryError.failed("\(failed) of \(tenants.count) tenants could not be marked") }
    }
}
