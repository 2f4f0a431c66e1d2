import TenantryCore

extension TenantProvisioner {
    /// The tenant's roles under the `roles:` policy, resolved before any step runs: a missing password variable
    /// stops provisioning with nothing done (and an ACTIVE tenant is not marked FAILED for it).
    func resolveRoles(for tenant: Tenant) throws(TenantryError) -> TenantRoles? {
        try roles?.resolve(for: tenant)
    }

    /// Applies the policy after the tenant's database or schema exists and before its migrations, so the default
    /// privileges cover the tables they create.
    func applyRoles(_ roles: TenantRoles?, to tenant: Tenant, on connector: PostgresConnector) async throws -> [Step] {
        guard let roles else { return [] }
        let outcome = try await RoleApplier(logger: logger).apply(roles, to: tenant, on: connector)
        return outcome.changes.isEmpty ? [] : [.appliedRoles(outcome.changes.map(\.summary))]
    }
}
