import PostgresNIO
import TenantryCore

extension TenantProvisioner {
    /// Which server a new tenant goes to.
    public enum Placement: Sendable, Equatable {
        /// A server by name (`master` or one from `servers:`), or nil for the policy: the server holding the
        /// fewest tenants among those that take new ones (ties go to the master's, then file order).
        case choose(String?)
        /// Exactly this registry value (nil: the master's server), in this shared database (schema layout;
        /// nil: the server's default database): a tenant adopted from `tenants.query`.
        case exactlyIn(server: String?, sharedDatabase: String?)

        static func exactly(_ server: String?) -> Placement { .exactlyIn(server: server, sharedDatabase: nil) }
    }

    /// The registry value (NULL for the master's server) for a new tenant's server.
    func place(requested: String?) async throws -> String? {
        if let requested {
            _ = try servers.server(named: requested)
            guard !TenantServers.isURL(requested) else {
                throw TenantryError.usage("--server takes a name from servers: in the configuration, not a URL")
            }
            return TenantServers.registryValue(requested)
        }
        guard !servers.others.isEmpty else { return nil }
        let candidates = servers.all.filter(\.newTenants)
        guard !candidates.isEmpty else {
            throw TenantryError.setup("no server takes new tenants: every entry sets new_tenants: false",
                                      hint: "set new_tenants: true on one of them, or pass --server NAME")
        }
        let counts = try await registry.tenantCounts()
        let chosen = candidates.min { counts[TenantServers.registryValue($0.name)] ?? 0 < counts[TenantServers.registryValue($1.name)] ?? 0 }!
        return TenantServers.registryValue(chosen.name)
    }
}

extension TenantProvisioner.Placement {
    var sharedDatabase: String? {
        if case .exactlyIn(_, let database) = self { return database }
        return nil
    }
}

extension TenantRegistry {
    /// Tenants that are not DELETED, per registry server value (nil: the master's server).
    public func tenantCounts() async throws -> [String?: Int] {
        try await withConnection(doing: "counting tenants per server") { connection in
            let rows = try await connection.query("""
                SELECT server, count(*)::int FROM tenantry.tenants WHERE status <> 'DELETED' GROUP BY server
                """, logger: logger).collect()
            var counts: [String?: Int] = [:]
            for row in rows {
                let (server, count) = try row.decode((String?, Int).self)
                counts[server] = count
            }
            return counts
        }
    }
}
