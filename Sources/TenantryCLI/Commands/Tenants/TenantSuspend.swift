import ArgumentParser
import TenantryCore
import TenantryPostgres

/// Suspended tenants keep their data and are skipped by fleet commands.
struct TenantSuspend: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(commandName: "suspend", abstract: "Mark an ACTIVE tenant SUSPENDED: kept, but skipped by fleet commands.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The tenant's slug.")
    var id: String

    func run() async throws {
        try await TenantStatusChange.apply(global: global, id: id, from: [.active], to: .suspended)
    }
}

struct TenantResume: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Make a SUSPENDED tenant ACTIVE again.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The tenant's slug.")
    var id: String

    func run() async throws {
        try await TenantStatusChange.apply(global: global, id: id, from: [.suspended], to: .active)
    }
}

enum TenantStatusChange {
    static func apply(global: GlobalOptions, id: String, from allowed: [TenantStatus], to status: TenantStatus) async throws {
        let context = try CommandContext(global)
        let registry = try await TenantRegistry.open(context)
        let tenant = try await registry.get(id)
        if tenant.status == status {
            context.output.result("\(id) is already \(status.rawValue)")
            return
        }
        guard allowed.contains(tenant.status) else {
            throw TenantryError.usage("\(id) is \(tenant.status.rawValue); only \(allowed.map(\.rawValue).joined(separator: " or ")) tenants can become \(status.rawValue)")
        }
        let changed = try await registry.transition(id, to: status)
        context.output.result("\(id): \(tenant.status.rawValue) -> \(changed.status.rawValue)")
        context.output.emitJSON(changed)
    }
}
