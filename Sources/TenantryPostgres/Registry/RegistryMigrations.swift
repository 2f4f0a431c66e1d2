import Crypto
import Foundation
import TenantryCore

/// Tenantry's own migrations for the registry schema `tenantry`, embedded in the binary.
///
/// They run through `MigrationRunner` like any track, with their history in `tenantry.tenantry_migrations`
/// under track `tenantry`, so they never mix with (or lock against) the user's master migrations.
/// An applied entry must never change: its checksum is recorded. Changes go in a new, higher version.
enum RegistryMigrations {
    static let schema = try! SQLIdentifier("tenantry")
    static let track = "tenantry"

    /// Every internal migration, in version order.
    static let all: [Migration] = [
        make(1, "create_tenants", RegistrySQL.createTenants),
        make(2, "create_tenant_events", RegistrySQL.createTenantEvents),
        make(3, "create_runs", RegistrySQL.createRuns),
        make(4, "add_tenants_track_version", RegistrySQL.addTrackVersion),
        make(5, "add_tenants_owns_location", RegistrySQL.addOwnsLocation),
    ]

    private static func make(_ number: Int, _ name: String, _ sql: String) -> Migration {
        let version = String(number)
        let file = "tenantry:\(String(format: "%04d", number))_\(name).sql"
        let digest = SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
        return Migration(version: MigrationVersion(version)!, name: name, file: file, checksum: digest,
                         up: MigrationScript(sql: sql, file: file, firstLine: 1), down: nil)
    }
}
