import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

/// Each seed test gets a fresh database and a seeds folder, both removed at the end whatever happens.
struct SeedFixture {
    let database: PostgresConnector
    let folder: TemporaryDirectory

    static func with(_ body: (SeedFixture) async throws -> Void) async throws {
        let admin = try PG.connector(PG.settings())
        let name = try SQLIdentifier(TestDatabase.uniqueName("tenantry_seeds"))
        try await admin.withConnection { try await $0.execute("CREATE DATABASE \(name.quoted)", logger: PG.logger) }
        let folder = try TemporaryDirectory("tenantry-seeds")
        do {
            try await body(SeedFixture(database: try admin.to(database: name.name), folder: folder))
        } catch {
            folder.remove()
            try? await drop(name, admin: admin)
            throw error
        }
        folder.remove()
        try await drop(name, admin: admin)
    }

    private static func drop(_ name: SQLIdentifier, admin: PostgresConnector) async throws {
        try await admin.withConnection {
            try await $0.execute("DROP DATABASE IF EXISTS \(name.quoted) WITH (FORCE)", logger: PG.logger)
        }
    }

    /// A runner on the whole database (database layout), or on `schema` in it.
    func runner(schema: String? = nil, track: String = "tenant") throws -> SeedRunner {
        let target = MigrationTarget(connector: database, schema: try schema.map { try SQLIdentifier($0) },
                                     historySchema: try SQLIdentifier("public"), track: track, label: "tenant test")
        return SeedRunner(target: target, logger: PG.logger)
    }

    func catalog() throws -> SeedCatalog { try SeedCatalog.load(directory: folder.path) }

    func execute(_ sql: String) async throws {
        try await database.withConnection { try await $0.execute(sql, logger: PG.logger) }
    }

    func count(_ table: String) async throws -> Int64 {
        try await PG.scalar(Int64.self, "SELECT count(*) FROM \(table)", on: database) ?? -1
    }

    /// Every row of a one-column query, as text ("NULL" for null).
    func column(_ sql: String) async throws -> [String] {
        try await database.withConnection { connection in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: PG.logger).collect()
                .map { try $0.decode(String?.self) ?? "NULL" }
        }
    }
}
