import ArgumentParser
import TenantryCore
import TenantryPostgres

/// `tenantry down`: drop-dbs.sh done right: the tenants come from the registry, never a hard-coded list.
struct Down: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        abstract: "Drop every tenant (from the registry) and then the master database, ending their sessions first.",
        discussion: "Asks for confirmation on a terminal; without one, --yes is required."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Do not ask for confirmation (needed when there is no terminal).")
    var yes = false

    func run() async throws {
        let context = try CommandContext(global)
        try await Self.down(context, confirmed: yes)
    }

    /// Shared with `reset`. Prints what it drops; returns quietly when there is nothing.
    static func down(_ context: CommandContext, confirmed: Bool) async throws {
        let master = try await MasterServer.resolve(context)
        let admin = try DatabaseAdmin(server: master.connector)
        let output = context.output
        guard try await admin.databaseExists(master.databaseName) else {
            output.result("Nothing to drop: the master database \(master.databaseName) does not exist")
            return
        }
        let registry = TenantRegistry(master: master.connector, logger: context.logger)
        let registered = try await registry.hasRegistry() ? try await registry.list() : []
        // A tenant on another server (or of another engine) is not on this server: a database of the same name
        // here is somebody else's, so it is left alone and reported.
        let elsewhere = registered.filter { $0.server != nil || $0.engine != "postgresql" }
        for tenant in elsewhere {
            output.warning("skipped tenant \(tenant.id): it lives on \(tenant.server.map { "server \($0)" } ?? "engine \(tenant.engine)"), not on the master's server; drop it there")
        }
        let tenants = registered.filter { $0.server == nil && $0.engine == "postgresql" }
        // Schema tenants live inside the master database and go with it.
        let databases = tenants.filter { $0.schemaName == nil && $0.databaseName != master.databaseName.name }
        let plan = databases.map { "database \($0.databaseName) (tenant \($0.id))" } + ["database \(master.databaseName) (master)"]
        if !confirmed {
            output.note("This drops:\n" + plan.map { "  - \($0)" }.joined(separator: "\n"))
            try Confirmation.require(prompt: "Type 'down' to continue: ", answer: "down", flag: "--yes")
        }
        var dropped: [String] = []
        for tenant in databases where try await admin.dropDatabase(try SQLIdentifier(tenant.databaseName)) {
            dropped.append(tenant.databaseName)
            output.result("Dropped database \(tenant.databaseName) (tenant \(tenant.id))")
        }
        if try await admin.dropDatabase(master.databaseName) {
            dropped.append(master.databaseName.name)
            let inside = tenants.count - databases.count
            output.result("Dropped database \(master.databaseName) (master\(inside > 0 ? ", with \(inside) tenant schema\(inside == 1 ? "" : "s")" : ""))")
        }
        output.emitJSON(["dropped": dropped])
    }
}

/// `tenantry reset [--seed]`: down, then up.
struct Reset: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        abstract: "Drop everything (as `down`) and build it again (as `up`): the clean slate.",
        discussion: "Asks for confirmation on a terminal; without one, --yes is required."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Also apply the seeds, as `up --seed`.")
    var seed = false

    @Flag(help: "Do not ask for confirmation (needed when there is no terminal).")
    var yes = false

    func run() async throws {
        let context = try CommandContext(global)
        try await Down.down(context, confirmed: yes)
        var up = try Up.parse(seed ? ["--seed"] : [])
        up.global = global
        try await up.run()
    }
}
