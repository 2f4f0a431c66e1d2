import TenantryCore

extension TenantProvisioner {
    /// What `tenantry up` does for one registered tenant: an ACTIVE tenant gets its database or schema, its
    /// extensions and its pending tenant migrations ensured (no event when nothing changes); a PROVISIONING or
    /// FAILED one resumes provisioning. A failure marks the tenant FAILED with the error and is rethrown, so the
    /// caller can go on with the other tenants.
    public func bringUp(_ tenant: Tenant, onStep: @escaping @Sendable (Step) -> Void = { _ in }) async throws -> Result {
        switch tenant.status {
        case .provisioning, .failed:
            return try await create(try TenantSlug(tenant.id), displayName: tenant.displayName, tier: tenant.tier,
                                    metadata: tenant.metadata, onStep: onStep)
        case .active:
            break
        case .suspended:
            throw ProvisioningFailure.suspended(tenant.id)
        case .dropping, .deleted:
            throw ProvisioningFailure.notProvisionable(tenant.id, status: tenant.status)
        }
        var steps: [Step] = []
        let (_, version) = try await runSteps(of: tenant, activating: false, into: &steps, onStep: onStep)
        let changed = steps.contains { step in
            switch step {
            case .createdDatabase, .clonedDatabase, .createdSchema, .clonedSchema, .migrated: true
            default: false
            }
        }
        return Result(tenant: tenant, alreadyActive: !changed, steps: steps, version: version)
    }
}
