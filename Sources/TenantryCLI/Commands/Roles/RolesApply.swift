import ArgumentParser
import TenantryCore
import TenantryPostgres

/// `tenantry roles apply`: brings every selected tenant's roles and privileges in line with `roles:`.
struct RolesApply: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create or update each tenant's roles, passwords and privileges from roles: in tenantry.yml.",
        discussion: """
        Passwords are sent as SCRAM-SHA-256 verifiers computed here, never in plain text. Each tenant is changed \
        in one transaction; a tenant already in line is reported unchanged. Every password variable is checked \
        before anything changes. Tenants still PROVISIONING or FAILED get their roles when provisioning resumes.
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: TenantSelection

    @Flag(help: "Print the statements that would run (verifiers hidden) and change nothing.")
    var dryRun = false

    func run() async throws {
        let context = try CommandContext(global)
        guard let roles = context.project.config.roles else {
            throw TenantryError.usage("tenantry.yml has no roles: section, so there are no roles to apply",
                                      hint: "add roles: with owner, read_write and/or read_only (see the README's Roles section)")
        }
        let master = try await MasterServer.resolve(context)
        let servers = try FleetServers.resolve(context, master: master)
        let registry = TenantRegistry(master: master.connector, logger: context.logger,
                                      lockWait: .milliseconds(Int64(context.project.config.migrate.lockWaitSeconds * 1000)))
        guard try await registry.prepareIfPresent() else {
            throw TenantryError.setup("the master database \(master.databaseName) has no tenant registry yet", hint: "run `tenantry up` first")
        }
        let tenants = try FleetSelection.select(try await registry.list(), selection)
        // Every password before any change: a missing variable stops the command with nothing applied.
        let policy = RolePolicy(roles: roles, environment: context.project.environment)
        var reports: [RolesReport.Tenant] = []
        var work: [(Tenant, TenantRoles)] = []
        for tenant in tenants {
            if let reason = Self.skipReason(tenant) {
                reports.append(.init(id: tenant.id, status: "skipped", reason: reason))
            } else {
                work.append((tenant, try policy.resolve(for: tenant)))
            }
        }
        let applier = RoleApplier(logger: context.logger)
        for (tenant, tenantRoles) in work {
            do {
                let connector = try servers.connector(for: tenant)
                let outcome = try await applier.apply(tenantRoles, to: tenant, on: connector, dryRun: dryRun)
                reports.append(.init(outcome, dryRun: dryRun))
            } catch {
                let described = PostgresErrorDescriber.queryError(error, doing: "applying the roles of tenant \(tenant.id)")
                reports.append(.init(id: tenant.id, status: "failed", error: described.message))
            }
        }
        try RolesReport(dryRun: dryRun, tenants: reports).render(context.output)
    }

    /// Only tenants whose database or schema exists get roles here; provisioning applies them to the others.
    static func skipReason(_ tenant: Tenant) -> String? {
        if tenant.engine != "postgresql" { return "engine \(tenant.engine)" }
        switch tenant.status {
        case .active, .suspended: return nil
        case .provisioning, .failed: return "\(tenant.status.rawValue): its roles are applied when provisioning resumes"
        case .dropping, .deleted: return tenant.status.rawValue
        }
    }
}
