import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

@Suite("DatabaseAdmin against the test server")
struct DatabaseAdminTests {
    /// Runs `body`, then drops every database in `names` (created or not), whatever happened.
    static func withCleanup(
        dropping names: [SQLIdentifier], _ body: (DatabaseAdmin) async throws -> Void
    ) async throws {
        let admin = try DatabaseAdmin(server: PG.connector(PG.settings()))
        do {
            try await body(admin)
        } catch {
            try? await drop(names, admin: admin)
            throw error
        }
        try await drop(names, admin: admin)
        for name in names {
            #expect(try await admin.databaseExists(name) == false, "\(name.quoted) was not dropped")
        }
    }

    static func drop(_ names: [SQLIdentifier], admin: DatabaseAdmin) async throws {
        try await admin.connector.withConnection { connection in
            for name in names {
                try await connection.execute("DROP DATABASE IF EXISTS \(name.quoted)", logger: PG.logger)
            }
        }
    }

    static func namesOnServer(like pattern: String, admin: DatabaseAdmin) async throws -> [String] {
        try await admin.connector.withConnection { connection in
            let rows = try await connection.query(
                "SELECT datname FROM pg_database WHERE datname LIKE \(pattern) ORDER BY datname", logger: PG.logger
            ).collect()
            return try rows.map { try $0.decode(String.self) }
        }
    }

    @Test(TestDatabase.required)
    func adminUsesTheMaintenanceDatabase() async throws {
        let settings = try PG.settings().with(database: TestDatabase.uniqueName("some_master"))
        let admin = try DatabaseAdmin(server: PG.connector(settings))
        #expect(admin.connector.settings.database == "postgres")
        let database = try await PG.scalar(String.self, "SELECT current_database()", on: admin.connector)
        #expect(database == "postgres")
    }

    @Test(TestDatabase.required)
    func ensureDatabaseCreatesOnceAndReportsExistence() async throws {
        let name = try SQLIdentifier(TestDatabase.uniqueName("tenantry_admin"))
        try await Self.withCleanup(dropping: [name]) { admin in
            #expect(try await admin.databaseExists(name) == false)
            #expect(try await admin.ensureDatabase(name) == true)
            #expect(try await admin.ensureDatabase(name) == false)
            #expect(try await admin.databaseExists(name) == true)
            // The database is real: we can connect to it.
            let current = try await PG.scalar(
                String.self, "SELECT current_database()", on: admin.connector.to(database: name.name))
            #expect(current == name.name)
        }
    }

    @Test(TestDatabase.required)
    func namesThatNeedQuotingWork() async throws {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let name = try SQLIdentifier("weird\"name; x \(suffix)")
        let prefix = try SQLIdentifier("weird")  // would exist if the name were split at the quote
        try await Self.withCleanup(dropping: [name]) { admin in
            #expect(try await admin.ensureDatabase(name) == true)
            #expect(try await admin.databaseExists(name) == true)
            #expect(try await admin.ensureDatabase(name) == false)
            let found = try await Self.namesOnServer(like: "weird%\(suffix)", admin: admin)
            #expect(found == [name.name], "pg_database should hold exactly the name given")
            #expect(try await admin.databaseExists(prefix) == false)
        }
    }

    /// Several processes running `up` at once: exactly one creates the database, none fails.
    @Test(TestDatabase.required)
    func concurrentEnsureDatabaseCreatesExactlyOnce() async throws {
        for _ in 0..<3 {
            let name = try SQLIdentifier(TestDatabase.uniqueName("tenantry_race"))
            try await Self.withCleanup(dropping: [name]) { admin in
                let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<8 {
                        group.addTask { try await admin.ensureDatabase(name) }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(results.filter { $0 }.count == 1, "created \(results.filter { $0 }.count) times")
                #expect(try await admin.databaseExists(name))
            }
        }
    }

    @Test(TestDatabase.required)
    func serverVersionMatchesTheServer() async throws {
        let admin = try DatabaseAdmin(server: PG.connector(PG.settings()))
        let version = try await admin.serverVersion()
        let raw = try #require(try await PG.scalar(String.self, "SHOW server_version", on: admin.connector))
        let number = try #require(raw.split(separator: " ").first.map(String.init))
        #expect(version == "PostgreSQL \(number)")
    }
}
