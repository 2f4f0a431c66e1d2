import Foundation
import PostgresNIO
import TenantryCore

extension TenantRegistry {
    /// Moves the tenant to `status` and logs the change (from, to, `error`, `details`), in one transaction.
    ///
    /// The row is locked first (`SELECT … FOR UPDATE`), so concurrent changes to one tenant are serialized and
    /// each event's `from` is the status it really replaced. Every call writes an event, even to the same status
    /// (a retry that fails again is worth logging). DELETED sets `deleted_at`; leaving DELETED clears it.
    ///
    /// - Throws: a usage error naming the id when there is no such tenant; a usage error when leaving DELETED
    ///   would make two live tenants share a database or schema.
    @discardableResult
    public func transition(_ id: String, to status: TenantStatus, error: String? = nil, details: [String: String] = [:]) async throws -> Tenant {
        let detailsJSON = details.isEmpty ? nil : try RegistryJSON.encode(details)
        return try await withConnection(doing: "changing tenant \(RegistryFailure.printable(id)) to \(status.rawValue)") { connection in
            do {
                return try await RegistryTransaction.run(on: connection, logger: logger) {
                    guard let current = try await Self.find(id, lock: true, on: connection, logger: logger) else {
                        throw RegistryFailure.unknownTenant(id)
                    }
                    return try await Self.update(current, to: status, error: error, details: detailsJSON, on: connection, logger: logger)
                }
            } catch where RegistryFailure.isLocationClash(error) {
                // Leaving DELETED while another live tenant took the name; rolled back, so the row is as it was.
                guard let tenant = try? await Self.find(id, on: connection, logger: logger) else { throw error }
                let owner = try? await Self.owner(of: tenant, on: connection, logger: logger)
                throw RegistryFailure.locationClash(tenant, owner: owner)
            }
        }
    }

    /// The row's new status and its event in one statement, sharing one timestamp.
    private static func update(
        _ current: Tenant, to status: TenantStatus, error: String?, details: String?, on connection: PostgresConnection, logger: Logger
    ) async throws -> Tenant {
        let rows = try await connection.query("""
            WITH updated AS (
                UPDATE tenantry.tenants SET
                    status = \(status.rawValue), updated_at = statement_timestamp(),
                    deleted_at = CASE WHEN \(status.rawValue) <> 'DELETED' THEN NULL
                                      WHEN status = 'DELETED' THEN deleted_at ELSE statement_timestamp() END
                WHERE id = \(current.id)
                RETURNING *
            ), event AS (
                INSERT INTO tenantry.tenant_events (tenant_id, at, from_status, to_status, error, details)
                SELECT id, updated_at, \(current.status.rawValue), status, \(error), \(details)::jsonb FROM updated
            )
            SELECT \(unescaped: TenantRow.columns) FROM updated
            """, logger: logger).collect()
        guard let row = rows.first else { throw RegistryFailure.unknownTenant(current.id) }
        return try TenantRow.decode(row)
    }
}
