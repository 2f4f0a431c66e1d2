import Logging
import PostgresNIO
import TenantryCore

/// Provisions one tenant as a resumable state machine: register PROVISIONING → create its database or schema →
/// ensure the configured extensions → apply the `roles:` policy (`roles`) → apply the tenant track → ACTIVE.
///
/// Every step is idempotent, so running `create` again after a crash or a failure resumes where it stopped, and
/// no database or schema ever exists without a registry row naming it (the row is written first). Any failure
/// marks the tenant FAILED, with the error in `tenantry.tenant_events`, and is rethrown naming the tenant.
///
/// What `create` does with an existing tenant:
/// - ACTIVE: nothing (`alreadyActive`, no event written);
/// - PROVISIONING (a run that died) or FAILED: resumes from the registry row's names (not the current pattern);
/// - SUSPENDED or DROPPING: refuses with a usage error (resume it, or finish the drop, first);
/// - DELETED: registered again as a new life (see `TenantRegistry.register`).
///
/// Extensions: for database-per-tenant they are created in the tenant's database; for schema-per-tenant once per
/// shared database, in the extensions' schema (`tenancy`, default `public`), which tenant migrations and seeds
/// have on their search path after the tenant's own schema: `email citext` works unqualified.
///
/// Provisioning on sign-up:
/// ```swift
/// let provisioner = TenantProvisioner(master: master, layout: config.layout,
///                                     naming: try TenantNaming(pattern: config.tenants.naming),
///                                     extensions: config.tenants.extensions, tenantMigrations: migrations,
///                                     timeouts: MigrationTimeouts(), logger: logger)
/// let result = try await provisioner.create(try TenantSlug("acme"), displayName: "Acme Inc.", tier: "gold")
/// print(result.tenant.status)  // ACTIVE
/// ```
public struct TenantProvisioner: Sendable {
    /// Connects to the master database, which holds the registry (and, for schema-per-tenant, the tenants).
    public let master: PostgresConnector
    public let layout: Config.Layout
    public let naming: TenantNaming
    /// `tenants.extensions`, created with `CREATE EXTENSION IF NOT EXISTS`.
    public let extensions: [String]
    /// The tenant track.
    public let tenantMigrations: [Migration]
    /// Schema-per-tenant: how the tenant files run in each tenant's schema (source schema, extensions' schema).
    public var tenancy: SchemaTenancy
    public let timeouts: MigrationTimeouts
    /// Database-per-tenant: schema of the history table in each tenant database (`migrate.history_schema`).
    public let historySchema: SQLIdentifier
    /// Database-per-tenant: `OWNER` and `TEMPLATE` of each new tenant database.
    public var databaseOwner: SQLIdentifier?
    public var databaseTemplate: SQLIdentifier?
    /// `tenants.provision: template`: new databases on the master's server are clones of this template, and then
    /// get only the migrations it lacks. Tenants on other servers are built from migrations.
    public var cloneTemplate: TemplateDatabase?
    /// The same for schema-per-tenant: new schemas in the master database are copies of this template schema.
    public var cloneSchemaTemplate: SchemaTemplate?
    /// The servers tenants live on; by default only the master's.
    public var servers: TenantServers
    /// `roles:`: applied to each tenant after its location and extensions, before its migrations.
    public var roles: RolePolicy?
    /// Set by callers that prepared the registry already (a fleet run provisioning thousands of tenants), so
    /// each tenant skips the check of Tenantry's internal migrations.
    public var registryPrepared = false
    /// Set by a fleet run: new tenant schemas in one database get their schema and track from one block sent
    /// with other new tenants' (see `MigrationBatcher`).
    public var batchers: MigrationBatchers?
    /// Set by a fleet run: tenants are registered and activated through this one connection to the master (see
    /// `SharedConnection`), not a pooled connection per tenant in flight.
    public var sharedStatements: SharedConnection?
    public let logger: Logger

