import ArgumentParser
import Foundation
import TenantryCore
import TenantryPostgres

struct TenantList: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tenants in the registry.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Include DELETED tenants.")
    var all = false

    func run() async throws {
        let context = try CommandContext(global)
        let tenants = try await TenantRegistry.open(context).list(includeDeleted: all)
        let output = context.output
        if tenants.isEmpty {
            output.result("No tenants yet (tenantry tenant create SLUG adds one)")
        } else {
            // The SERVER column only when the fleet spans several servers.
            let servers = tenants.contains { $0.server != nil }
            let rows = tenants.map {
                [$0.id, $0.status.rawValue, $0.layout.rawValue, $0.databaseName, $0.schemaName ?? "-", $0.tier ?? "-"]
                    + (servers ? [$0.server ?? Config.masterServerName] : [])
            }
            output.result(TextTable.render(header: ["TENANT", "STATUS", "LAYOUT", "DATABASE", "SCHEMA", "TIER"] + (servers ? ["SERVER"] : []),
                                           rows: rows))
        }
        output.emitJSON(tenants)
    }
}
