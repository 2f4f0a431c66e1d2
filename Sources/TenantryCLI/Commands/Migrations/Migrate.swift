import ArgumentParser
import Foundation
import TenantryCore
import TenantryPostgres

/// `tenantry migrate [master|tenants|all]`: apply pending migrations to the master, then to every tenant.
struct Migrate: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending migrations: the master database, then every tenant in parallel (a fleet run in the ledger).",
        discussion: """
        Before anything runs, every pending file is parsed with PostgreSQL's parser and the history is checked: \
        an applied file that was edited or deleted, or a new file ordered before the latest applied one, stops the \
        run with its own message. A file with -- tenantry:no-transaction runs statement by statement; if it fails \
        part way, the target is blocked until `migrate --resume` or `mark-applied`.

        Tenants run concurrently (--concurrency) within each server's connection budget; one tenant's failure \
        never stops the others unless --fail-fast, --max-failures or a canary says so. Every run is recorded in \
        tenantry.runs / tenantry.run_targets: `migrate tenants --retry-failed [RUN]` reruns only the failures, \
        `--resume RUN` finishes an interrupted run, and `--join RUN` adds this process as another runner.
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var folder: MigrationFolderOptions

    @Argument(help: "The track: master, tenants, or all (master, then tenants).")
    var track: MigrateTrack = .all

    @Argument(help: ArgumentHelp("A run id, for --resume RUN or --retry-failed RUN (tenants).", valueName: "run"))
    var run: Int64?

    @Option(help: ArgumentHelp("Stop after this version.", valueName: "version"))
    var to: MigrationVersion?

    @Flag(help: "Print the statements each pending master migration would run, and change nothing.")
    var dryRun = false

    @Flag(help: "With a run id: finish that fleet run. Without: continue a partially applied no-transaction migration.")
    var resume = false

    @Flag(help: "Tenants: rerun only the tenants that failed in the run given (default: the latest run with failures).")
    var retryFailed = false

    @Flag(help: "Apply pending migrations older than the latest applied one (in version order).")
    var allowOutOfOrder = false

    @OptionGroup(title: "Fleet options") var fleet: FleetOptions

    func validate() throws {
        if run != nil && !(resume || retryFailed) {
            throw ValidationError("a run id goes with --resume RUN or --retry-failed RUN")
        }
        if run != nil && track != .tenants { throw ValidationError("--resume RUN and --retry-failed RUN work on tenants: `migrate tenants --resume RUN`") }
        if retryFailed && track != .tenants { throw ValidationError("--retry-failed works on tenants: `migrate tenants --retry-failed [RUN]`") }
        if track == .tenants && dryRun { throw ValidationError("--dry-run shows the master track; for tenants, `tenantry status tenants` shows what is pending") }
        if track == .tenants && folder.migrations != nil { throw ValidationError("--migrations names the master's folder; tenants use tenants.migrations") }
        if fleet.join != nil && (run != nil || retryFailed) { throw ValidationError("--join RUN cannot be combined with --resume or --retry-failed") }
    }

    func run() async throws {
        let context = try CommandContext(global)
        // Master connections are kept from the first step to the last (master track, registry, ledger): one
        // server backend instead of one per step.
        do {
            try await migrate(context)
        } catch {
            await ConnectionReuse.shared.closeAll()
            throw error
        }
        await ConnectionReuse.shared.closeAll()
    }

    private func migrate(_ context: CommandContext) async throws {
        let options = MigrationRunner.Options(to: to, allowOutOfOrder: allowOutOfOrder || context.project.config.migrate.allowOutOfOrder,
                                              resume: resume && run == nil)
        var report: MigrateReport?
        let masterFolder = MasterTrack.directory(context, folder: folder)
        if track == .all && folder.migrations == nil && !FileManager.default.fileExists(atPath: masterFolder) {
            // As `up`: a project whose master has no migrations of its own goes straight to its tenants.
            context.output.result("master: no migrations (\(context.display(masterFolder)) does not exist)")
        } else if track != .tenants {
            let master = try await MasterTrack.open(context, folder: folder)
            ConnectionReuse.shared.enable(databases: [master.master.connector.settings.database])
            if dryRun {
                try await DryRun.print(master, options: options, context: context)
                return
            }
            report = try await MigrateMaster.run(master, options: options, context: context)
        }
        guard track != .master else {
            context.output.emitJSON(report ?? MigrateReport())
            return
        }
        var provisioner = try await TenantTrack.provisioner(context)
        ConnectionReuse.shared.enable(databases: [provisioner.master.settings.database])
        let registry = TenantRegistry(master: provisioner.master, logger: context.logger)
        // Read once: whether there is a fleet at all, and the tenants a new run plans.
        let registered = try await registry.hasRegistry() ? try await registry.list() : []
        if track == .all && registered.isEmpty {
            // A project without tenants (yet): the master track was all there was.
            context.output.emitJSON(report ?? MigrateReport())
            return
        }
        try await registry.prepare()
        provisioner.registryPrepared = true
        let ready = provisioner
        let start: FleetCommand.Start
        if let join = fleet.join {
            start = .join(join)
        } else if retryFailed {
            start = .retryFailed(run)
        } else if resume, let run {
            start = .resume(run)
        } else {
            start = .new(try FleetSelection.plan(registered, options: fleet, config: context.project.config))
        }
        var command = FleetCommand(context: context, kind: .migrate, options: fleet, provisioner: ready)
        command.registered = registered
        if let to { command.runOptions["to"] = to.text }
        let logger = context.logger
        let histories = BulkHistories()
        let batchers = MigrationBatchers(concurrency: fleet.concurrency ?? context.project.config.migrate.concurrency, logger: logger)
        command.alreadyCurrent = { tenants in
            await MigrateTenants.current(tenants, provisioner: ready, options: options, keeping: histories, logger: logger)
        }
        try await command.execute(start, emit: { fleetReport in
            var combined = report ?? MigrateReport()
            combined.tenants = fleetReport
            context.output.emitJSON(combined)
        }, job: MigrateTenants.job(provisioner: ready, options: options, histories: histories, batchers: batchers, logger: context.logger))
    }
}

enum MigrateTrack: String, ExpressibleByArgument, CaseIterable, Sendable {
    case master, tenants, all
}

struct MigrateReport: Encodable {
    var target: String?
    var before: String?
    var after: String?
    var applied: [String]?
    /// The fleet run, when tenants were migrated.
    var tenants: FleetSummary.Report?
}
