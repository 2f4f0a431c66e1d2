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

    @Flag(help: "With a run id: finish that fleet run. Without: continue the no-transaction migrations that stopped part way (master: `migrate master --resume`; tenants: every tenant that has one).")
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
        if resume && fleet.join != nil { throw ValidationError("--join RUN cannot be combined with --resume") }
        if retryFailed && track != .tenants { throw ValidationError("--retry-failed works on tenants: `migrate tenants --retry-failed [RUN]`") }
        if dryRun && (run != nil || retryFailed || fleet.join != nil) { throw ValidationError("--dry-run plans a new run; it cannot be combined with a run id, --retry-failed or --join") }
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
        let allowOutOfOrder = allowOutOfOrder || context.project.config.migrate.allowOutOfOrder
        // `migrate master --resume` insists on something to resume; `migrate --resume` resumes whatever stopped part
        // way, on the master and on each tenant, and so do fleet runs that resume or retry.
        var options = MigrationRunner.Options(to: to, allowOutOfOrder: allowOutOfOrder, resume: resume && track == .master)
        options.resumeWhenPartial = resume && track == .all
        let tenantOptions = {
            var options = MigrationRunner.Options(to: to, allowOutOfOrder: allowOutOfOrder)
            options.resumeWhenPartial = resume || retryFailed
            return options
        }()
        // A bad tenant file stops the deploy before the master is touched, as it stops it before any tenant.
        if track == .all { try TenantProvisioner.checkTrack(try TenantTrack.catalog(context)) }
        var report: MigrateReport?
        var masterDryRun: [DryRunMigration] = []
        let masterFolder = MasterTrack.directory(context, folder: folder)
        if track == .all && folder.migrations == nil && !FileManager.default.fileExists(atPath: masterFolder) {
            // As `up`: a project whose master has no migrations of its own goes straight to its tenants.
            context.output.result("master: no migrations (\(context.display(masterFolder)) does not exist)")
        } else if track != .tenants {
            let master = try await MasterTrack.open(context, folder: folder)
            ConnectionReuse.shared.enable(databases: [master.master.connector.settings.database])
            if dryRun {
                masterDryRun = try await DryRun.print(master, options: options, context: context)
                if track == .master { return context.output.emitJSON(masterDryRun) }
            } else {
                report = try await MigrateMaster.run(master, options: options, context: context)
            }
        }
        guard track != .master else {
            context.output.emitJSON(report ?? MigrateReport())
            return
        }
        var provisioner = try await TenantTrack.checkedProvisioner(context)
        ConnectionReuse.shared.enable(databases: [provisioner.master.settings.database])
        let registry = TenantRegistry(master: provisioner.master, logger: context.logger)
        // The application's table (tenants.query) decides which tenants this run works on; new rows are adopted.
        let listing = try await TenantTrack.listing(context, provisioner: provisioner)
        if let listing, !dryRun { try await UpTenants.adopt(listing, provisioner: provisioner, context: context) }
        // Read once: whether there is a fleet at all, and the tenants a new run plans.
        let registered = try await registry.prepareIfPresent() ? try await registry.list() : []
        if dryRun && track == .all && registered.isEmpty { return context.output.emitJSON(masterDryRun) }
        if dryRun {
            let selected = try FleetSelection.select(registered, fleet.selection).filter { FleetSelection.skipReason($0, listing: listing) == nil }
            let tenants = try await DryRun.printTenants(selected, provisioner: provisioner, options: tenantOptions, context: context)
            return context.output.emitJSON(MigrateDryRunReport(master: track == .all ? masterDryRun : nil, tenants: tenants))
        }
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
            start = .new(try FleetSelection.plan(registered, options: fleet, config: context.project.config, listing: listing))
        }
        var command = FleetCommand(context: context, kind: .migrate, options: fleet, provisioner: ready)
        command.registered = registered
        if let to { command.runOptions["to"] = to.text }
        let logger = context.logger
        let histories = BulkHistories()
        let batchers = MigrationBatchers(concurrency: fleet.concurrency ?? context.project.config.migrate.concurrency, logger: logger)
        command.alreadyCurrent = { tenants in
            try await MigrateTenants.current(tenants, provisioner: ready, options: tenantOptions, keeping: histories, logger: logger)
        }
        try await command.execute(start, emit: { fleetReport in
            var combined = report ?? MigrateReport()
            combined.tenants = fleetReport
            context.output.emitJSON(combined)
        }, job: MigrateTenants.job(provisioner: ready, options: tenantOptions, histories: histories, batchers: batchers, logger: context.logger))
    }
}

enum MigrateTrack: String, ExpressibleByArgument, CaseIterable, Sendable {
    case master, tenants, all

    /// `tenant` too, as `new tenant` spells it.
    init?(argument: String) {
        self.init(rawValue: argument == "tenant" ? "tenants" : argument)
    }
}

struct MigrateDryRunReport: Encodable {
    var master: [DryRunMigration]?
    var tenants: [DryRun.TenantMigration]
}

struct MigrateReport: Encodable {
    var target: String?
    var before: String?
    var after: String?
    var applied: [String]?
    /// The fleet run, when tenants were migrated.
    var tenants: FleetSummary.Report?
}
