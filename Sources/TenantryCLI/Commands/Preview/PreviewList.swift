import ArgumentParser
import Foundation
import TenantryCore
import TenantryPostgres

/// `tenantry preview list`: this project's previews with their age.
struct PreviewList: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List this project's previews, oldest first, with their age.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let context = try CommandContext(global)
        let master = try await MasterServer.resolve(context)
        let entries = try await PreviewCatalog(server: master.connector, logger: context.logger).list(base: master.databaseName.name)
        if entries.isEmpty {
            context.output.result("No previews of \(master.databaseName) (tenantry preview create makes one)")
        } else {
            let rows = entries.map { [$0.branch, $0.database, PreviewSupport.age(since: $0.createdAt), $0.createdAt.ISO8601Format()] }
            context.output.result(TextTable.render(header: ["BRANCH", "DATABASE", "AGE", "CREATED"], rows: rows))
        }
        context.output.emitJSON(entries)
    }
}
