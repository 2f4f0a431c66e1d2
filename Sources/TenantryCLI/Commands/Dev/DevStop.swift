import ArgumentParser

struct DevStop: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop the managed local PostgreSQL; its data stays for the next start."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let context = try CommandContext(global)
        let wasRunning = try await context.localServer.stop()
        context.output.result(wasRunning ? "Managed local PostgreSQL stopped (data kept)" : "Managed local PostgreSQL is not running")
        context.output.emitJSON(["stopped": wasRunning])
    }
}
