import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

/// Each registry test gets its own fresh master database, dropped at the end whatever happens.
enum TenantRegistryFixture {
    static func with(
        prepared: Bool = true, _ body: (TenantRegistry, PostgresConnector) async throws -> Void
    ) async throws {
        let admin = try PG.connector(PG.settings())
        let name = try SQLIdentifier(TestDatabase.uniqueName("tenantry_registry"))
        try await admin.withConnection { try await $0.execute("CREATE DATABASE \(name.quoted)", logger: PG.logger) }
        do {
            let master = try admin.to(database: name.name)
            let registry = TenantRegistry(master: master, logger: PG.logger)
            if prepared { try await registry.prepare() }
            try await body(registry, master)
        } catch {
            try? await drop(name, admin: admin)
            throw error
        }
        try await drop(name, admin: admin)
    }

    private static func drop(_ name: SQLIdentifier, admin: PostgresConnector) async throws {
        try await admin.withConnection {
            try await $0.execute("DROP DATABASE IF EXISTS \(name.quoted) WITH (FORCE)", logger: PG.logger)
        }
    }

    /// A database-per-tenant tenant whose database is named after its id.
    static func tenant(_ id: String, name: String? = nil, database: String? = nil, schema: String? = nil,
                       metadata: [String: String] = [:]) -> Tenant {
        Tenant(id: id, displayName: name ?? "Tenant \(id)", status: .active, layout: schema == nil ? .database : .schema,
               databaseName: database ?? "t_\(id)", schemaName: schema, tier: "gold", metadata: metadata)
    }

    /// The first column of every row of a query with bound values, as text.
    static func column(_ query: PostgresQuery, on master: PostgresConnector) async throws -> [String?] {
        try await master.withConnection { connection in
            try await connection.query(query, logger: PG.logger).collect().map { try $0.decode(String?.self) }
        }
    }

    /// The tenant's events straight from the table, oldest first, as "FROM>TO:error".
    static func eventRows(_ id: String, on master: PostgresConnector) async throws -> [String] {
        try await column("""
            SELECT coalesce(from_status, '-') || '>' || to_status || ':' || coalesce(error, '')
            FROM tenantry.tenant_events WHERE tenant_id = \(id) ORDER BY id
            """, on: master).map { $0 ?? "" }
    }
}
