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
        var phase = Phase.location
        do {
            if let server = tenant.server { throw ProvisioningFailure.otherServer(tenant.id, server: server) }
            let connector = try master.to(database: tenant.databaseName)
            for step in try await ensureLocation(of: tenant) { steps.append(step); onStep(step) }
            phase = .extensions
            for step in try await ensureExtensions(on: connector) { steps.append(step); onStep(step) }
            phase = .migrate
            let (migrated, version) = try await migrate(tenant, on: connector)
            if case .migrated(let count) = migrated, count > 0 { steps.append(migrated); onStep(migrated) }
            let changed = steps.contains { step in
                switch step {
                case .createdDatabase, .createdSchema, .migrated: true
                default: false
                }
            }
            return Result(tenant: tenant, alreadyActive: !changed, steps: steps, version: version)
        } catch {
            let described = PostgresErrorDescriber.queryError(error, doing: "bringing the tenant up (\(phase.rawValue))")
            _ = try? await registry.transition(tenant.id, to: .failed, error: described.message, details: ["step": phase.rawValue])
            throw ProvisioningFailure.failed(tenant.id, phase: phase, described)
        }
    }
}
