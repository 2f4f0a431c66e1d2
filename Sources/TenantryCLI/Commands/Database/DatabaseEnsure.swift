import ArgumentParser
import TenantryCore
import TenantryPostgres

/// `tenantry db ensure NAME`: create the database unless it exists, on the master's server.
struct DatabaseEnsure: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "ensure",
        abstract: "Create a database on the master's server unless it exists (exit 0 either way).",
        discussion: """
        The connecting role needs CREATEDB (or --owner's membership). An existing database is left as it is: \
        a different owner is reported, never changed. Safe to run from several processes at once.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The database's name.")
    var name: String

    @Option(help: ArgumentHelp("OWNER of a new database.", valueName: "role"))
    var owner: String?

    @Option(help: ArgumentHelp("TEMPLATE of a new database (e.g. a template made by `template refresh`).", valueName: "database"))
    var template: String?

    func run() async throws {
        let context = try CommandContext(global)
        let database = try SQLIdentifier(name)
        let ownerName = try owner.map { name throws(TenantryError) in try SQLIdentifier(name) }
        let templateName = try template.map { name throws(TenantryError) in try SQLIdentifier(name) }
        let master = try await MasterServer.resolve(context)
        let admin = try DatabaseAdmin(server: master.connector)
        let created = try await admin.ensureDatabase(database, owner: ownerName, template: templateName)
        let actualOwner = try await admin.owner(of: database)
        if created {
            let from = templateName.map { " from template \($0)" } ?? ""
            context.output.result("Created database \(database) (owner \(actualOwner ?? "?"))\(from) on \(master.description)")
        } else {
            context.output.result("Database \(database) exists (owner \(actualOwner ?? "?")); nothing to do")
            if let ownerName, let actualOwner, actualOwner != ownerName.name {
                context.output.warning("database \(database) is owned by \(actualOwner), not \(ownerName); left as it is")
            }
        }
        context.output.emitJSON(EnsureReport(database: database.name, created: created, owner: actualOwner))
    }
}

private struct EnsureReport: Encodable {
    let database: String
    let created: Bool
    let owner: String?
}
