import Foundation
import TenantryCore
import TenantryPostgres

/// The server that holds the master database, resolved from flags, environment and file, or the managed
/// local PostgreSQL started on demand (announced in one line).
struct MasterServer: Sendable {
    let source: MasterSource
    /// Connects to the master database itself.
    let connector: PostgresConnector
    let databaseName: SQLIdentifier
    /// Set when the managed local server is in use.
    let managed: LocalServer.StartResult?

    static func resolve(_ context: CommandContext) async throws -> MasterServer {
        let source = MasterSource.resolve(flag: context.global.url, project: context.project)
        let config = context.project.config
        switch source {
        case .managedLocal:
            let server = context.localServer
            let result = try await server.start()
            if result.started {
                let how = result.created ? "created and started" : "started"
                context.output.note("No server configured: \(how) the managed local PostgreSQL \(result.version) on 127.0.0.1:\(result.port) (\(context.display(server.baseDirectory)))")
            }
            let name = try SQLIdentifier(config.master.database ?? Config.defaultMasterDatabase)
            let connector = try PostgresConnector(settings: server.connectionSettings(port: result.port, database: name.name),
                                                  logger: context.logger)
            return MasterServer(source: source, connector: connector, databaseName: name, managed: result)
        case .url(let text, let label):
            let url = try ConnectionURL.parse(text, source: label)
            return try make(source: source, url: url, context: context)
        case .pgEnvironment:
            return try make(source: source, url: nil, context: context)
        }
    }

    private static func make(source: MasterSource, url: ConnectionURL?, context: CommandContext) throws(TenantryError) -> MasterServer {
        let resolution = try ConnectionResolver.system(environment: context.project.environment).resolve(url)
        for warning in resolution.warnings { context.output.warning(warning) }
        var settings = resolution.settings
        if let name = context.project.config.master.database { settings.database = name }
        let name = try SQLIdentifier(settings.database)
        return MasterServer(source: source, connector: try PostgresConnector(settings: settings, logger: context.logger),
                            databaseName: name, managed: nil)
    }

    /// "127.0.0.1:54321 (managed local PostgreSQL)" or the redacted URL.
    var description: String {
        if let managed { return "127.0.0.1:\(managed.port) (managed local PostgreSQL)" }
        return connector.settings.redactedDescription
    }
}
