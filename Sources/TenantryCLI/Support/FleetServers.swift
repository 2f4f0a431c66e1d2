import Tenantry

/// The servers of a command (see `TenantServers.configured`), their warnings shown.
enum FleetServers {
    static func resolve(_ context: CommandContext, master: MasterServer) throws(TenantryError) -> TenantServers {
        let (servers, warnings) = try TenantServers.configured(project: context.project, master: master, logger: context.logger)
        for warning in warnings { context.output.warning(warning) }
        return servers
    }
}
