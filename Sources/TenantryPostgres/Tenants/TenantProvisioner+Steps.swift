import Logging
import PostgresNIO
import TenantryCore

// The provisioning steps; each one is idempotent, so a resumed run repeats them safely.
extension TenantProvisioner {
    /// Creates the tenant's database (database layout) or schema (schema layout) unless it exists.
    func ensureLocation(of tenant: Tenant) async throws -> [Step] {
        if let schemaName = tenant.schemaName {
            let schema = try SQLIdentifier(schemaName)
            if tenant.server != nil {
                // On the master's server the shared database is the master database; elsewhere it may be new.
                try await DatabaseAdmin(server: try servers.server(named: tenant.server)).ensureDatabase(try SQLIdentifier(tenant.databaseName))
            }
            if let cloneSchemaTemplate, tenant.server == nil, tenant.databaseName == master.settings.database {
                return try await cloneSchemaTemplate.clone(into: schema) ? [.clonedSchema(schema.name, template: cloneSchemaTemplate.name.name)] : []
            }
            let connector = try servers.connector(for: tenant)
            let created = try await connector.withConnection { connection in
                do {
                    try await connection.execute("CREATE SCHEMA \(schema.quoted)", logger: logger)
                    return true
                } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P06" {
                    return false  // duplicate_schema: it exists (a resumed run, or another run made it)
                }
            }
            return created ? [.createdSchema(schema.name)] : []
        }
        let database = try SQLIdentifier(tenant.databaseName)
        if let cloneTemplate, tenant.server == nil {
            return try await cloneTemplate.clone(into: database, owner: databaseOwner) ? [.clonedDatabase(database.name, template: cloneTemplate.name.name)] : []
        }
        let created = try await DatabaseAdmin(server: try servers.server(named: tenant.server)).ensureDatabase(database, owner: databaseOwner, template: databaseTemplate)
        return created ? [.createdDatabase(database.name)] : []
    }

    /// `CREATE EXTENSION IF NOT EXISTS` for each configured extension, in the tenant's database.
    func ensureExtensions(on connector: PostgresConnector) async throws -> [Step] {
        guard !extensions.isEmpty else { return [] }
        let names = try extensions.map { try SQLIdentifier($0) }
        return try await connector.withConnection { connection in
            var steps: [Step] = []
            for name in names {
                do {
                    try await connection.execute("CREATE EXTENSION IF NOT EXISTS \(name.quoted)", logger: logger)
                } catch where ProvisioningFailure.isMissingExtension(error) {
                    let major = try? await connection.query("SELECT current_setting('server_version_num')::int / 10000", logger: logger)
                        .collect().first?.decode(Int.self)
                    throw ProvisioningFailure.missingExtension(name.name, database: connector.settings.database, major: major ?? 15)
                }
                steps.append(.ensuredExtension(name.name))
            }
            return steps
        }
    }

    /// Where the tenant's migrations (and seeds) go: its schema in the shared database, or its own database.
    public func target(for tenant: Tenant) throws(TenantryError) -> MigrationTarget {
        try target(for: tenant, on: try servers.connector(for: tenant))
    }

    func target(for tenant: Tenant, on connector: PostgresConnector) throws(TenantryError) -> MigrationTarget {
        let schema = try tenant.schemaName.map { (name: String) throws(TenantryError) in try SQLIdentifier(name) }
        let label = "tenant \(tenant.id) (\(schema?.name ?? tenant.databaseName))"
        return MigrationTarget(connector: connector, schema: schema, historySchema: historySchema, track: "tenant", label: label)
    }

    /// Applies the tenant track: history in the tenant's schema (schema layout) or database.
    func migrate(_ tenant: Tenant, on connector: PostgresConnector, newTarget: Bool = false) async throws -> (step: Step, version: MigrationVersion?) {
        let target = try self.target(for: tenant, on: connector)
        let outcome = try await MigrationRunner(target: target, migrations: tenantMigrations, timeouts: timeouts, logger: logger)
            .migrate(.init(newTarget: newTarget))
        return (.migrated(outcome.applied.count), outcome.after)
    }

    /// A fleet run's new schema tenant (on the master's server, built from migrations): its extensions, then its
    /// schema and whole track in one block sent with other new tenants' (`MigrationRunner.migrateCreatingSchema`).
    /// Nil when that does not apply or the block did not run to its end: the classic steps then find what is
    /// there and carry on. The phase follows the work, for the FAILED mark.
    func provisionInOneBlock(_ tenant: Tenant, on connector: PostgresConnector, phase: inout Phase)
        async throws -> (steps: [Step], migrated: Step, version: MigrationVersion?)? {
        guard let batchers, let schemaName = tenant.schemaName, tenant.server == nil, cloneSchemaTemplate == nil else { return nil }
        phase = .extensions
        let extensionSteps = try await ensureExtensions(on: connector)
        phase = .migrate
        let target = try self.target(for: tenant, on: connector)
        let runner = MigrationRunner(target: target, migrations: tenantMigrations, timeouts: timeouts, logger: logger)
        guard let outcome = try await runner.migrateCreatingSchema(.init(newTarget: true), batcher: batchers.batcher(for: connector)) else {
            return nil
        }
        return ([.createdSchema(schemaName)] + extensionSteps, .migrated(outcome.applied.count), outcome.after)
    }
}