    public init(master: PostgresConnector, layout: Config.Layout, naming: TenantNaming, extensions: [String],
                tenantMigrations: [Migration], timeouts: MigrationTimeouts, logger: Logger,
                historySchema: SQLIdentifier = try! SQLIdentifier("public"), tenancy: SchemaTenancy? = nil) {
        self.master = master
        self.layout = layout
        self.naming = naming
        self.extensions = extensions
        self.tenantMigrations = tenantMigrations
        // Read from the track unless the caller has them (from `tenants.source_schema` and `extensions_schema`).
        self.tenancy = tenancy ?? SchemaTenancy(track: tenantMigrations)
        self.timeouts = timeouts
        self.historySchema = historySchema
        self.servers = TenantServers(master: master)
        self.logger = logger
    }

    /// The names no tenant may live in: system databases and schemas, the master, the templates.
    public var locationRules: TenantLocationRules {
        let templates = [cloneTemplate?.name, cloneSchemaTemplate?.name, databaseTemplate].compactMap { $0?.name }
        return TenantLocationRules(masterDatabase: master.settings.database, templates: Set(templates))
    }

    var registry: TenantRegistry {
        var registry = TenantRegistry(master: master, logger: logger, lockWait: timeouts.lockWait)
        registry.shared = sharedStatements
        return registry
    }

    /// Creates the tenant `slug`, or resumes its provisioning; see the type's documentation for existing tenants.
    ///
    /// - Parameters:
    ///   - displayName: defaults to the slug. Ignored when the tenant is already registered.
    ///   - server: the server for a new tenant (`master` or a name from `servers:`); nil lets placement choose
    ///     (see ``place(requested:)``). Ignored when the tenant is already registered.
    ///   - onStep: called as each step completes.
    /// - Throws: a usage error for a slug the naming pattern refuses (nothing is written), or for a SUSPENDED or
    ///   DROPPING tenant; otherwise the failure of a step, naming the tenant, after marking it FAILED.
    public func create(
        _ slug: TenantSlug, displayName: String? = nil, tier: String? = nil, metadata: [String: String] = [:],
        server: String? = nil, onStep: @escaping @Sendable (Step) -> Void = { _ in }
    ) async throws -> Result {
        let (tenant, created) = try await register(slug, displayName: displayName, tier: tier, metadata: metadata,
                                                   placement: .choose(server))
        if created {
            onStep(.registered)
            return try await provision(tenant, steps: [.registered], fresh: true, onStep: onStep)
        }
        switch tenant.status {
        case .active:
            return Result(tenant: tenant, alreadyActive: true, steps: [])
        case .failed, .provisioning:
            return try await resume(tenant, onStep: onStep)
        case .suspended:
            throw ProvisioningFailure.suspended(tenant.id)
        case .dropping, .deleted:
            throw ProvisioningFailure.notProvisionable(tenant.id, status: tenant.status)
        }
    }

    /// Registers the tenant (PROVISIONING) without provisioning it; `location` (a database name for the database
    /// layout, a schema name for the schema layout) overrides the naming pattern, for registries adopted from the
    /// application's own table. Returns the existing row when the tenant is registered already.
    public func register(
        _ slug: TenantSlug, displayName: String? = nil, tier: String? = nil, metadata: [String: String] = [:],
        location: SQLIdentifier? = nil, placement: Placement = .choose(nil)
    ) async throws -> (tenant: Tenant, created: Bool) {
        let name = try location ?? naming.name(for: slug)
        if !registryPrepared { try await registry.prepare() }
        // With several servers, placement counts tenants per server: not worth it for a tenant that exists.
        if !servers.others.isEmpty, let existing = try await registry.find(slug.value), existing.status != .deleted {
            return (existing, false)
        }
        let server: String?
        switch placement {
        case .choose(let requested): server = try await place(requested: requested)
        case .exactlyIn(let registryValue, _): server = registryValue
        }
        let shared = try placement.sharedDatabase ?? servers.server(named: server).settings.database
        // A name given from outside is someone else's until Tenantry creates it (see `ensureLocation`).
        let wanted = Tenant(id: slug.value, displayName: displayName ?? slug.value, status: .provisioning, layout: layout,
                            databaseName: layout == .database ? name.name : shared,
                            schemaName: layout == .schema ? name.name : nil, server: server, tier: tier, metadata: metadata,
                            ownsLocation: location == nil)
        try locationRules.check(wanted)
        return try await registry.register(wanted)
    }

