import Logging
import Synchronization
import TenantryCore
import TenantryPostgres

/// The work `migrate tenants` does on one tenant.
enum MigrateTenants {
    /// ACTIVE tenants get the tenant track; FAILED or PROVISIONING ones are brought up (their provisioning
    /// resumed, then migrated, then ACTIVE). A failed migration marks the tenant FAILED with the error.
    /// `histories`: read in bulk before the run; a tenant that has one is migrated by self-checking blocks.
    /// Tenant schemas in one database share their `batchers`' connections (see `MigrationBatcher`).
    static func job(provisioner: TenantProvisioner, options: MigrationRunner.Options, histories: BulkHistories,
                    batchers: MigrationBatchers, logger: Logger) -> @Sendable (String, Tenant?) async throws -> FleetRun.Outcome {
        // Tenants that hit a lock timeout in this run: tried again, they resume a no-transaction file the timeout
        // stopped part way (that state is this run's own doing).
        let timedOut = Mutex<Set<String>>([])
        return { id, tenant in
            guard let tenant else { throw TenantryError.failed("tenant \(id) is no longer in the registry") }
            guard tenant.status == .active else {
                let result = try await provisioner.bringUp(tenant)
                return FleetRun.Outcome(versionBefore: nil, versionAfter: result.version?.text, applied: result.migrationsApplied)
            }
            let target = try provisioner.target(for: tenant)
            let runner = MigrationRunner(target: target, migrations: provisioner.tenantMigrations, timeouts: provisioner.timeouts, logger: logger)
            var options = options
            if timedOut.withLock({ $0.contains(id) }) { options.resumeWhenPartial = true }
            do {
                let outcome = if let applied = histories.take(tenant.id) {
                    try await runner.migrate(knownHistory: applied, options,
                                             batcher: target.schema == nil ? nil : batchers.batcher(for: target.connector))
                } else {
                    try await runner.migrate(options)
                }
                return FleetRun.Outcome(versionBefore: outcome.before?.text, versionAfter: outcome.after?.text, applied: outcome.applied.count)
            } catch {
                let described = PostgresErrorDescriber.queryError(error, doing: "migrating tenant \(tenant.id)")
                // The files disagree with a history (an out-of-order or edited file): nothing ran, and the tenant is
                // as healthy as before; the run reports it, the tenant stays ACTIVE.
                if described.code == .integrity { throw described }
                // A lock timeout changed nothing (its transaction rolled back): the run tries the tenant again later.
                if described.sqlState == "55P03" {
                    timedOut.withLock { _ = $0.insert(id) }
                    throw described
                }
                let registry = TenantRegistry(master: provisioner.master, logger: logger)
                _ = try? await registry.transition(tenant.id, to: .failed, error: described.message, details: ["step": "migrate"])
                throw described
            }
        }
    }
}

extension MigrateTenants {
    /// The ACTIVE tenants among `tenants` that have nothing to do (nothing pending up to `options.to`, nothing
    /// partial, no integrity problem), with their version, from one bulk read of the histories; the others'
    /// histories go to `keeping` for the job.
    ///
    /// A tenant whose recorded version (`track_version`) leaves something pending skips the bulk read: its job
    /// starts from the history that version stands for, and its first block proves that history (or takes the
    /// classic path). Deploying a new migration to a fleet reads no history up front.
    ///
    /// - Throws: the integrity problem of the first tenant read whose history the files disagree with (an edited,
    ///   deleted or out-of-order file): the run is refused before it starts, and no tenant is touched.
    static func current(_ tenants: [Tenant], provisioner: TenantProvisioner, options: MigrationRunner.Options,
                        keeping: BulkHistories, logger: Logger) async throws -> [(id: String, version: String?)] {
        let active = tenants.filter { $0.status == .active && $0.engine == "postgresql" }
        guard !active.isEmpty else { return [] }
        let catalog = provisioner.tenantMigrations
        let recorded = (try? await TenantRegistry(master: provisioner.master, logger: logger).recordedTrackVersions()) ?? [:]
        // Per recorded version, once: the history it stands for, when that history leaves something to do.
        var startingPoints: [MigrationVersion: [AppliedMigration]?] = [:]
        func startingPoint(_ version: MigrationVersion) -> [AppliedMigration]? {
            if let known = startingPoints[version] { return known }
            var found: [AppliedMigration]?
            if let history = MigrationRunner.assumedHistory(of: catalog, upTo: version) {
                let plan = MigrationPlan.make(catalog: catalog, applied: history, target: options.to, allowOutOfOrder: options.allowOutOfOrder)
                if !plan.pending.isEmpty, plan.problems.isEmpty { found = history }
            }
            startingPoints[version] = .some(found)
            return found
        }
        let toRead = active.filter { tenant in
            guard let version = recorded[tenant.id], let history = startingPoint(version) else { return true }
            keeping.keep(tenant.id, history)
            return false
        }
        logger.debug("planning the fleet", metadata: ["from recorded versions": "\(active.count - toRead.count)",
                                                      "histories read in bulk": "\(toRead.count)"])
        guard !toRead.isEmpty else { return [] }
        let histories = await FleetHistory(servers: provisioner.servers, historySchema: provisioner.historySchema, logger: logger).read(toRead)
        var current: [(id: String, version: String?)] = []
        for tenant in toRead {
            guard case .success(let applied) = histories[tenant.id] else { continue }
            let plan = MigrationPlan.make(catalog: provisioner.tenantMigrations, applied: applied, target: options.to,
                                          allowOutOfOrder: options.allowOutOfOrder)
            if let fileProblem = plan.problems.first(where: \.isFileProblem) {
                throw TenantryError(.setup, "tenant \(tenant.id): \(fileProblem.message); the run was not started, no tenant was touched",
                                    hint: fileProblem.hint, code: .integrity)
            }
            guard plan.isUpToDate, plan.problems.isEmpty else {
                keeping.keep(tenant.id, applied)
                continue
            }
            current.append((tenant.id, plan.current?.text))
        }
        return current
    }
}

/// Histories read in bulk before a run, each handed to the first job on its tenant: a tenant worked on again
/// later in the same process (taken over from a stale claim) reads its history under the lock.
final class BulkHistories: Sendable {
    private let histories = Mutex<[String: [AppliedMigration]]>([:])

    func keep(_ tenant: String, _ applied: [AppliedMigration]) {
        histories.withLock { $0[tenant] = applied }
    }

    func take(_ tenant: String) -> [AppliedMigration]? {
        histories.withLock { $0.removeValue(forKey: tenant) }
    }
}

/// `tenant create --from FILE`: each listed tenant created (or resumed) by the fleet runner.
enum ProvisionTenants {
    static func job(provisioner: TenantProvisioner, file: TenantListFile, server: String?) -> @Sendable (String, Tenant?) async throws -> FleetRun.Outcome {
        let entries = Dictionary(file.entries.map { ($0.slug.value, $0) }, uniquingKeysWith: { first, _ in first })
        return { id, _ in
            guard let entry = entries[id] else { throw TenantryError.failed("tenant \(id) is not in the file") }
            let result = try await provisioner.create(entry.slug, displayName: entry.name, tier: entry.tier, server: server)
            return FleetRun.Outcome(versionBefore: nil, versionAfter: result.version?.text, applied: result.migrationsApplied)
        }
    }
}
