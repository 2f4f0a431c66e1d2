import Foundation
import Logging
import TenantryCore
import TenantryPostgres

extension TenantProvisioner {
    /// A provisioner with every setting of the project's config: naming, extensions, the tenant track, timeouts,
    /// owner, template (database or schema), the servers, roles, and the schema layout's rewrite.
    public static func configured(project: Project, master: MasterDatabase, servers: TenantServers,
                                  tenantTrack migrations: [Migration], logger: Logger) throws(TenantryError) -> TenantProvisioner {
        let config = project.config
        let timeouts = MigrationTimeouts(lockTimeout: config.migrate.lockTimeout, statementTimeout: config.migrate.statementTimeout,
                                         lockWait: .milliseconds(Int64(config.migrate.lockWaitSeconds * 1000)))
        var provisioner = TenantProvisioner(
            master: master.connector, layout: config.layout, naming: try TenantNaming(pattern: config.tenants.naming),
            extensions: config.tenants.extensions, tenantMigrations: migrations, timeouts: timeouts,
            logger: logger, historySchema: try SQLIdentifier(config.migrate.historySchema),
            tenancy: try SchemaTenancy(track: migrations, config: config.tenants))
        provisioner.databaseOwner = try config.tenants.owner.map { (name: String) throws(TenantryError) in try SQLIdentifier(name) }
        provisioner.databaseTemplate = try config.tenants.template.map { (name: String) throws(TenantryError) in try SQLIdentifier(name) }
        provisioner.servers = servers
        if let template = try templateName(config, master: master) {
            if config.layout == .database {
                provisioner.databaseTemplate = nil
                provisioner.cloneTemplate = TemplateDatabase(name: template, master: master.connector, logger: logger)
            } else {
                provisioner.cloneSchemaTemplate = SchemaTemplate(name: template, master: master.connector, logger: logger)
            }
        }
        provisioner.roles = config.roles.map { RolePolicy(roles: $0, environment: project.environment) }
        return provisioner
    }

    /// With `tenants.provision: template`: `tenants.template`, else `<master database>_template` (a database) or
    /// `tenant_template` (a schema in the master database).
    public static func templateName(_ config: Config, master: MasterDatabase) throws(TenantryError) -> SQLIdentifier? {
        guard config.tenants.provision == .template else { return nil }
        if let name = config.tenants.template { return try SQLIdentifier(name) }
        return try SQLIdentifier(config.layout == .schema ? "tenant_template"
                                 : String(master.databaseName.name.prefix(SQLIdentifier.maxBytes - 9)) + "_template")
    }
}

extension MigrationCatalog {
    /// The project's tenant track (`tenants.migrations`, relative to the project; none when the folder does not exist).
    public static func tenantTrack(of project: Project) throws(TenantryError) -> MigrationCatalog {
        let configured = project.config.tenants.migrations
        let folder = configured.hasPrefix("/") ? configured : project.root + "/" + configured
        guard FileManager.default.fileExists(atPath: folder) else { return MigrationCatalog(directory: folder, format: .native, migrations: []) }
        return try load(directory: folder, format: project.config.tenants.format)
    }
}
