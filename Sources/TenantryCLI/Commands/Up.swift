import ArgumentParser
import Foundation
import TenantryCore
import TenantryPostgres

/// `tenantry up`: bring the local fleet into being, idempotently (the seeds' create-dbs.sh).
struct Up: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        abstract: "Create what is missing: the server (managed local when none is configured), the master database, its migrations, and the tenant registry.",
        discussion: """
        Safe to run again: what exists is left as it is and reported. With no server configured anywhere, \
        the managed local PostgreSQL in .tenantry/postgres is started first. The master track (master.migrations) \
        is migrated when its folder exists; the registry (schema tenantry) is created by Tenantry's own migrations.
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var folder: MigrationFolderOptions

    @Flag(help: "Also apply seeds/master to the master and seeds/tenant to every active tenant (each seed once per target).")
    var seed = false

    func run() async throws {
        try await Self.up(try CommandContext(global), folder: folder, seed: seed)
    }

    /// Shared with `reset` and `preview create` (which runs it on the preview's master database).
    /// `recreated`: the caller (`reset`) dropped and made the master database a moment ago; it is reported as created.
    static func up(_ context: CommandContext, folder: MigrationFolderOptions, seed: Bool, recreated: Bool = false) async throws {
        // A bad tenant file stops `up` before anything, the master included, is touched.
        try TenantProvisioner.checkTrack(try TenantTrack.catalog(context))
        let master = try await MasterServer.resolve(context)
        let admin = try DatabaseAdmin(server: master.connector)
        let version = try await admin.serverVersion()
        let created = try await admin.ensureDatabase(master.databaseName) || recreated
        let output = context.output
        let origin = master.managed == nil ? " (from \(master.source.label))" : ""
        output.result("Server:  \(master.description), \(version)\(origin)")
        output.result("Master:  \(master.databaseName) \(output.paint(created ? "created" : "already exists", created ? .green : .dim))")

        var applied: [String] = []
        let directory = MasterTrack.directory(context, folder: folder)
        if FileManager.default.fileExists(atPath: directory) {
            let catalog = try MasterTrack.loadCatalog(context, folder: folder)
            let track = try MasterTrack.open(context, catalog: catalog, master: master)
            let outcome = try await track.runner.migrate(.init(allowOutOfOrder: context.project.config.migrate.allowOutOfOrder))
            applied = outcome.applied.map(\.file)
            output.result("Migrate: \(applied.isEmpty ? "up to date" : "\(applied.count) applied") (\(outcome.after?.text ?? "no migrations"))")
        } else {
            output.result("Migrate: no master migrations (\(context.display(directory)) does not exist)")
        }
        let registry = TenantRegistry(master: master.connector, logger: context.logger,
                                      lockWait: .milliseconds(Int64(context.project.config.migrate.lockWaitSeconds * 1000)))
        try await registry.prepare()
        output.result("Registry: schema tenantry ready")
        let seeds = seed ? try UpSeeds.load(context) : nil
        var seeded = 0
        if let seeds {
            let report = try await SeedRunner(target: try MasterTrack.target(context, master: master), logger: context.logger)
                .apply(seeds.master, tenant: nil)
            seeded += report.applied.count
            output.result("Seeds:   master \(UpSeeds.describe(report, output: output))")
        }
        let tenants = try await UpTenants.run(context, registry: registry, seeds: seeds?.tenant)
        UpTenants.render(tenants, output: output)

        let failed = tenants.filter { $0.error != nil }
        let tenantChanges = tenants.filter { $0.error == nil && $0.outcome != "up to date" && !$0.outcome.hasPrefix("skipped") }.count
        let changes = (created ? 1 : 0) + applied.count + tenantChanges + seeded
        output.result(changes == 0 && failed.isEmpty ? "Done: nothing to change." : "Done: \(changes) change\(changes == 1 ? "" : "s").")
        output.emitJSON(UpReport(server: master.description, serverVersion: version, source: master.source.label,
                                 masterDatabase: master.databaseName.name, masterCreated: created, masterMigrationsApplied: applied,
                                 tenants: tenants))
        if !failed.isEmpty {
            throw TenantryError.failed("\(failed.count) of \(tenants.count) tenants failed: \(failed.map(\.tenant).joined(separator: ", "))",
                                       hint: "fix the cause, then `tenantry tenant retry ID` or run `tenantry up` again")
        }
    }
}

struct UpReport: Encodable {
    var server: String
    var serverVersion: String
    var source: String
    var masterDatabase: String
    var masterCreated: Bool
    var masterMigrationsApplied: [String]
    var tenants: [UpTenants.Row]
}
