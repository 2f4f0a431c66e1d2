import ArgumentParser

struct DevStatus: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show whether the managed local PostgreSQL exists and runs, and where."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let context = try CommandContext(global)
        let server = context.localServer
        let state = try server.state()
        let folder = context.display(server.baseDirectory)
        switch state {
        case .notCreated:
            context.output.result("Managed local PostgreSQL: not created (it will be, in \(folder), by `tenantry dev start` or any command that needs a server)")
        case .stopped(let port):
            context.output.result("Managed local PostgreSQL: stopped (port \(port.map(String.init) ?? "?"), data in \(folder))")
        case .running(let port, let pid):
            context.output.result("Managed local PostgreSQL: running on 127.0.0.1:\(port), pid \(pid.map(String.init) ?? "?"), data in \(folder)")
            context.output.result("URL: \(server.url(port: port))")
        }
        context.output.emitJSON(DevReport(server: server, state: state))
    }
}
