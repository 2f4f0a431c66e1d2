import ArgumentParser
import Foundation
import TenantryCore
import TenantryPostgres

/// `tenantry tenant create SLUG`: register, create the database or schema, extensions, tenant migrations, ACTIVE.
struct TenantCreate: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Provision a tenant: register it, create its database or schema, extensions and migrations; resumable.",
        discussion: """
        Running it again resumes a tenant that stopped part way (PROVISIONING or FAILED); an ACTIVE tenant is left \
        as it is. With --from FILE (one slug per line, or CSV lines slug,name,tier), the tenants are provisioned in \
        parallel as a fleet run, recorded in tenantry.runs. Slugs: \(TenantSlug.rules)
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The tenant's slug (its id).")
    var slug: String?

    @Option(help: ArgumentHelp("Provision every tenant listed in this file (one slug per line, or slug,name,tier).", valueName: "file"))
    var from: String?

    @Option(help: "Display name (default: the slug).")
    var name: String?

    @Option(help: "Tier, e.g. free or enterprise.")
    var tier: String?

    @Option(help: ArgumentHelp("Metadata, repeatable: --metadata plan=pro.", valueName: "key=value"))
    var metadata: [String] = []

    @Option(help: ArgumentHelp("The server for a new tenant: master, or a name from servers: (default: the one with the fewest tenants).", valueName: "name"))
    var server: String?

    @Flag(help: "Also apply seeds/tenant to it (each seed once).")
    var seed = false

    @OptionGroup(title: "Fleet options (with --from)") var fleet: FleetOptions

    func validate() throws {
        guard (slug == nil) != (from == nil) else { throw ValidationError("give a tenant slug, or --from FILE (not both)") }
        if from != nil && (name != nil || !metadata.isEmpty || seed) {
            throw ValidationError("--name, --metadata and --seed are for one tenant; a --from file gives name and tier per line")
        }
        if from != nil && (!fleet.selection.tenants.isEmpty || !fleet.selection.filters.isEmpty) {
            throw ValidationError("--tenant and --where select registered tenants; --from FILE lists the tenants to create")
        }
    }

    func run() async throws {
        let context = try CommandContext(global)
        if let from {
            return try await Self.createFromFile(FleetCommand.absolute(from), tier: tier, server: server, fleet: fleet, context: context)
        }
        let slug = try TenantSlug(self.slug ?? "")
        var values: [String: String] = [:]
        for pair in metadata {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw TenantryError.usage("--metadata '\(pair)' is not key=value", hint: "for example --metadata plan=pro")
            }
            values[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let provisioner = try await TenantTrack.checkedProvisioner(context)
        let output = context.output
        let result = try await provisioner.create(slug, displayName: name, tier: tier, metadata: values, server: server) { step in
            output.note("  \(TenantTrack.describe(step))")
        }
        if seed {
            let report = try await SeedRunner(target: try provisioner.target(for: result.tenant), logger: context.logger)
                .apply(try UpSeeds.load(context).tenant, tenant: result.tenant)
            output.note("  \(UpSeeds.describe(report, output: output))")
        }
        TenantTrack.report(result, context: context)
    }
}

extension TenantCreate {
    /// Every tenant in the file, as one fleet run (`provision`), with the ledger, progress and report of `migrate tenants`.
    static func createFromFile(_ path: String, tier: String?, server: String?, fleet: FleetOptions, context: CommandContext) async throws {
        var file = try TenantListFile.load(path: path)
        if let tier {
            for index in file.entries.indices where file.entries[index].tier == nil { file.entries[index].tier = tier }
        }
        var provisioner = try await TenantTrack.checkedProvisioner(context)
        if let server { _ = try provisioner.servers.server(named: server) }
        try await TenantRegistry(master: provisioner.master, logger: context.logger).prepare()
        provisioner.registryPrepared = true
        provisioner.batchers = MigrationBatchers(concurrency: fleet.concurrency ?? context.project.config.migrate.concurrency, logger: context.logger)
        let shared = SharedConnection(connector: provisioner.master)
        provisioner.sharedStatements = shared
        let planned = file.entries.map { FleetRun.Planned(tenantID: $0.slug.value, server: server.flatMap(TenantServers.registryValue)) }
        var command = FleetCommand(context: context, kind: .provision, options: fleet, provisioner: provisioner)
        command.runOptions["from"] = (path as NSString).lastPathComponent
        do {
            try await command.execute(fleet.join.map { .join($0) } ?? .new(planned), emit: { context.output.emitJSON($0) },
                                      job: ProvisionTenants.job(provisioner: provisioner, file: file, server: server))
        } catch {
            await shared.close()
            throw error
        }
        await shared.close()
    }
}

struct TenantRetry: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Resume provisioning of a FAILED tenant once its cause is fixed.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The tenant's slug.")
    var id: String

    func run() async throws {
        let context = try CommandContext(global)
        let provisioner = try await TenantTrack.checkedProvisioner(context)
        let output = context.output
        let result = try await provisioner.retry(id) { step in output.note("  \(TenantTrack.describe(step))") }
        TenantTrack.report(result, context: context)
    }
}
