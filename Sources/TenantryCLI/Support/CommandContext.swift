import Foundation
import Logging
import TenantryCore
import TenantryPostgres

/// What a command needs to run: the loaded project, output, a logger, and the way to the master server.
struct CommandContext: Sendable {
    let global: GlobalOptions
    let output: Output
    let project: Project
    let logger: Logger

    init(_ global: GlobalOptions) throws(TenantryError) {
        let environment = ProcessInfo.processInfo.environment
        self.global = global
        self.output = Output(options: global, environment: environment)
        self.project = try ConfigLoader(processEnvironment: environment, workingDirectory: FileManager.default.currentDirectoryPath)
            .load(configPath: global.config, environmentFlag: global.env)
        var logger = Logger(label: "tenantry")
        logger.logLevel = global.logLevel
        self.logger = logger
    }

    var localServer: LocalServer {
        LocalServer(projectRoot: project.root, environment: project.environment, logger: logger)
    }

    /// A path shown to the user: relative to the working directory when inside it.
    func display(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }
}
