import PostgresNIO
import TenantryCore

extension TenantRegistry {
    /// Each live tenant's track version as the last fleet run that succeeded on it left it (`track_version`),
    /// for the tenants that have one. A hint only: the tenant's own history is the truth.
    public func recordedTrackVersions() async throws -> [String: MigrationVersion] {
        try await withConnection(doing: "reading the tenants' recorded versions") { connection in
            var versions: [String: MigrationVersion] = [:]
            for row in try await connection.query("""
                SELECT id, track_version FROM tenantry.tenants WHERE track_version IS NOT NULL AND status <> 'DELETED'
                """, logger: logger).collect() {
                let (id, text) = try row.decode((String, String).self)
                if let version = MigrationVersion(text) { versions[id] = version }
            }
            return versions
        }
    }
}
