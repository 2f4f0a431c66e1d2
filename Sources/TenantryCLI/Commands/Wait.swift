import ArgumentParser
import Foundation
import TenantryCore
import TenantryPostgres

/// `tenantry wait`: block until the master server accepts connections (for scripts and containers).
struct Wait: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        abstract: "Wait until the server accepts connections, then exit 0 (exit 2 on timeout)."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Give up after this many seconds.", valueName: "seconds"))
    var timeout = 30

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    func run() async throws {
        let context = try CommandContext(global)
        let master = try await MasterServer.resolve(context)
        // The server must accept connections; the master database may not exist yet.
        let admin = try DatabaseAdmin(server: master.connector)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(timeout)
        var delay = Duration.milliseconds(100)
        while true {
            switch await admin.connector.probe() {
            case .success(let version):
                context.output.result("Ready: \(master.description), PostgreSQL \(version)")
                context.output.emitJSON(["ready": true])
                return
            case .failure(let failure) where !failure.retryable:
                throw failure.error
            case .failure(let failure):
                guard clock.now + delay < deadline else {
                    throw TenantryError.setup("the server did not accept connections within \(timeout) s: \(failure.error.message)",
                                              hint: failure.error.hint)
                }
                context.logger.debug("not ready yet", metadata: ["reason": "\(failure.error.message)"])
                // Polling is the point of this command: back off up to 2 s between attempts.
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
            }
        }
    }
}
