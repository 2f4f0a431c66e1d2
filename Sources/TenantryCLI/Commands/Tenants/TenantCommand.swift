import ArgumentParser
import TenantryPostgres

/// `tenantry tenant`: the tenant registry and each tenant's lifecycle.
struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Create, list, inspect, suspend, resume, retry and drop tenants (the registry lives in the master database, schema tenantry).",
        subcommands: [TenantCreate.self, TenantList.self, TenantShow.self, TenantSuspend.self, TenantResume.self, TenantRetry.self, TenantDrop.self]
    )
}

/// The registry of the configured master database.
extension TenantRegistry {
    static func open(_ context: CommandContext) async throws -> TenantRegistry {
        let master = try await MasterServer.resolve(context)
        let registry = TenantRegistry(master: master.connector, logger: context.logger,
                                      lockWait: .milliseconds(Int64(context.project.config.migrate.lockWaitSeconds * 1000)))
        _ = try await registry.prepareIfPresent()
        return registry
    }
}
