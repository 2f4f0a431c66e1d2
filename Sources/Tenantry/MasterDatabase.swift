import Logging
import TenantryCore
import TenantryPostgres

/// The server that holds the master database, resolved as the command line resolves it: a URL given by the caller,
/// the environment or `tenantry.yml`, the PG* variables, or else the managed local PostgreSQL, started on demand.
public struct MasterDatabase: Sendable, CustomStringConvertible {
    public let source: MasterSource
    /// Connects to the master database itself.
    public let connector: PostgresConnector
    public let databaseName: SQLIdentifier
    /// Set when the managed local server is in use (`started` tells whether this call started it).
    public let managed: LocalServer.StartResult?
    /// What the resolution noticed (a `.pgpass` with loose permissions, …), for the caller to show.
    public let warnings: [String]

    /// - Parameter url: a URL that wins over the environment and the file (the CLI's `--url`).
    public static func resolve(project: Project, url: String? = nil, logger: Logger) async throws -> MasterDatabase {
        let source = MasterSource.resolve(flag: url, project: project)
        let config = project.config
        switch source {
        case .managedLocal:
            let server = LocalServer(projectRoot: project.root, environment: project.environment, logger: logger)
            let result = try await server.start()
            let name = try SQLIdentifier(config.master.database ?? Config.defaultMasterDatabase)
            let connector = try PostgresConnector(settings: server.connectionSettings(port: result.port, database: name.name), logger: logger)
            return MasterDatabase(source: source, connector: connector, databaseName: name, managed: result, warnings: [])
        case .url(let text, let label):
            return try make(source: source, url: try ConnectionURL.parse(text, source: label), project: project, logger: logger)
        case .pgEnvironment:
            return try make(source: source, url: nil, project: project, logger: logger)
        }
    }

    private static func make(source: MasterSource, url: ConnectionURL?, project: Project, logger: Logger) throws(TenantryError) -> MasterDatabase {
        let resolution = try ConnectionResolver.system(environment: project.environment).resolve(url)
        var settings = resolution.settings
        if let name = project.config.master.database { settings.database = name }
        return MasterDatabase(source: source, connector: try PostgresConnector(settings: settings, logger: logger),
                              databaseName: try SQLIdentifier(settings.database), managed: nil, warnings: resolution.warnings)
    }

    /// "127.0.0.1:54321 (managed local PostgreSQL)" or the redacted URL.
    public var description: String {
        if let managed { return "127.0.0.1:\(managed.port) (managed local PostgreSQL)" }
        return connector.settings.redactedDescription
    }
}
