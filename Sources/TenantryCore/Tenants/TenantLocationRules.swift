/// Where a tenant may live. Names read from outside (`tenants.query`, a registry row changed by hand) pass the
/// same rules as the names Tenantry makes, before anything is created, migrated or dropped there: never a system
/// database, never the master, never a template Tenantry builds from, never a schema PostgreSQL or Tenantry
/// keeps for itself.
public struct TenantLocationRules: Sendable {
    /// Databases every server has; a tenant migrated into `template1` would be copied into every new database.
    public static let systemDatabases: Set<String> = ["postgres", "template0", "template1"]
    /// Schemas no tenant may take (besides any `pg_` name).
    public static let systemSchemas: Set<String> = ["public", "information_schema", "tenantry"]

    /// The master database (on the master's server).
    public var masterDatabase: String
    /// Template databases or schemas that new tenants are built from.
    public var templates: Set<String>

    public init(masterDatabase: String, templates: Set<String> = []) {
        self.masterDatabase = masterDatabase
        self.templates = templates
    }

    /// - Throws: a setup error naming the tenant and the name, saying where to fix it.
    public func check(_ tenant: Tenant) throws(TenantryError) {
        if let reason = refusal(tenant) {
            throw .setup("tenant \(SQLIdentifier.printable(tenant.id)) is registered in \(reason); Tenantry never creates, migrates or drops a tenant there",
                         hint: "fix that tenant's row (in the application's table read by tenants.query, or in tenantry.tenants), then run the command again")
        }
    }

    /// Why `tenant`'s database or schema is not a place for a tenant; nil when it is.
    public func refusal(_ tenant: Tenant) -> String? {
        do throws(TenantryError) {
            _ = try SQLIdentifier(tenant.databaseName)
            if let schema = tenant.schemaName { _ = try SQLIdentifier(schema) }
        } catch {
            return "an invalid name (\(error.message))"
        }
        let database = tenant.databaseName
        let onMasterServer = tenant.server == nil
        guard let schema = tenant.schemaName else {
            if Self.systemDatabases.contains(database) { return "database \(database), a system database" }
            if onMasterServer && database == masterDatabase { return "database \(database), the master database" }
            if onMasterServer && templates.contains(database) { return "database \(database), the template new tenants are cloned from" }
            return nil
        }
        if database == "template0" || database == "template1" { return "schema \(schema) of database \(database), a system database" }
        if Self.systemSchemas.contains(schema) || schema.hasPrefix("pg_") { return "schema \(schema), a schema PostgreSQL or Tenantry keeps for itself" }
        if onMasterServer && database == masterDatabase && templates.contains(schema) {
            return "schema \(schema), the template new tenants are copied from"
        }
        return nil
    }

    /// Whether Tenantry may drop `tenant`'s database or schema: it created it, or (for a row registered before
    /// Tenantry recorded that) the name is the one the naming pattern gives the tenant, so it was not adopted.
    public static func owns(_ tenant: Tenant, naming: TenantNaming) -> Bool {
        if let owns = tenant.ownsLocation { return owns }
        guard let slug = try? TenantSlug(tenant.id), let name = try? naming.name(for: slug) else { return false }
        return name.name == (tenant.schemaName ?? tenant.databaseName)
    }
}
