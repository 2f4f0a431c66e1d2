import Foundation
import PostgresNIO
import TenantryCore

/// How a `Tenant` is read from `tenantry.tenants`: one column list shared by every query, and its decoding.
enum TenantRow {
    /// Selected or returned columns, in `decode`'s order.
    static let columns = """
        id, display_name, status, layout, database_name, schema_name, server, engine, tier, metadata::text, \
        created_at, updated_at, deleted_at, owns_location
        """

    static func decode(_ row: PostgresRow) throws -> Tenant {
        let (id, displayName, status, layout, databaseName, schemaName, server, engine, tier, metadata, createdAt, updatedAt, deletedAt, owns) =
            try row.decode((String, String, String, String, String, String?, String?, String, String?, String, Date, Date, Date?, Bool?).self)
        guard let parsedStatus = TenantStatus(rawValue: status), let parsedLayout = Config.Layout(rawValue: layout) else {
            throw TenantryError.setup("tenant \(RegistryFailure.printable(id)) has status \(status) and layout \(layout) in tenantry.tenants, which this Tenantry cannot read",
                                      hint: "upgrade Tenantry, or fix that row by hand")
        }
        return Tenant(id: id, displayName: displayName, status: parsedStatus, layout: parsedLayout, databaseName: databaseName,
                      schemaName: schemaName, server: server, engine: engine, tier: tier,
                      metadata: try RegistryJSON.decode(metadata, column: "tenantry.tenants.metadata"),
                      createdAt: createdAt, updatedAt: updatedAt, deletedAt: deletedAt, ownsLocation: owns)
    }
}
