import Logging
import TenantryCore

extension TenantProvisioner {
    /// Every up section of the tenant track, parsed and checked the way it will run (syntax, transaction control,
    /// statements a transaction refuses, `COPY … FROM STDIN`, psql meta-commands), once, before any tenant is
    /// touched: a bad file stops the command with exit 2, and no tenant is marked FAILED for it.
    ///
    /// - Returns: how many statements the up sections hold.
    @discardableResult
    public func checkTrack() throws(TenantryError) -> Int {
        try Self.checkTrack(tenantMigrations)
    }

    /// `checkTrack()` for a tenant track read by the caller.
    @discardableResult
    public static func checkTrack(_ migrations: [Migration]) throws(TenantryError) -> Int {
        do {
            return try MigrationRunner.prepare(migrations.map(\.up)).reduce(0) { $0 + $1.count }
        } catch {
            throw TenantryError(.setup, "tenant track: \(error.message)",
                                hint: [error.hint, "no tenant was touched"].compactMap { $0 }.joined(separator: "; "), code: .invalidFile)
        }
    }

    /// Each tenant's plan from its history, read in bulk (`FleetHistory`), or the error reading it.
    public func plans(_ tenants: [Tenant], options: MigrationRunner.Options) async -> [String: Swift.Result<MigrationPlan, TenantryError>] {
        let histories = await FleetHistory(servers: servers, historySchema: historySchema, logger: logger).read(tenants)
        return histories.mapValues { result in
            result.map { MigrationPlan.make(catalog: tenantMigrations, applied: $0, target: options.to, allowOutOfOrder: options.allowOutOfOrder) }
        }
    }
}
