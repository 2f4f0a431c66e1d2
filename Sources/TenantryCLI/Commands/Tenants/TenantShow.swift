import Foundation
import ArgumentParser
import TenantryCore
import TenantryPostgres

struct TenantShow: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one tenant and its recent status changes.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The tenant's slug.")
    var id: String

    func run() async throws {
        let context = try CommandContext(global)
        let registry = try await TenantRegistry.open(context)
        let tenant = try await registry.get(id)
        let events = try await registry.events(for: id, limit: 20)
        let output = context.output
        // Every value here may come from outside (the application's table, a --name): printed escaped.
        let safe = { (text: String) in TerminalText.safe(text) }
        output.result("Tenant:   \(safe(tenant.id)) (\(safe(tenant.displayName)))")
        output.result("Status:   \(tenant.status.rawValue)")
        output.result("Layout:   \(tenant.layout.rawValue), database \(safe(tenant.databaseName))" + (tenant.schemaName.map { ", schema \(safe($0))" } ?? ""))
        if let tier = tenant.tier { output.result("Tier:     \(safe(tier))") }
        for (key, value) in tenant.metadata.sorted(by: { $0.key < $1.key }) { output.result("Meta:     \(safe(key))=\(safe(value))") }
        output.result("Events:")
        for event in events {
            let change = "\(event.from?.rawValue ?? "-") -> \(event.to.rawValue)"
            output.result("  \(event.at)  \(change)" + (event.error.map { "  error: \(TerminalText.safe($0, keepingNewlines: true))" } ?? ""))
        }
        output.emitJSON(TenantShowReport(tenant: tenant, events: events.map {
            .init(at: $0.at, from: $0.from?.rawValue, to: $0.to.rawValue, error: $0.error)
        }))
    }
}

struct TenantShowReport: Encodable {
    struct Event: Encodable {
        var at: Date
        var from: String?
        var to: String
        var error: String?
    }

    var tenant: Tenant
    var events: [Event]
}
