import ArgumentParser

struct DevURL: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "url",
        abstract: "Print the managed local PostgreSQL's URL, starting it if needed (e.g. export DATABASE_URL=$(tenantry dev url)).",
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The database in the URL.")
    var database = "postgres"

    func run() async throws {
        let context = try CommandContext(global)
        let server = context.localServer
        let result = try await server.start()
        if result.started { context.output.note("Started the managed local PostgreSQL \(result.version) on 127.0.0.1:\(result.port)") }
        context.output.result(server.url(port: result.port, database: database))
        context.output.emitJSON(["url": server.url(port: result.port, database: database)])
    }
}
