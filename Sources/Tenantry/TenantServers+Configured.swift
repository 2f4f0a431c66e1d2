import Logging
import TenantryCore
import TenantryPostgres

extension TenantServers {
    /// The servers tenants live on: the master's, and those of `servers:` in the project's config, resolved like the
    /// master's URL (PG* variables and `.pgpass` fill what a URL leaves out). `warnings` are the resolutions'.
    public static func configured(project: Project, master: MasterDatabase, logger: Logger) throws(TenantryError)
        -> (servers: TenantServers, warnings: [String]) {
        let config = project.config
        let resolver = ConnectionResolver.system(environment: project.environment)
        var others: [TenantServers.Server] = []
        var warnings: [String] = []
        for server in config.servers {
            let source = "servers.\(server.name).url"
            let url = try ConnectionURL.parse(server.url, source: source)
            let resolution = try resolver.resolve(url, urlSource: source)
            warnings += resolution.warnings
            var settings = resolution.settings
            // Schema tenants on this server go in a database named like the master's, unless the URL names one.
            if url.database == nil { settings.database = master.databaseName.name }
            others.append(TenantServers.Server(
                name: server.name, connector: try PostgresConnector(settings: settings, logger: logger),
                budget: server.connections ?? TenantServers.defaultBudget, newTenants: server.newTenants))
        }
        let home = TenantServers.Server(name: Config.masterServerName, connector: master.connector,
                                        budget: config.master.connections ?? TenantServers.defaultBudget,
                                        newTenants: config.master.newTenants)
        return (TenantServers(master: home, others: others, environment: project.environment), warnings)
    }
}
