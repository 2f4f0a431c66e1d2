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
        let servers = try FleetServers.resolve(context, master: master)
        let tenants = droppable(registered, servers: servers, output: output)
        // Tenants on other servers go one by one; on the master's server, schema tenants go with the master database.
        let elsewhere = tenants.filter { $0.server != nil }
        let databases = tenants.filter { $0.server == nil && $0.schemaName == nil && $0.databaseName != master.databaseName.name }
        let plan = elsewhere.map { "\($0.placeDescription) (tenant \($0.id))" }
            + databases.map { "database \($0.databaseName) (tenant \($0.id))" } + ["database \(master.databaseName) (master)"]
        if !confirmed {
            output.note("This drops:\n" + plan.map { "  - \($0)" }.joined(separator: "\n"))
            try Confirmation.require(prompt: "Type 'down' to continue: ", answer: "down", flag: "--yes")
        }
        var dropped: [String] = []
        for tenant in elsewhere {
            try await servers.dropLocation(of: tenant)
            dropped.append(tenant.schemaName ?? tenant.databaseName)
            output.result("Dropped \(tenant.placeDescription) (tenant \(tenant.id))")
        }
        for tenant in databases where try await admin.dropDatabase(try SQLIdentifier(tenant.databaseName)) {
            dropped.append(tenant.databaseName)
            output.result("Dropped database \(tenant.databaseName) (tenant \(tenant.id))")
        }
        if try await admin.dropDatabase(master.databaseName) {
            dropped.append(master.databaseName.name)
            let inside = tenants.count - databases.count - elsewhere.count
            output.result("Dropped database \(master.databaseName) (master\(inside > 0 ? ", with \(inside) tenant schema\(inside == 1 ? "" : "s")" : ""))")
        }
        output.emitJSON(["dropped": dropped])
    }

    /// The PostgreSQL tenants whose server is known; the others are reported and left alone (a database of the
    /// same name on some other server is somebody else's).
    static func droppable(_ registered: [Tenant], servers: TenantServers, output: Output) -> [Tenant] {
        registered.filter { tenant in
            if tenant.engine != "postgresql" {
                output.warning("skipped tenant \(tenant.id): it uses engine \(tenant.engine), which Tenantry does not manage")
                return false
            }
            do throws(TenantryError) {
                _ = try servers.server(named: tenant.server)
                return true
            } catch {
                output.warning("skipped tenant \(tenant.id): \(error.message); drop it there")
                return false
            }
        }
    }
}

/// `tenantry reset [--seed]`: down, then up, with the same tenants registered again.
struct Reset: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        abstract: "Drop everything (as `down`) and build it again (as `up`) with the same tenants: the clean slate.",
        discussion: "Asks for confirmation on a terminal; without one, --yes is required."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Also apply the seeds, as `up --seed`.")
    var seed = false

    @Flag(help: "Do not ask for confirmation (needed when there is no terminal).")
    var yes = false

    func run() async throws {
        let context = try CommandContext(global)
        // The registry lives in the master database: remember the fleet, so the clean slate has the same tenants.
        let fleet = try await Self.registeredTenants(context)
        try await Down.down(context, confirmed: yes)
        if !fleet.isEmpty {
            let master = try await MasterServer.resolve(context)
            try await DatabaseAdmin(server: master.connector).ensureDatabase(master.databaseName)
            let registry = TenantRegistry(master: master.connector, logger: context.logger)
            try await registry.prepare()
            for tenant in fleet {
                var fresh = tenant
                fresh.status = .provisioning
                _ = try await registry.register(fresh)
            }
            context.output.note("Registered again: \(fleet.map(\.id).joined(separator: ", "))")
        }
        var up = try Up.parse(seed ? ["--seed"] : [])
        up.global = global
        try await up.run()
    }
}

extension Reset {
    /// The tenants to bring back: every registered PostgreSQL one that is not DELETED, on whatever server. All of them are
    /// provisioned again and come back ACTIVE (a clean slate keeps the fleet, not its states).
    static func registeredTenants(_ context: CommandContext) async throws -> [Tenant] {
        let master = try await MasterServer.resolve(context)
        guard try await DatabaseAdmin(server: master.connector).databaseExists(master.databaseName) else { return [] }
        let registry = TenantRegistry(master: master.connector, logger: context.logger)
        guard try await registry.hasRegistry() else { return [] }
        return try await registry.list().filter { $0.engine == "postgresql" }
    }
}
