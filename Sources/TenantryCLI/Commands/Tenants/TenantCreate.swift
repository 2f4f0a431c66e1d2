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
        as it is. Slugs: \(TenantSlug.rules)
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The tenant's slug (its id).")
    var slug: String

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

    func run() async throws {
        let context = try CommandContext(global)
        let slug = try TenantSlug(self.slug)
        var values: [String: String] = [:]
        for pair in metadata {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw TenantryError.usage("--metadata '\(pair)' is not key=value", hint: "for example --metadata plan=pro")
            }
            values[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let provisioner = try await TenantTrack.provisioner(context)
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

struct TenantRetry: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Resume provisioning of a FAILED tenant once its cause is fixed.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The tenant's slug.")
    var id: String

    func run() async throws {
        let context = try CommandContext(global)
        let provisioner = try await TenantTrack.provisioner(context)
        let output = context.output
        let result = try await provisioner.retry(id) { step in output.note("  \(TenantTrack.describe(step))") }
        TenantTrack.report(result, context: context)
    }
}
