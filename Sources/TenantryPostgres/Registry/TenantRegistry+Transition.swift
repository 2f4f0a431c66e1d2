import Foundation
import PostgresNIO
import TenantryCore

extension TenantRegistry {
    /// Moves the tenant to `status` and logs the change (from, to, `error`, `details`), in one statement.
    ///
    /// The statement locks the row first (`SELECT … FOR UPDATE` in its first part), so concurrent changes to one
    /// tenant are serialized and each event's `from` is the status it really replaced. Every call writes an event,
    /// even to the same status (a retry that fails again is worth logging). DELETED sets `deleted_at`; leaving
    /// DELETED clears it.
    ///
    /// - Throws: a usage error naming the id when there is no such tenant; a usage error when leaving DELETED
    ///   would make two live tenants share a database or schema.
    @discardableResult
    public func transition(_ id: String, to status: TenantStatus, error: String? = nil, details: [String: String] = [:]) async throws -> Tenant {
        let detailsJSON = details.isEmpty ? nil : try RegistryJSON.encode(details)
        let doing = "changing tenant \(RegistryFailure.printable(id)) to \(status.rawValue)"
        // Refused on the shared connection (say, an unknown id or a name clash): rolled back, and the pooled path
        // below says why.
        if let changed = try await onShared(doing: doing, idempotent: false, {
            try await Self.update(id, to: status, error: error, details: detailsJSON, on: $0, logger: logger)
        }) {
            return changed
        }
        return try await withConnection(doing: doing) { connection in
            do {
                return try await Self.update(id, to: status, error: error, details: detailsJSON, on: connection, logger: logger)
            } catch where RegistryFailure.isLocationClash(error) {
                // Leaving DELETED while another live tenant took the name; rolled back, so the row is as it was.
                guard let tenant = try? await Self.find(id, on: connection, logger: logger) else { throw error }
                let owner = try? await Self.owner(of: tenant, on: connection, logger: logger)
                throw RegistryFailure.locationClash(tenant, owner: owner)
            }
        }
    }

    /// Locks the row, changes its status and writes the event, in one round trip. Under READ COMMITTED a row that
    /// another transaction changed while this one waited is read again once it is locked (with the clock taken
    /// then), so `from` and the timestamp always follow the change before: events chain in lock order.
    private static func update(
        _ id: String, to status: TenantStatus, error: String?, details: String?, on connection: PostgresConnection, logger: Logger
    ) async throws -> Tenant {
        let rows = try await connection.query("""
            WITH locked AS (
                SELECT id, status AS previous, clock_timestamp() AS now FROM tenantry.tenants WHERE id = \(id) FOR UPDATE
            ), updated AS (
                UPDATE tenantry.tenants t SET
                    status = \(status.rawValue), updated_at = locked.now,
                    deleted_at = CASE WHEN \(status.rawValue) <> 'DELETED' THEN NULL
                                      WHEN t.status = 'DELETED' THEN t.deleted_at ELSE locked.now END
                FROM locked WHERE t.id = locked.id
                RETURNING t.*, locked.previous
            ), event AS (
                INSERT INTO tenantry.tenant_events (tenant_id, at, from_status, to_status, error, details)
                SELECT id, updated_at, previous, status, \(error), \(details)::jsonb FROM updated
            )
            SELECT \(unescaped: TenantRow.columns) FROM updated
            """, logger: logger).collect()
        guard let row = rows.first else { throw RegistryFailure.unknownTenant(id) }
        return try TenantRow.decode(row)
    }
}
