import Crypto
import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

@Suite("TenantRegistry: prepare (internal migrations)")
struct TenantRegistryPrepareTests {
    typealias Fixture = TenantRegistryFixture

    static func history(on master: PostgresConnector) async throws -> [String] {
        try await Fixture.column("""
            SELECT version || ' ' || name || ' ' || checksum || ' ' || kind || ' ' || applied_at::text
            FROM tenantry.tenantry_migrations ORDER BY version::int
            """, on: master).map { $0 ?? "" }
    }

    @Test(TestDatabase.required)
    func prepareTwiceCreatesTheSchemaOnceInItsOwnHistory() async throws {
        try await Fixture.with { registry, master in
            let first = try await Self.history(on: master)
            try await registry.prepare()
            #expect(try await Self.history(on: master) == first, "the second prepare changed the history")

            #expect(first.count == RegistryMigrations.all.count)
            for (row, migration) in zip(first, RegistryMigrations.all) {
                let checksum = SHA256.hash(data: Data(migration.up.sql.utf8)).map { String(format: "%02x", $0) }.joined()
                #expect(row.hasPrefix("\(migration.version.text) \(migration.name) \(checksum) applied "))
            }
            #expect(RegistryMigrations.all.map(\.version.text) == (1...RegistryMigrations.all.count).map(String.init))

            let tables = try await Fixture.column("""
                SELECT table_schema || '.' || table_name FROM information_schema.tables
                WHERE table_name LIKE 'tenant%' ORDER BY 1
                """, on: master)
            #expect(tables == ["tenantry.tenant_events", "tenantry.tenantry_migrations", "tenantry.tenants"])
            let userHistory = try await PG.scalar(Bool.self, "SELECT to_regclass('public.tenantry_migrations') IS NULL", on: master)
            #expect(userHistory == true, "the user's public.tenantry_migrations must not be created")
        }
    }

    @Test(TestDatabase.required)
    func everyTableAndColumnIsDocumented() async throws {
        try await Fixture.with { _, master in
            let undocumented = try await Fixture.column("""
                SELECT c.table_name || '.' || c.column_name FROM information_schema.columns c
                WHERE c.table_schema = 'tenantry' AND c.table_name IN ('tenants', 'tenant_events')
                  AND col_description(('tenantry.' || c.table_name)::regclass, c.ordinal_position) IS NULL
                UNION ALL
                SELECT t FROM unnest(ARRAY['tenantry.tenants', 'tenantry.tenant_events']) t
                WHERE obj_description(t::regclass, 'pg_class') IS NULL
                """, on: master)
            #expect(undocumented == [])
        }
    }

    /// The status CHECK is frozen SQL; a new `TenantStatus` case needs a new internal migration.
    @Test(TestDatabase.required)
    func statusCheckAllowsExactlyTheTenantStatuses() async throws {
        try await Fixture.with { _, master in
            let definition = try #require(try await PG.scalar(String.self, """
                SELECT pg_get_constraintdef(oid) FROM pg_constraint
                WHERE conrelid = 'tenantry.tenants'::regclass AND pg_get_constraintdef(oid) LIKE '%status%'
                """, on: master))
            let quoted = definition.matches(of: /'([A-Z]+)'/).map { String($0.output.1) }
            #expect(Set(quoted) == Set(TenantStatus.allCases.map(\.rawValue)), "\(definition)")
        }
    }

    @Test(TestDatabase.required)
    func concurrentPreparesApplyEachMigrationOnce() async throws {
        try await Fixture.with(prepared: false) { registry, master in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await registry.prepare() }
                }
                try await group.waitForAll()
            }
            let versions = try await Fixture.column("SELECT version FROM tenantry.tenantry_migrations ORDER BY version::int", on: master)
            #expect(versions == RegistryMigrations.all.map(\.version.text))
            #expect(try await registry.list().isEmpty)
        }
    }

    /// The user's master track keeps its own history (public) and lock; the two never see each other's rows.
    @Test(TestDatabase.required)
    func userMasterMigrationsStaySeparate() async throws {
        try await Fixture.with { registry, master in
            let sql = "CREATE TABLE accounts (id int PRIMARY KEY);"
            let migration = Migration(version: MigrationVersion("1")!, name: "accounts", file: "1_accounts.sql", checksum: "abc",
                                      up: MigrationScript(sql: sql, file: "1_accounts.sql", firstLine: 1), down: nil)
            let target = MigrationTarget(connector: master, historySchema: try SQLIdentifier("public"), track: "master", label: "master")
            #expect(target.lockKey != registry.target.lockKey)
            _ = try await MigrationRunner(target: target, migrations: [migration], timeouts: .init(), logger: PG.logger).migrate()
            try await registry.prepare()
            let user = try await Fixture.column("SELECT name FROM public.tenantry_migrations", on: master)
            #expect(user == ["accounts"])
            let own = try await Fixture.column("SELECT name FROM tenantry.tenantry_migrations ORDER BY version::int", on: master)
            #expect(own == RegistryMigrations.all.map(\.name))
        }
    }

    @Test(TestDatabase.required)
    func anUnpreparedRegistrySaysToRunUp() async throws {
        try await Fixture.with(prepared: false) { registry, _ in
            let error = await PG.tenantryError { _ = try await registry.find("acme") }
            #expect(error?.kind == .setup)
            #expect(error?.message.contains("does not exist") == true, "\(String(describing: error))")
            #expect(error?.hint?.contains("tenantry up") == true)
        }
    }
}
