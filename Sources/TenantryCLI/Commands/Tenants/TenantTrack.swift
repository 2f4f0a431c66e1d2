import Foundation
import Tenantry

/// The tenant side of a project: naming, extensions and the tenant migrations, ready to provision with.
enum TenantTrack {
    static func provisioner(_ context: CommandContext) async throws -> TenantProvisioner {
        let migrations = try catalog(context)
        let master = try await MasterServer.resolve(context)
        return try TenantProvisioner.configured(project: context.project, master: master, servers: try FleetServers.resolve(context, master: master),
                                                tenantTrack: migrations, logger: context.logger)
    }

    /// `tenants.query` read again (nil when the project has none): the application's table decides which registered
    /// tenants this command works on.
    static func listing(_ context: CommandContext, provisioner: TenantProvisioner) async throws -> TenantListing? {
        guard let query = context.project.config.tenants.query else { return nil }
        return TenantListing(try await TenantDiscovery(master: provisioner.master, query: query, layout: provisioner.layout).list())
    }

    /// The tenant track's migrations (none when its folder does not exist), with what its reader skipped shown.
    static func catalog(_ context: CommandContext) throws(TenantryError) -> [Migration] {
        let catalog = try MigrationCatalog.tenantTrack(of: context.project)
        for warning in catalog.warnings { context.output.warning("tenant track: \(warning)") }
        return catalog.migrations
    }

    /// The provisioner of a command that runs the tenant track: every file is checked first, so a bad file stops the
    /// command before any tenant is touched (and marks none FAILED).
    static func checkedProvisioner(_ context: CommandContext) async throws -> TenantProvisioner {
        let provisioner = try await provisioner(context)
        try provisioner.checkTrack()
        return provisioner
    }

    static func describe(_ step: TenantProvisioner.Step) -> String {
        switch step {
        case .registered: "registered (PROVISIONING)"
        case .resumed(let from): "resuming (was \(from.rawValue))"
        case .createdDatabase(let name): "created database \(name)"
        case .clonedDatabase(let name, let template): "created database \(name) from template \(template)"
        case .clonedSchema(let name, let template): "created schema \(name) as a copy of template \(template)"
        case .createdSchema(let name): "created schema \(name)"
        case .ensuredExtension(let name): "extension \(name) ready"
        case .appliedRoles(let changes): "roles applied (\(changes.count) change\(changes.count == 1 ? "" : "s"))"
        case .migrated(let count): "\(count) tenant migration\(count == 1 ? "" : "s") applied"
        case .active: "ACTIVE"
        }
    }

    static func report(_ result: TenantProvisioner.Result, context: CommandContext) {
        let tenant = result.tenant
        let place = tenant.placeDescription
        context.output.result(result.alreadyActive
            ? "\(tenant.id) is already ACTIVE (\(place)); nothing to do"
            : "\(tenant.id): \(tenant.status.rawValue) (\(place))")
        context.output.emitJSON(tenant)
    }
}
