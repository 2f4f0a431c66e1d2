import ArgumentParser
import Foundation
import TenantryCore
import TenantryPostgres

/// `tenantry tenant drop ID [--archive FILE]`: end its sessions, drop its database or schema, mark it DELETED.
struct TenantDrop: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "drop",
        abstract: "Drop a tenant's database (ending its sessions) or schema and mark it DELETED; --archive dumps it first.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The tenant's slug.")
    var id: String

    @Option(help: ArgumentHelp("Write a pg_dump (custom format) here first; nothing is dropped if the dump fails.", valueName: "file"))
    var archive: String?

    @Flag(help: "Also drop a database or schema that Tenantry did not create (one adopted from tenants.query).")
    var dropUnowned = false

    @OptionGroup var destructive: DestructiveOptions

    func run() async throws {
        let context = try CommandContext(global)
        let provisioner = try await TenantTrack.provisioner(context)
        let registry = try await TenantRegistry.open(context)
        let tenant = try await registry.get(id)
        guard tenant.status != .deleted else {
            context.output.result("\(id) is already DELETED")
            return
        }
        let place = tenant.placeDescription
        let archive = archive.map { file in
            (file: file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file,
             archiver: TenantArchiver(environment: context.project.environment))
        }
        // An earlier archive may be the only copy of another tenant's data: never written over.
        if let archive, FileManager.default.fileExists(atPath: archive.file) {
            throw TenantryError.usage("\(context.display(archive.file)) exists already; nothing was dropped",
                                      hint: "give --archive a new file name, or move the old archive away first")
        }
        // Refused before asking: the plan must never offer what will not happen.
        try provisioner.checkDroppable(tenant, dropUnowned: dropUnowned)
        let why = TenantLocationRules.owns(tenant, naming: provisioner.naming) ? "" : " (not created by Tenantry; --drop-unowned)"
        // Schema-per-tenant: exactly what goes, and a refusal when the drop would reach outside the schema.
        let contents = try await provisioner.dropContents(of: tenant)
        let removed = contents.map { contents in
            contents.objects.isEmpty ? ["  (the schema holds nothing)"] : contents.objects.map { "  \(TerminalText.safe($0))" }
        } ?? []
        let plan = (archive.map { ["dump tenant \(id) to \(context.display($0.file)) (pg_dump, custom format)"] } ?? [])
            + ["drop tenant \(id): \(place), with all its data\(why)\(contents == nil ? "" : ":")"] + removed
            + ["mark tenant \(id) DELETED in the registry"]
        let gate = DestructiveGuard(context: context, options: destructive, command: "tenant drop \(id)")
        guard try gate.allows(plan: plan, confirmation: ("Type the tenant id '\(id)' to continue: ", id)) else { return }
        let dropped = try await provisioner.drop(id, archive: archive, dropUnowned: dropUnowned)
        if let archive { context.output.result("Archived \(id) to \(context.display(archive.file))") }
        context.output.result("\(id): dropped \(place); \(dropped.status.rawValue)")
        context.output.emitJSON(dropped)
    }
}
