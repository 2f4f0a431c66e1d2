import ArgumentParser
import Foundation
import TenantryCore
import TenantryPostgres

/// `tenantry preview destroy [--branch NAME | --older-than 7d]`: drop previews with their tenants.
struct PreviewDestroy: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Drop a branch's preview (default: the current branch), or every preview older than a duration.",
        discussion: "Confirmation and guards as for `down`; --dry-run prints what would be dropped."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var branchOption: BranchOption

    @Option(name: .customLong("older-than"), help: ArgumentHelp("Every preview older than this: 30m, 12h, 7d, 2w.", valueName: "age"))
    var olderThan: String?

    @OptionGroup var destructive: DestructiveOptions

    func validate() throws {
        if olderThan != nil && branchOption.branch != nil { throw ValidationError("give --branch or --older-than, not both") }
        if let olderThan, PreviewSupport.duration(olderThan) == nil {
            throw ValidationError("--older-than '\(olderThan)' is not a duration: use a number and m, h, d or w (e.g. 7d)")
        }
    }

    func run() async throws {
        let context = try CommandContext(global)
        let master = try await MasterServer.resolve(context)
        let base = master.databaseName.name
        let previews = try await selected(PreviewCatalog(server: master.connector, logger: context.logger).list(base: base), context: context)
        guard !previews.isEmpty else {
            context.output.result("No preview to destroy")
            context.output.emitJSON(["destroyed": [String]()])
            return
        }
        // Each preview's own plan, as `down` on it would print it.
        let steps = previews.map { entry in
            let name = PreviewName(existing: entry.database, branch: entry.branch, base: base)
            return context.step(with: PreviewSupport.config(for: name, base: base, context: context, destroying: true))
        }
        var plan: [String] = []
        for step in steps { try await Down.down(step) { lines in plan += lines; return false } }
        let gate = DestructiveGuard(context: context, options: destructive, command: "preview destroy")
        guard try gate.allows(plan: plan, confirmation: ("Type 'destroy' to continue: ", "destroy")) else { return }
        for step in steps { try await Down.down(step) { _ in true } }
        context.output.emitJSON(["destroyed": previews.map(\.database)])
    }

    private func selected(_ previews: [PreviewCatalog.Entry], context: CommandContext) throws -> [PreviewCatalog.Entry] {
        if let olderThan, let seconds = PreviewSupport.duration(olderThan) {
            return previews.filter { Date().timeIntervalSince($0.createdAt) > seconds }
        }
        let branch = try PreviewSupport.branch(branchOption.branch, context: context)
        return previews.filter { $0.branch == branch }
    }
}
