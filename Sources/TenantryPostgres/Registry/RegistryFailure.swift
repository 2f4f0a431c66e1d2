import PostgresNIO
import TenantryCore

/// The registry's errors: unknown tenants, name clashes, a registry not created yet, and failed queries.
enum RegistryFailure {
    static let locationIndex = "tenants_location_key"

    static func unknownTenant(_ id: String) -> TenantryError {
        .usage("there is no tenant \(printable(id)) in the registry", hint: "`tenantry tenant list` shows the tenants")
    }

    /// `tenant` wants the (server, database, schema) that `owner` already has.
    static func locationClash(_ tenant: Tenant, owner: String?) -> TenantryError {
        var place = tenant.schemaName.map { "schema \(printable($0)) in database \(printable(tenant.databaseName))" } ?? "database \(printable(tenant.databaseName))"
        if let server = tenant.server { place += " on server \(printable(server))" }
        let other = owner.map { "tenant \(printable($0))" } ?? "another tenant"
        return .usage("tenant \(printable(tenant.id)) cannot use \(place): \(other) already uses it",
                      hint: "two tenants never share a database or schema; give \(printable(tenant.id)) another name, or drop \(other) first")
    }

    /// Whether `error` is the unique index on the tenants' (server, database, schema).
    static func isLocationClash(_ error: any Error) -> Bool {
        guard let info = (error as? PSQLError)?.serverInfo else { return false }
        return info[.sqlState] == "23505" && info[.constraintName] == locationIndex
    }

    /// A failed registry query; a registry that does not exist yet gets a next step of its own.
    static func describe(_ error: any Error, doing what: String, database: String) -> TenantryError {
        if let tenantry = error as? TenantryError { return tenantry }
        if let sqlState = (error as? PSQLError)?.serverInfo?[.sqlState], ["42P01", "3F000"].contains(sqlState) {
            return .setup("\(what) failed: the tenant registry (schema tenantry) does not exist in database \(database)",
                          hint: "run `tenantry up`, which creates it")
        }
        return PostgresErrorDescriber.queryError(error, doing: what)
    }

    /// An id as shown in messages: quoted, control characters escaped, long ones shortened.
    static func printable(_ text: String) -> String {
        let escaped = text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        return "'" + (escaped.count > 80 ? escaped.prefix(77) + "..." : escaped) + "'"
    }
}
