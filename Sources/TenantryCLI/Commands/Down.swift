import ArgumentParser
import TenantryCore
import TenantryPostgres

/// `tenantry down`: drop-dbs.sh done right: the tenants come from the registry, never a hard-coded list.
struct Down: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        abstract: "Drop every tenant (from the registry) and then the master database, ending their sessions first.",
        discussion: """
        Asks for confirmation on a terminal; without one, --yes is required. In a guarded environment --yes is always \
        required and the environment's name is typed on a terminal. --dry-run prints what would be dropped.
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var destructive: DestructiveOptions

    func run() async throws {
        let context = try CommandContext(global)
        let gate = DestructiveGuard(context: context, options: destructive, command: "down")
        try await Self.down(context) { plan throws(TenantryError) in
            try gate.allows(plan: plan, confirmation: ("Type 'down' to continue: ", "down"))
        }
    }

    /// Shared with `reset`. `approve` sees the plan and says whether to go on (false: a dry run). Prints what it
    /// drops; returns false when it dropped nothing.
    @discardableResult
    static func down(_ context: CommandContext, approve: ([String]) throws(TenantryError) -> Bool) async throws -> Bool {
        let master = try await MasterServer.resolve(context)
        let admin = try DatabaseAdmin(server: master.connector)
        let output = context.output
        guard try await admin.databaseExists(master.databaseName) else {
            output.result("Nothing to drop: the master database \(master.databaseName) does not exist")
            return false
        }
        let registry = TenantRegistry(master: master.connector, logger: context.logger)
        let registered = try await registry.prepareIfPresent() ? try await registry.list() : []
        let servers = try FleetServers.resolve(context, master: master)
        let config = context.project.config
        let templateName = try TenantProvisioner.templateName(config, master: master)
        let rules = TenantLocationRules(masterDatabase: master.databaseName.name, templates: Set([templateName?.name].compactMap { $0 }))
        let tenants = droppable(registered, servers: servers, output: output)
        // Tenants on other servers go one by one; on the master's server, schema tenants go with the master database.
        // Only what Tenantry created is dropped on its own: a system database, the master, a template or an adopted
        // database stays, and is reported.
        let own = owned(tenants.filter { $0.server != nil || $0.schemaName == nil }, rules: rules,
                            naming: try TenantNaming(pattern: config.tenants.naming), output: output)
        let elsewhere = own.filter { $0.server != nil }
        let databases = own.filter { $0.server == nil && $0.schemaName == nil }
        // A template database (a template schema goes with the master database).
        let template = config.layout == .database
            ? templateName.map { TemplateDatabase(name: $0, master: master.connector, logger: context.logger) }
            : nil
        var dropsTemplate = false
        if let template { dropsTemplate = try await admin.databaseExists(template.name) }
        let plan = (dropsTemplate ? ["template database \(template!.name) (tenants.provision: template)"] : []) + elsewhere.map { "\($0.placeDescription) (tenant \($0.id))" }
            + databases.map { "database \($0.databaseName) (tenant \($0.id))" } + ["database \(master.databaseName) (master)"]
        guard try approve(plan.map { "drop \($0)" }) else { return false }
        var dropped: [String] = []
        if dropsTemplate, let template, try await template.drop() {
            dropped.append(template.name.name)
            output.result("Dropped template database \(template.name)")
        }
        for tenant in elsewhere {
            try await servers.dropLocation(of: tenant, reachingOutside: true)
            dropped.append(tenant.schemaName ?? tenant.databaseName)
            output.result("Dropped \(tenant.placeDescription) (tenant \(tenant.id))")
        }
        for tenant in databases where try await admin.dropDatabase(try SQLIdentifier(tenant.databaseName)) {
            dropped.append(tenant.databaseName)
            output.result("Dropped database \(tenant.databaseName) (tenant \(tenant.id))")
        }
        if try await admin.dropDatabase(master.databaseName) {
            dropped.append(master.databaseName.name)
            let inside = tenants.filter { $0.server == nil && $0.schemaName != nil }.count
            output.result("Dropped database \(master.databaseName) (master\(inside > 0 ? ", with \(inside) tenant schema\(inside == 1 ? "" : "s")" : ""))")
        }
        output.emitJSON(["dropped": dropped])
        return true
    }

    /// Of `tenants`, those whose database or schema Tenantry may drop on its own; the others are reported.
    static func owned(_ tenants: [Tenant], rules: TenantLocationRules, naming: TenantNaming, output: Output) -> [Tenant] {
        tenants.filter { tenant in
            if let refusal = rules.refusal(tenant) {
                output.warning("kept tenant \(tenant.id)'s \(refusal): Tenantry never drops a tenant there")
                return false
            }
            guard TenantLocationRules.owns(tenant, naming: naming) else {
                output.warning("kept \(tenant.placeDescription) of tenant \(tenant.id): Tenantry did not create it (adopted from tenants.query); `tenantry tenant drop \(tenant.id) --drop-unowned` drops it")
                return false
            }
            return true
        }
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
        discussion: """
        Asks for confirmation on a terminal; without one, --yes is required. In a guarded environment --yes is always \
        required and the environment's name is typed on a terminal. --dry-run prints what would be dropped.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Also apply the seeds, as `up --seed`.")
    var seed = false

    @OptionGroup var destructive: DestructiveOptions

    func run() async throws {
        let context = try CommandContext(global)
        // The registry lives in the master database: remember the fleet, so the clean slate has the same tenants.
        let fleet = try await Self.registeredTenants(context)
        let gate = DestructiveGuard(context: context, options: destructive, command: "reset")
        let rebuild = "build it all again (`up`\(seed ? " --seed" : "")) with \(fleet.isEmpty ? "no tenants" : "the same \(fleet.count) tenant\(fleet.count == 1 ? "" : "s")")"
        var approved = false
        try await Down.down(context) { plan throws(TenantryError) in
            approved = try gate.allows(plan: plan + [rebuild], confirmation: ("Type 'reset' to continue: ", "reset"))
            return approved
        }
        // Nothing existed to drop: `reset` is then `up`, unless this is a dry run.
        if !approved && destructive.dryRun { return }
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
        try await Up.up(context, folder: try MigrationFolderOptions.parse([]), seed: seed, recreated: approved && !fleet.isEmpty)
    }
}

extension Reset {
    /// The tenants to bring back: every registered PostgreSQL one that is not DELETED, on whatever server. All of them are
    /// provisioned again and come back ACTIVE (a clean slate keeps the fleet, not its states).
    static func registeredTenants(_ context: CommandContext) async throws -> [Tenant] {
        let master = try await MasterServer.resolve(context)
        guard try await DatabaseAdmin(server: master.connector).databaseExists(master.databaseName) else { return [] }
        let registry = TenantRegistry(master: master.connector, logger: context.logger)
        guard try await registry.prepareIfPresent() else { return [] }
        return try await registry.list().filter { $0.engine == "postgresql" }
    }
}
