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

    /// Whether the master holds the registry; when it does, brings it to this Tenantry's version first (a
    /// registry from an older Tenantry lacks columns this one reads). Creates nothing when there is none.
    public func prepareIfPresent() async throws -> Bool {
        guard try await hasRegistry() else { return false }
        try await prepare()
        return true
    }
}

extension TenantRegistry {
    /// The tenant `id`, or a usage error naming it (control characters escaped) and pointing at `tenant list`.
    public func get(_ id: String) async throws -> Tenant {
        guard let tenant = try await find(id) else { throw RegistryFailure.unknownTenant(id) }
        return tenant
    }
}

extension TenantRegistry {
    /// Records that Tenantry creates (or created) the tenant's database or schema, so it may drop it later.
    public func recordOwnsLocation(_ id: String) async throws {
        try await withConnection(doing: "recording who owns tenant \(RegistryFailure.printable(id))'s location") { connection in
            _ = try await connection.query("UPDATE tenantry.tenants SET owns_location = true WHERE id = \(id)", logger: logger).collect()
        }
    }
}