    /// Resumes the provisioning of a FAILED tenant (`tenant retry`), from the registry row's names.
    ///
    /// - Throws: a usage error when there is no such tenant or it is not FAILED; otherwise as `create`.
    public func retry(_ id: String, onStep: @escaping @Sendable (Step) -> Void = { _ in }) async throws -> Result {
        try await registry.prepare()
        guard let tenant = try await registry.find(id) else { throw RegistryFailure.unknownTenant(id) }
        guard tenant.status == .failed else { throw ProvisioningFailure.notFailed(id, status: tenant.status) }
        return try await resume(tenant, onStep: onStep)
    }

    /// FAILED goes back to PROVISIONING (an event); PROVISIONING (a run that died) simply carries on.
    private func resume(_ tenant: Tenant, onStep: @escaping @Sendable (Step) -> Void) async throws -> Result {
        let from = tenant.status
        let current = from == .failed ? try await registry.transition(tenant.id, to: .provisioning) : tenant
        onStep(.resumed(from: from))
        return try await provision(current, steps: [.resumed(from: from)], onStep: onStep)
    }

    /// The idempotent steps after registration, then ACTIVE; a failure marks the tenant FAILED and is rethrown.
    private func provision(_ tenant: Tenant, steps: [Step], fresh: Bool = false, onStep: @escaping @Sendable (Step) -> Void) async throws -> Result {
        var steps = steps
        let (tenant, version) = try await runSteps(of: tenant, activating: true, fresh: fresh, into: &steps, onStep: onStep)
        return Result(tenant: tenant, alreadyActive: false, steps: steps, version: version)
    }

    /// Location, extensions, tenant migrations and (when `activating`) the ACTIVE transition, each idempotent.
    /// Empty migration runs are reported only when activating. Any failure marks the tenant FAILED with the
    /// phase it happened in, and is rethrown naming the tenant.
    /// `fresh`: registered a moment ago by this call, so its schema cannot exist yet unless something is wrong.
    func runSteps(
        of tenant: Tenant, activating: Bool, fresh: Bool = false, into steps: inout [Step], onStep: @escaping @Sendable (Step) -> Void
    ) async throws -> (tenant: Tenant, version: MigrationVersion?) {
        var phase = Phase.location
        try locationRules.check(tenant)
        let roles = try resolveRoles(for: tenant)
        do {
            let connector = try servers.connector(for: tenant)
            let migrated: Step, version: MigrationVersion?
            if fresh, roles == nil, let done = try await provisionInOneBlock(tenant, on: connector, phase: &phase) {
                for step in done.steps { steps.append(step); onStep(step) }
                (migrated, version) = (done.migrated, done.version)
            } else {
                phase = .location
                let located = try await ensureLocation(of: tenant)
                for step in located { steps.append(step); onStep(step) }
                phase = .extensions
                for step in try await ensureExtensions(on: connector) { steps.append(step); onStep(step) }
                phase = .roles
                for step in try await applyRoles(roles, to: tenant, on: connector) { steps.append(step); onStep(step) }
                phase = .migrate
                // Made just now (not cloned): no history table to read yet.
                let newTarget = located.contains { if case .createdSchema = $0 { true } else if case .createdDatabase = $0 { true } else { false } }
                (migrated, version) = try await migrate(tenant, on: connector, newTarget: newTarget)
            }
            if case .migrated(let count) = migrated, count > 0 || activating { steps.append(migrated); onStep(migrated) }
            guard activating else { return (tenant, version) }
            phase = .activate
            let active = try await registry.transition(tenant.id, to: .active)
            steps.append(.active); onStep(.active)
            return (active, version)
        } catch {
            let described = PostgresErrorDescriber.queryError(error, doing: "provisioning step \(phase.rawValue)")
            do {
                try await registry.transition(tenant.id, to: .failed, error: described.message, details: ["step": phase.rawValue])
            } catch {
                logger.error("could not mark the tenant FAILED", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
            }
            throw ProvisioningFailure.failed(tenant.id, phase: phase, described)
        }
    }
}
