import Crypto
import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

/// Each provisioner test gets a fresh master database and a naming pattern with its own prefix, so tenant
/// databases never clash between tests; everything with that prefix is dropped at the end, orphans included.
struct TenantProvisionerFixture {
    let master: PostgresConnector
    let registry: TenantRegistry
    /// Every tenant name of this test starts with it.
    let prefix: String
    let naming: TenantNaming

    static func with(_ body: (TenantProvisionerFixture) async throws -> Void) async throws {
        let admin = try PG.connector(PG.settings())
        let name = try SQLIdentifier(TestDatabase.uniqueName("tenantry_prov"))
        let prefix = "tp\(UUID().uuidString.prefix(8).lowercased())_"
        try await admin.withConnection { try await $0.execute("CREATE DATABASE \(name.quoted)", logger: PG.logger) }
        do {
            let master = try admin.to(database: name.name)
            let fixture = TenantProvisionerFixture(master: master, registry: TenantRegistry(master: master, logger: PG.logger),
                                                   prefix: prefix, naming: try TenantNaming(pattern: prefix + "{slug}"))
            try await body(fixture)
        } catch {
            try? await drop(master: name, prefix: prefix, admin: admin)
            throw error
        }
        try await drop(master: name, prefix: prefix, admin: admin)
    }

    private static func drop(master: SQLIdentifier, prefix: String, admin: PostgresConnector) async throws {
        try await admin.withConnection { connection in
            let rows = try await connection.query("SELECT datname FROM pg_database WHERE starts_with(datname, \(prefix))",
                                                  logger: PG.logger).collect()
            for row in rows {
                let database = try SQLIdentifier(try row.decode(String.self))
                try await connection.execute("DROP DATABASE IF EXISTS \(database.quoted) WITH (FORCE)", logger: PG.logger)
            }
            try await connection.execute("DROP DATABASE IF EXISTS \(master.quoted) WITH (FORCE)", logger: PG.logger)
        }
    }

    func provisioner(_ layout: Config.Layout, migrations: [Migration] = Self.track(), extensions: [String] = []) -> TenantProvisioner {
        TenantProvisioner(master: master, layout: layout, naming: naming, extensions: extensions, tenantMigrations: migrations,
                          timeouts: MigrationTimeouts(lockWait: .seconds(10)), logger: PG.logger)
    }

    /// The name this test's pattern gives `slug`.
    func name(_ slug: String) -> String { prefix + slug.replacingOccurrences(of: "-", with: "_") }

    // MARK: - The tenant track

    static let createAccounts = "CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);"
    static let createNotes = "CREATE TABLE notes (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts (id), body text);"
    /// Fails midway: the table is created, then the division fails, and the transaction rolls back.
    static let brokenNotes = "CREATE TABLE notes (id bigint PRIMARY KEY); SELECT 1 / 0;"

    static func track(second: String = createNotes) -> [Migration] {
        [migration(1, "create_accounts", createAccounts), migration(2, "create_notes", second)]
    }

    static func migration(_ number: Int, _ name: String, _ sql: String) -> Migration {
        let file = "\(String(format: "%04d", number))_\(name).sql"
        let checksum = SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
        return Migration(version: MigrationVersion(String(number))!, name: name, file: file, checksum: checksum,
                         up: MigrationScript(sql: sql, file: file, firstLine: 1), down: nil)
    }

    // MARK: - What is really there

    func strings(_ query: PostgresQuery, database: String? = nil) async throws -> [String] {
        let connector = try database.map { try master.to(database: $0) } ?? master
        return try await connector.withConnection { connection in
            try await connection.query(query, logger: PG.logger).collect().map { try $0.decode(String?.self) ?? "" }
        }
    }

    /// Tables of `schema` in `database`, sorted.
    func tables(in schema: String, database: String? = nil) async throws -> [String] {
        try await strings("""
            SELECT table_name::text FROM information_schema.tables WHERE table_schema = \(schema) ORDER BY 1
            """, database: database)
    }

    /// Versions recorded in the history table `schema.tenantry_migrations` of `database`.
    func history(in schema: String, database: String? = nil) async throws -> [String] {
        let table = "\(try SQLIdentifier(schema).quoted).\(HistoryTable.name.quoted)"
        return try await strings(PostgresQuery(unsafeSQL: "SELECT version::text FROM \(table) ORDER BY 1"), database: database)
    }

    func events(_ id: String) async throws -> [String] {
        try await TenantRegistryFixture.eventRows(id, on: master)
    }

    /// This test's databases on the server and the tenant databases the registry names, both sorted.
    func databases() async throws -> (server: [String], registry: [String]) {
        let server = try await strings("SELECT datname::text FROM pg_database WHERE starts_with(datname, \(prefix)) ORDER BY datname::text COLLATE \"C\"")
        let registry = try await strings("""
            SELECT database_name FROM tenantry.tenants WHERE layout = 'database' AND status <> 'DELETED' ORDER BY database_name COLLATE "C"
            """)
        return (server, registry)
    }

    /// This test's schemas in the master database and the tenant schemas the registry names, both sorted.
    func schemas() async throws -> (server: [String], registry: [String]) {
        let server = try await strings("SELECT nspname::text FROM pg_namespace WHERE starts_with(nspname, \(prefix)) ORDER BY nspname::text COLLATE \"C\"")
        let registry = try await strings("""
            SELECT schema_name FROM tenantry.tenants WHERE layout = 'schema' AND status <> 'DELETED' ORDER BY schema_name COLLATE "C"
            """)
        return (server, registry)
    }
}
