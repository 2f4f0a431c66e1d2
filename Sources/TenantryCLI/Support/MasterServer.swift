import Tenantry

/// The master of a command: `MasterDatabase` resolved with the command's `--url`, its notes and warnings shown.
typealias MasterServer = MasterDatabase

extension MasterDatabase {
    static func resolve(_ context: CommandContext) async throws -> MasterDatabase {
        let master = try await resolve(project: context.project, url: context.global.url, logger: context.logger)
        if let result = master.managed, result.started {
            let how = result.created ? "created and started" : "started"
            context.output.note("No server configured: \(how) the managed local PostgreSQL \(result.version) on 127.0.0.1:\(result.port) (\(context.display(context.localServer.baseDirectory)))")
        }
        for warning in master.warnings { context.output.warning(warning) }
        return master
    }
}
