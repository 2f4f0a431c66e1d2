import ArgumentParser
import TenantryCore
import TenantryPostgres

/// `tenantry up`: bring the local fleet into being, idempotently (the seeds' create-dbs.sh).
struct Up: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        abstract: "Create what is missing: the server (managed local when none is configured) and the master database.",
        discussion: """
        Safe to run again: what exists is left as it is and reported. With no server configured anywhere, \
        the managed local PostgreSQL in .tenantry/postgres is started first.
        """
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let context = try CommandContext(global)
        let master = try await MasterServer.resolve(context)
        let admin = try DatabaseAdmin(server: master.connector)
        let version = try await admin.serverVersion()
        let created = try await admin.ensureDatabase(master.databaseName)
        let report = UpReport(server: master.description, serverVersion: version, source: master.source.label,
                              masterDatabase: master.databaseName.name, masterCreated: created)
        let origin = master.managed == nil ? " (from \(report.source))" : ""
        context.output.result("Server:  \(report.server), \(version)\(origin)")
        context.output.result("Master:  \(report.masterDatabase) \(context.output.paint(created ? "created" : "already exists", created ? .green : .dim))")
        context.output.result(created ? "Done: 1 database created." : "Done: nothing to change.")
        context.output.emitJSON(report)
    }
}

struct UpReport: Encodable {
    var server: String
    var serverVersion: String
    var source: String
    var masterDatabase: String
    var masterCreated: Bool
}
