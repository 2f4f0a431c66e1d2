import ArgumentParser
import Foundation
import TenantryCore

struct DevDestroy: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Stop the managed local PostgreSQL and delete its data (all databases in it)."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Do not ask for confirmation (needed when there is no terminal).")
    var yes = false

    func run() async throws {
        let context = try CommandContext(global)
        let server = context.localServer
        guard server.isCreated || FileManager.default.fileExists(atPath: server.baseDirectory) else {
            context.output.result("Managed local PostgreSQL: nothing to destroy")
            context.output.emitJSON(["destroyed": false])
            return
        }
        let folder = context.display(server.baseDirectory)
        if !yes {
            try Confirmation.require(
                prompt: "This deletes every database of the managed local PostgreSQL in \(folder). Type 'destroy' to continue: ",
                answer: "destroy", flag: "--yes")
        }
        try await server.destroy()
        context.output.result("Managed local PostgreSQL destroyed (\(folder) removed)")
        context.output.emitJSON(["destroyed": true])
    }
}
