import PostgresNIO
import TenantryCore

extension TenantRegistry {
    /// Whether the master database holds the registry (schema tenantry with its tenants table) at all.
    public func hasRegistry() async throws -> Bool {
        try await connector.withConnection { connection in
            let rows = try await connection.query("SELECT to_regclass('tenantry.tenants') IS NOT NULL", logger: logger).collect()
            return try rows.first?.decode(Bool.self) ?? false
        }
    }
}

extension TenantRegistry {
    /// The tenant `id`, or a usage error naming it (control characters escaped) and pointing at `tenant list`.
    public func get(_ id: String) async throws -> Tenant {
        guard let tenant = try await find(id) else { throw RegistryFailure.unknownTenant(id) }
        return tenant
    }
}
