import Foundation
import Logging
import TenantryCore
import TenantryPostgres

/// What a command needs to run: the loaded project, output, a logger, and the way to the master server.
struct CommandContext: Sendable {
    let global: GlobalOptions
    private(set) var output: Output
    private(set) var project: Project
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

    /// A step of this command run with other settings (a preview's master database and tenant names); its JSON
    /// report is left out of this command's.
    func step(with config: Config) -> CommandContext {
        var copy = self
        copy.project.config = config
        copy.output.isStep = true
        return copy
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
