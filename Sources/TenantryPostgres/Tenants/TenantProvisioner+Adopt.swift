import TenantryCore

extension TenantProvisioner {
    /// What `adopt` did on one tenant.
    public struct TenantAdoption: Sendable {
        public var tenant: Tenant
        public var adoption: Adoption
        /// Set when the tenant was brought to ACTIVE after its history was adopted (it was registered from
        /// `tenants.query` and nothing of the track is left to run).
        public var activated: Result?
    }

    /// `adopt` on one tenant: another tool's history recorded in Tenantry's (see `MigrationRunner.adopt`). A tenant
    /// that is not ACTIVE yet (registered from `tenants.query`) and has nothing pending after the adoption is then
    /// brought up (its extensions ensured, ACTIVE); with files still pending it is left for `migrate tenants`, which
    /// applies only those. Nothing runs for a dry run or a blocked plan.
    public func adopt(_ tenant: Tenant, from tool: ForeignTool?, acceptChanged: Bool = false, dryRun: Bool = false) async throws -> TenantAdoption {
        let runner = MigrationRunner(target: try target(for: tenant), migrations: tenantMigrations, timeouts: timeouts, logger: logger)
        let adoption = try await runner.adopt(from: tool, acceptChanged: acceptChanged, dryRun: dryRun)
        var result = TenantAdoption(tenant: tenant, adoption: adoption)
        if !dryRun, [.provisioning, .failed].contains(tenant.status), adoption.table != nil, !adoption.isBlocked,
           adoption.plan?.pending.isEmpty == true {
            result.activated = try await bringUp(tenant)
            result.tenant = result.activated?.tenant ?? tenant
        }
        return result
    }

    /// `adopt` on many tenants, `concurrency` at a time; each tenant's error is its own.
    public func adopt(_ tenants: [Tenant], from tool: ForeignTool?, acceptChanged: Bool = false, dryRun: Bool = false,
                      concurrency: Int = 8) async -> [(tenant: Tenant, result: Swift.Result<TenantAdoption, any Error>)] {
        await withTaskGroup(of: (Int, Swift.Result<TenantAdoption, any Error>).self) { group in
            var results: [Swift.Result<TenantAdoption, any Error>?] = Array(repeating: nil, count: tenants.count)
            var next = 0
            func start() {
                guard next < tenants.count else { return }
                let index = next
                next += 1
                group.addTask {
                    do {
                        return (index, .success(try await adopt(tenants[index], from: tool, acceptChanged: acceptChanged, dryRun: dryRun)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for _ in 0..<max(1, concurrency) { start() }
            for await (index, result) in group {
                results[index] = result
                start()
            }
            return zip(tenants, results).map { ($0, $1 ?? .failure(TenantryError.failed("not adopted"))) }
        }
    }
}
