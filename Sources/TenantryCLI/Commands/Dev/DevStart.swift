import ArgumentParser
import TenantryPostgres

struct DevStart: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Create (first time) and start the managed local PostgreSQL; does nothing if it is running."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let context = try CommandContext(global)
        let server = context.localServer
        let result = try await server.start()
        let what = result.created ? "created and started" : result.started ? "started" : "already running"
        context.output.result("Managed local PostgreSQL \(result.version) \(what) on 127.0.0.1:\(result.port) (data in \(context.display(server.baseDirectory)))")
        context.output.result("URL: \(server.url(port: result.port))")
        context.output.emitJSON(DevReport(server: server, result: result))
    }
}

struct DevReport: Encodable {
    var state: String
    var port: Int?
    var url: String?
    var version: String?
    var created: Bool?
    var started: Bool?
    var pid: Int?
    var dataDirectory: String
    var logFile: String

    init(server: LocalServer, result: LocalServer.StartResult) {
        state = "running"
        port = result.port
        url = server.url(port: result.port)
        version = result.version
        created = result.created
        started = result.started
        dataDirectory = server.baseDirectory
        logFile = server.logFile
    }

    init(server: LocalServer, state: LocalServer.State) {
        dataDirectory = server.baseDirectory
        logFile = server.logFile
        switch state {
        case .notCreated:
            self.state = "not created"
        case .stopped(let port):
            self.state = "stopped"
            self.port = port
        case .running(let port, let pid):
            self.state = "running"
            self.port = port
            self.pid = pid
            url = server.url(port: port)
        }
    }
}
