import Foundation
import TenantryCore
import TenantryPostgres

/// The tenant side of a project: naming, extensions and the tenant migrations, ready to provision with.
enum TenantTrack {
    static func provisioner(_ context: CommandContext) async throws -> TenantProvisioner {
        let config = context.project.config
        let migrations = try catalog(context)
        let master = try await MasterServer.resolve(context)
        let timeouts = MigrationTimeouts(lockTimeout: config.migrate.lockTimeout, statementTimeout: config.migrate.statementTimeout,
                                         lockWait: .milliseconds(Int64(config.migrate.lockWaitSeconds * 1000)))
        var provisioner = TenantProvisioner(
            master: master.connector, layout: config.layout, naming: try TenantNaming(pattern: config.tenants.naming),
            extensions: config.tenants.extensions, tenantMigrations: migrations, timeouts: timeouts,
            logger: context.logger, historySchema: try SQLIdentifier(config.migrate.historySchema),
            tenancy: try SchemaTenancy(track: migrations, config: config.tenants))
        provisioner.databaseOwner = try config.tenants.owner.map { (name: String) throws(TenantryError) in try SQLIdentifier(name) }
        provisioner.databaseTemplate = try config.tenants.template.map { (name: String) throws(TenantryError) in try SQLIdentifier(name) }
        provisioner.servers = try FleetServers.resolve(context, master: master)
        if let template = try templateName(config, master: master) {
            if config.layout == .database {
                provisioner.databaseTemplate = nil
                provisioner.cloneTemplate = TemplateDatabase(name: template, master: master.connector, logger: context.logger)
            } else {
                provisioner.cloneSchemaTemplate = SchemaTemplate(name: template, master: master.connector, logger: context.logger)
            }
        }
        provisioner.roles = config.roles.map { RolePolicy(roles: $0, environment: context.project.environment) }
        return provisioner
    }

    /// `tenants.query` read again (nil when the project has none): the application's table decides which registered
    /// tenants this command works on.
    static func listing(_ context: CommandContext, provisioner: TenantProvisioner) async throws -> TenantListing? {
        guard let query = context.project.config.tenants.query else { return nil }
        return TenantListing(try await TenantDiscovery(master: provisioner.master, query: query, layout: provisioner.layout).list())
    }

    /// The tenant track's migrations (none when its folder does not exist).
    static func catalog(_ context: CommandContext) throws(TenantryError) -> [Migration] {
        let config = context.project.config
        let folder = config.tenants.migrations.hasPrefix("/") ? config.tenants.migrations : context.project.root + "/" + config.tenants.migrations
        guard FileManager.default.fileExists(atPath: folder) else { return [] }
        let catalog = try MigrationCatalog.load(directory: folder, format: config.tenants.format)
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

    /// With `tenants.provision: template`: `tenants.template`, else `<master database>_template` (a database) or
    /// `tenant_template` (a schema in the master database).
    static func templateName(_ config: Config, master: MasterServer) throws(TenantryError) -> SQLIdentifier? {
        guard config.tenants.provision == .template else { return nil }
        if let name = config.tenants.template { return try SQLIdentifier(name) }
        return try SQLIdentifier(config.layout == .schema ? "tenant_template"
                                 : String(master.databaseName.name.prefix(SQLIdentifier.maxBytes - 9)) + "_template")
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
