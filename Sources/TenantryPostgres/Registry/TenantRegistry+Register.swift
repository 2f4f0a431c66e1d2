import Foundation
import PostgresNIO
import TenantryCore

extension TenantRegistry {
    /// Registers `tenant` as PROVISIONING and logs that first event, in one statement.
    ///
    /// Only the descriptive fields are taken from `tenant` (display name, layout, database and schema names,
    /// server, engine, tier, metadata); status and timestamps are the registry's.
    ///
    /// - When the id is already registered and not DELETED, nothing changes: the stored row comes back with
    ///   `created: false` (it may differ from `tenant`; provisioning resumes from it).
    /// - When the id belongs to a DELETED tenant, that row is reused: its fields are replaced, status becomes
    ///   PROVISIONING, `created_at`/`updated_at` restart, `deleted_at` is cleared, and a DELETED → PROVISIONING
    ///   event (details `reregistered: true`) follows the old events, which are kept. `created` is true.
    /// - Throws: a usage error when another live tenant has the same (server, database, schema), naming both;
    ///   when the schema name does not match the layout, or a value holds a NUL character.
    public func register(_ tenant: Tenant) async throws -> (tenant: Tenant, created: Bool) {
        try Self.validate(tenant)
        let metadata = try RegistryJSON.encode(tenant.metadata)
        let doing = "registering tenant \(RegistryFailure.printable(tenant.id))"
        // A new id on the shared connection. An existing one or a failure takes the full path below: the insert
        // wrote nothing, or it did before the connection was lost and the path below finds the row.
        let shared = try await onShared(doing: doing, idempotent: true) { try await Self.insert(tenant, metadata: metadata, on: $0, logger: logger) }
        if let inserted = shared ?? nil {
            return (inserted, true)
        }
        return try await withConnection(doing: doing) { connection in
            do {
                // The insert is atomic on its own: a new id (the common case) takes one round trip, no transaction.
                if let inserted = try await Self.insert(tenant, metadata: metadata, on: connection, logger: logger) {
                    return (inserted, true)
                }
                return try await RegistryTransaction.run(on: connection, logger: logger) {
                    guard let existing = try await Self.find(tenant.id, lock: true, on: connection, logger: logger) else {
                        throw TenantryError.failed("tenant \(RegistryFailure.printable(tenant.id)) vanished while it was being registered",
                                                   hint: "run the command again")
                    }
                    guard existing.status == .deleted else { return (existing, false) }
                    return (try await Self.reuse(tenant, metadata: metadata, on: connection, logger: logger), true)
                }
            } catch where RegistryFailure.isLocationClash(error) {
                // Rolled back: the connection is free to look up who has the name. A concurrent registration of
                // this same id can trip the location's unique index before ON CONFLICT (id) sees its row: then the
                // id is live now, and that row is the answer.
                if let existing = try? await Self.find(tenant.id, on: connection, logger: logger), existing.status != .deleted {
                    return (existing, false)
                }
                let owner = try? await Self.owner(of: tenant, on: connection, logger: logger)
                throw RegistryFailure.locationClash(tenant, owner: owner)
            }
        }
    }

    /// Inserts the row and its first event in one statement; nil when the id exists (nothing is written).
    private static func insert(_ tenant: Tenant, metadata: String, on connection: PostgresConnection, logger: Logger) async throws -> Tenant? {
        let rows = try await connection.query("""
            WITH inserted AS (
                INSERT INTO tenantry.tenants
                    (id, display_name, status, layout, database_name, schema_name, server, engine, tier, metadata, created_at, updated_at,
                     owns_location)
                VALUES (\(tenant.id), \(tenant.displayName), 'PROVISIONING', \(tenant.layout.rawValue), \(tenant.databaseName),
                        \(tenant.schemaName), \(tenant.server), \(tenant.engine), \(tenant.tier), \(metadata)::jsonb,
                        statement_timestamp(), statement_timestamp(), \(tenant.ownsLocation))
                ON CONFLICT (id) DO NOTHING
                RETURNING *
            ), event AS (
                INSERT INTO tenantry.tenant_events (tenant_id, at, from_status, to_status)
                SELECT id, created_at, NULL, status FROM inserted
            )
            SELECT \(unescaped: TenantRow.columns) FROM inserted
            """, logger: logger).collect()
        return try rows.first.map(TenantRow.decode)
    }

    /// A DELETED tenant registered again: same row, new life, one event.
    private static func reuse(_ tenant: Tenant, metadata: String, on connection: PostgresConnection, logger: Logger) async throws -> Tenant {
        let details = try RegistryJSON.encode(["reregistered": "true"])
        let rows = try await connection.query("""
            WITH updated AS (
                UPDATE tenantry.tenants SET
                    display_name = \(tenant.displayName), status = 'PROVISIONING', layout = \(tenant.layout.rawValue),
                    database_name = \(tenant.databaseName), schema_name = \(tenant.schemaName), server = \(tenant.server),
                    engine = \(tenant.engine), tier = \(tenant.tier), metadata = \(metadata)::jsonb,
                    created_at = statement_timestamp(), updated_at = statement_timestamp(), deleted_at = NULL,
                    track_version = NULL, owns_location = \(tenant.ownsLocation)
                WHERE id = \(tenant.id) AND status = 'DELETED'
                RETURNING *
            ), event AS (
                INSERT INTO tenantry.tenant_events (tenant_id, at, from_status, to_status, details)
                SELECT id, updated_at, 'DELETED', status, \(details)::jsonb FROM updated
            )
            SELECT \(unescaped: TenantRow.columns) FROM updated
            """, logger: logger).collect()
        guard let row = rows.first else {
            throw TenantryError.failed("tenant \(RegistryFailure.printable(tenant.id)) changed while it was being registered again",
                                       hint: "run the command again")
        }
        return try TenantRow.decode(row)
    }

    /// The live tenant holding `tenant`'s (server, database, schema), for the clash message.
    static func owner(of tenant: Tenant, on connection: PostgresConnection, logger: Logger) async throws -> String? {
        let rows = try await connection.query("""
            SELECT id FROM tenantry.tenants
            WHERE coalesce(server, '') = coalesce(\(tenant.server), '') AND database_name = \(tenant.databaseName)
              AND coalesce(schema_name, '') = coalesce(\(tenant.schemaName), '') AND status <> 'DELETED' AND id <> \(tenant.id)
            LIMIT 1
            """, logger: logger).collect()
        return try rows.first?.decode(String.self)
    }

    /// Refusals that are clearer before the server sees the row.
    private static func validate(_ tenant: Tenant) throws(TenantryError) {
        let id = RegistryFailure.printable(tenant.id)
        switch (tenant.layout, tenant.schemaName) {
        case (.schema, nil):
            throw .usage("tenant \(id) has layout schema but no schema name", hint: "schema-per-tenant tenants need a schema name")
        case (.database, .some):
            throw .usage("tenant \(id) has layout database and a schema name", hint: "database-per-tenant tenants have no schema name")
        default:
            break
        }
        let texts = [tenant.id, tenant.displayName, tenant.databaseName, tenant.schemaName, tenant.server, tenant.engine, tenant.tier]
            .compactMap { $0 } + tenant.metadata.flatMap { [$0.key, $0.value] }
        if texts.contains(where: { $0.utf8.contains(0) }) {
            throw .usage("tenant \(id) has a value with a NUL character, which PostgreSQL text cannot hold")
        }
    }
}
