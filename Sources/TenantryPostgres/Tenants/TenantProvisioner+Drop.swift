import Logging
import PostgresNIO
import TenantryCore

extension TenantProvisioner {
    /// Drops a tenant's database (ending its sessions) or schema, then marks it DELETED; resumable from
    /// DROPPING. With `archive`, a pg_dump is written first, and nothing is dropped if it fails.
    /// Returns the registry row after the call (unchanged when the tenant was DELETED already).
    ///
    /// A database or schema Tenantry did not create (adopted from `tenants.query`, see `TenantLocationRules.owns`)
    /// is dropped only with `dropUnowned`; a system database, the master or a template never is. A schema whose drop
    /// would reach outside it (an extension in it, another tenant's column of one of its types) is refused, with
    /// nothing changed (see `TenantSchemaContents`).
    public func drop(_ id: String, archive: (file: String, archiver: TenantArchiver)? = nil, dropUnowned: Bool = false) async throws -> Tenant {
        try await registry.prepare()
        guard let tenant = try await registry.find(id) else { throw RegistryFailure.unknownTenant(id) }
        if tenant.status == .deleted { return tenant }
        guard tenant.engine == "postgresql" else {
            throw TenantryError.usage("tenant \(id) uses engine \(tenant.engine); Tenantry only drops PostgreSQL tenants",
                                      hint: "Tenantry keeps such tenants in the registry for the application but does not manage their data")
        }
        try checkDroppable(tenant, dropUnowned: dropUnowned)
        _ = try await dropContents(of: tenant)
        let server = try servers.server(named: tenant.server)
        if let archive { try archive.archiver.archive(tenant, to: archive.file, server: server.settings) }
        if tenant.status != .dropping { try await registry.transition(id, to: .dropping) }
        do {
            try await servers.dropLocation(of: tenant)
        } catch {
            let described = PostgresErrorDescriber.queryError(error, doing: "dropping tenant \(id)")
            _ = try? await registry.transition(id, to: .dropping, error: described.message)
            let again = "run `tenantry tenant drop \(id)` again; it resumes"
            throw TenantryError.failed(described.message, hint: described.hint.map { "\($0); then \(again)" } ?? "fix the cause and \(again)")
        }
        return try await registry.transition(id, to: .deleted)
    }

    /// Schema-per-tenant: the objects dropping `tenant` removes (nil for a database tenant), what a plan shows.
    ///
    /// - Throws: a usage error when the drop would reach outside the schema (see `TenantSchemaContents`).
    public func dropContents(of tenant: Tenant) async throws -> TenantSchemaContents? {
        let contents = try await servers.schemaContents(of: tenant)
        if let contents, !contents.outside.isEmpty, let schema = tenant.schemaName {
            throw contents.refusal(tenant: tenant.id, schema: try SQLIdentifier(schema))
        }
        return contents
    }

    /// Refuses a drop of a system database, the master or a template, and of a location Tenantry did not create
    /// unless `dropUnowned` (see `drop`). Callers that show a plan first call it before asking.
    public func checkDroppable(_ tenant: Tenant, dropUnowned: Bool) throws(TenantryError) {
        try locationRules.check(tenant)
        if !dropUnowned && !TenantLocationRules.owns(tenant, naming: naming) {
            throw ProvisioningFailure.unownedLocation(tenant)
        }
    }
}
