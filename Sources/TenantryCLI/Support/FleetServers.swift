import TenantryCore
import TenantryPostgres

/// The servers tenants live on: the master's, and those of `servers:` in config, resolved like the master's URL
/// (PG* variables and `.pgpass` fill what a URL leaves out).
enum FleetServers {
    static func resolve(_ context: CommandContext, master: MasterServer) throws(TenantryError) -> TenantServers {
        let config = context.project.config
        let resolver = ConnectionResolver.system(environment: context.project.environment)
        var others: [TenantServers.Server] = []
        for server in config.servers {
            let source = "servers.\(server.name).url"
            let url = try ConnectionURL.parse(server.url, source: source)
            let resolution = try resolver.resolve(url, urlSource: source)
            for warning in resolution.warnings { context.output.warning(warning) }
            var settings = resolution.settings
            // Schema tenants on this server go in a database named like the master's, unless the URL names one.
            if url.database == nil { settings.database = master.databaseName.name }
            others.append(TenantServers.Server(
                name: server.name, connector: try PostgresConnector(settings: settings, logger: context.logger),
                budget: server.connections ?? TenantServers.defaultBudget, newTenants: server.newTenants))
        }
        let home = TenantServers.Server(name: Config.masterServerName, connector: master.connector,
                                        budget: config.master.connections ?? TenantServers.defaultBudget,
                                        newTenants: config.master.newTenants)
        return TenantServers(master: home, others: others, environment: context.project.environment)
    }
}
