import PostgresNIO
import TenantryCore

/// The provisioner's errors: refused states, a failed step (naming the tenant), a missing extension.
enum ProvisioningFailure {
    /// Extensions shipped in Debian's `postgresql-contrib` (part of `postgresql-NN` on Debian 12 and later).
    static let contribExtensions: Set<String> = [
        "adminpack", "amcheck", "autoinc", "bloom", "btree_gin", "btree_gist", "citext", "cube", "dblink", "dict_int",
        "dict_xsyn", "earthdistance", "file_fdw", "fuzzystrmatch", "hstore", "insert_username", "intagg", "intarray", "isn",
        "lo", "ltree", "moddatetime", "old_snapshot", "pageinspect", "pg_buffercache", "pg_freespacemap", "pg_prewarm",
        "pg_stat_statements", "pg_surgery", "pg_trgm", "pg_visibility", "pg_walinspect", "pgcrypto", "pgrowlocks",
        "pgstattuple", "postgres_fdw", "refint", "seg", "sslinfo", "tablefunc", "tcn", "tsm_system_rows", "tsm_system_time",
        "unaccent", "uuid-ossp", "xml2",
    ]

    /// Third-party extensions whose Debian package is not named after the extension.
    static let packageNames: [String: String] = [
        "vector": "pgvector", "postgis": "postgis-3", "postgis_raster": "postgis-3", "postgis_topology": "postgis-3",
    ]

    /// The Debian package that provides `extension` for PostgreSQL `major`.
    static func package(for extension: String, major: Int) -> String {
        if contribExtensions.contains(`extension`) { return "postgresql-contrib" }
        // Debian package names have no underscores.
        let suffix = packageNames[`extension`] ?? `extension`.replacingOccurrences(of: "_", with: "-").lowercased()
        return "postgresql-\(major)-\(suffix)"
    }

    /// `CREATE EXTENSION` failed because the server has no such extension installed
    /// (PostgreSQL 15: SQLSTATE 0A000 "is not available"; older: 58P01 "could not open extension control file").
    static func isMissingExtension(_ error: any Error) -> Bool {
        guard let info = (error as? PSQLError)?.serverInfo else { return false }
        let text = [info[.message], info[.detail]].compactMap { $0 }.joined(separator: " ").lowercased()
        return ["0A000", "58P01"].contains(info[.sqlState] ?? "") || text.contains("extension control file")
    }

    static func missingExtension(_ name: String, database: String, major: Int) -> TenantryError {
        let package = package(for: name, major: major)
        // The package is in the message itself: the message is what tenant_events keeps.
        return .setup("the extension \(printable(name)) is not installed on the PostgreSQL \(major) server of database \(printable(database)); install the Debian package \(package) there",
                      hint: "apt-get install \(package) on the database server, or remove \(printable(name)) from tenants.extensions")
    }

    static func suspended(_ id: String) -> TenantryError {
        .usage("tenant \(printable(id)) is SUSPENDED; create does not touch suspended tenants",
               hint: "resume it with `tenantry tenant resume \(id)` first")
    }

    static func notProvisionable(_ id: String, status: TenantStatus) -> TenantryError {
        .usage("tenant \(printable(id)) is \(status.rawValue) and cannot be provisioned",
               hint: status == .dropping ? "finish the drop with `tenantry tenant drop \(id)`, then create it again" : nil)
    }

    static func notFailed(_ id: String, status: TenantStatus) -> TenantryError {
        .usage("tenant \(printable(id)) is \(status.rawValue), not FAILED; retry only resumes FAILED tenants",
               hint: status == .provisioning ? "a PROVISIONING tenant is resumed by `tenantry tenant create \(id)`" : nil)
    }

    static func unownedLocation(_ tenant: Tenant) -> TenantryError {
        .usage("tenant \(printable(tenant.id)) lives in \(tenant.placeDescription), which Tenantry did not create (it was adopted from tenants.query); nothing was dropped",
               hint: "Tenantry drops only what it created; to drop that \(tenant.schemaName == nil ? "database" : "schema") with all its data anyway, say so for this tenant with `tenantry tenant drop \(tenant.id) --drop-unowned`")
    }

    /// `error` (already a TenantryError) as the caller sees it: which tenant, which step, what next.
    static func failed(_ id: String, phase: TenantProvisioner.Phase, _ error: TenantryError) -> TenantryError {
        let next = "fix the cause, then run `tenantry tenant retry \(id)` (or create it again)"
        return TenantryError(error.kind, "provisioning tenant \(printable(id)) failed (\(phase.rawValue)): \(error.message)",
                             hint: [error.hint, next].compactMap { $0 }.joined(separator: "; "))
    }

    static func printable(_ text: String) -> String { RegistryFailure.printable(text) }
}
