import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

/// A fleet run sends several tenants' blocks as one statement: each tenant must still commit or fail alone,
/// tenants behind a failure must still run (once), and no tenant may inherit another's session state.
@Suite("tenants' blocks sent together")
struct MigrationBatchTests {
    typealias Fixture = TenantRegistryFixture
    typealias Known = KnownHistoryMigrationTests

    /// `schemas` made with 001 applied, their histories as read.
    static func prepared(_ schemas: [String], on master: PostgresConnector) async throws -> [String: [AppliedMigration]] {
        var histories: [String: [AppliedMigration]] = [:]
        for schema in schemas {
            try await master.withConnection { try await $0.execute("CREATE SCHEMA \(schema)", logger: PG.logger) }
            _ = try await Known.runner(schema, on: master, [Known.first]).migrate()
            histories[schema] = try await Known.runner(schema, on: master, [Known.first]).plan().applied
        }
        return histories
    }

    /// While a slow tenant holds the only lane, four more wait and go out as one batch; the second of them
    /// fails. It alone fails, naming its statement; the others, before and after it, apply 002 once.
    @Test(TestDatabase.required)
    func aFailingTenantFailsAloneAndTheOnesBehindItStillRun() async throws {
        try await Fixture.with { _, master in
            let schemas = ["b0", "b1", "b2", "b3", "b4"]
            let histories = try await Self.prepared(schemas, on: master)
            let batcher = MigrationBatcher(connector: master, lanes: 1, logger: PG.logger)
            let slow = Known.migration("002", "CREATE TABLE slow AS SELECT pg_sleep(0.4) IS NULL AS slept;\nCREATE TABLE tests (id int);")
            let second = Known.migration("002", "CREATE TABLE tests (id int);")
            // b2 already has the table the migration creates: its 002 fails with 42P07.
            try await master.withConnection { try await $0.execute("CREATE TABLE b2.tests (id int)", logger: PG.logger) }
            let results = try await withThrowingTaskGroup(of: (String, String).self) { group in
                group.addTask {
                    let outcome = try await Known.runner("b0", on: master, [Known.first, slow])
                        .migrate(knownHistory: histories["b0"]!, .init(), batcher: batcher)
                    return ("b0", outcome.applied.map(\.version.text).joined())
                }
                try await Task.sleep(for: .milliseconds(150))
                for schema in schemas.dropFirst() {
                    group.addTask {
                        do {
                            let outcome = try await Known.runner(schema, on: master, [Known.first, second])
                                .migrate(knownHistory: histories[schema]!, .init(), batcher: batcher)
                            return (schema, outcome.applied.map(\.version.text).joined())
                        } catch let error as TenantryError {
                            return (schema, error.message)
                        }
                    }
                }
                var results: [String: String] = [:]
                for try await (schema, result) in group { results[schema] = result }
                return results
            }
            // b0 alone, then the four; whoever was behind b2 in that batch went out again.
            let sizes = await batcher.batchSizes
            #expect(sizes.prefix(2) == [1, 4] && sizes.dropFirst(2).reduce(0, +) <= 3, "\(sizes)")
            for schema in ["b0", "b1", "b3", "b4"] {
                #expect(results[schema] == "002", "\(schema): \(results[schema] ?? "")")
                #expect(try await Known.versions(schema, on: master) == ["001:applied", "002:applied"])
            }
            #expect(results["b2"]?.contains("002_m.sql failed at statement 1 of 1 (line 1)") == true, "\(results["b2"] ?? "")")
            #expect(results["b2"]?.contains("SQLSTATE 42P07") == true, "\(results["b2"] ?? "")")
            #expect(try await Known.versions("b2", on: master) == ["001:applied"])
        }
    }

    /// A tenant whose lock is held elsewhere stops the batch at its block; it takes the classic path (waits,
    /// then applies), and the tenants behind it go out again.
    @Test(TestDatabase.required)
    func aLockedTenantInABatchWaitsItsTurnAndTheOthersGoOn() async throws {
        try await Fixture.with { _, master in
            let schemas = ["l0", "l1", "l2", "l3", "l4"]
            let histories = try await Self.prepared(schemas, on: master)
            let batcher = MigrationBatcher(connector: master, lanes: 1, logger: PG.logger)
            let slow = Known.migration("002", "CREATE TABLE slow AS SELECT pg_sleep(0.4) IS NULL AS slept;\nCREATE TABLE tests (id int);")
            let locked = try Known.runner("l2", on: master, [Known.first, Known.second], lockWait: .seconds(30))
            try await master.withConnection { holder in
                try await holder.execute("SELECT pg_advisory_lock(\(locked.target.lockKey))", logger: PG.logger)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        _ = try await Known.runner("l0", on: master, [Known.first, slow]).migrate(knownHistory: histories["l0"]!, .init(), batcher: batcher)
                    }
                    try await Task.sleep(for: .milliseconds(150))
                    for schema in schemas.dropFirst() {
                        group.addTask {
                            let outcome = try await Known.runner(schema, on: master, [Known.first, Known.second], lockWait: .seconds(30))
                                .migrate(knownHistory: histories[schema]!, .init(), batcher: batcher)
                            #expect(outcome.applied.map(\.version.text) == ["002"], "\(schema)")
                        }
                    }
                    // Everyone but l2 finishes while the lock is held.
                    let others = ["l0", "l1", "l3", "l4"]
                    for _ in 0..<100 {
                        var done = 0
                        for schema in others where try await Known.versions(schema, on: master).count == 2 { done += 1 }
                        if done == others.count { break }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    for schema in others { #expect(try await Known.versions(schema, on: master).count == 2, "\(schema)") }
                    #expect(try await Known.versions("l2", on: master) == ["001:applied"])
                    try await holder.execute("SELECT pg_advisory_unlock(\(locked.target.lockKey))", logger: PG.logger)
                    try await group.waitForAll()
                }
            }
            #expect(try await Known.versions("l2", on: master) == ["001:applied", "002:applied"])
        }
    }

    /// Every tenant of a batch starts clean: no setting, temporary table or session lock of the one before.
    @Test(TestDatabase.required)
    func eachTenantOfABatchStartsClean() async throws {
        try await Fixture.with { _, master in
            let schemas = ["c0", "c1", "c2", "c3", "c4"]
            let histories = try await Self.prepared(schemas, on: master)
            let batcher = MigrationBatcher(connector: master, lanes: 1, logger: PG.logger)
            let slow = Known.migration("002", "CREATE TABLE slow AS SELECT pg_sleep(0.4) IS NULL AS slept;\nCREATE TABLE seen (id int);")
            let leaky = Known.migration("002", """
                CREATE TABLE seen AS SELECT current_setting('work_mem') AS work_mem,
                    (SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema()) AS temp_tables,
                    (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS advisory_locks;
                CREATE TEMP TABLE scratch (x int);
                CREATE TABLE marks (v text DEFAULT set_config('work_mem', '77kB', false), l bool DEFAULT pg_try_advisory_lock(42));
                INSERT INTO marks DEFAULT VALUES;
                """)
            let standard = try await PG.scalar(String.self, "SELECT current_setting('work_mem')", on: master)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    _ = try await Known.runner("c0", on: master, [Known.first, slow]).migrate(knownHistory: histories["c0"]!, .init(), batcher: batcher)
                }
                try await Task.sleep(for: .milliseconds(150))
                for schema in schemas.dropFirst() {
                    group.addTask {
                        _ = try await Known.runner(schema, on: master, [Known.first, leaky]).migrate(knownHistory: histories[schema]!, .init(), batcher: batcher)
                    }
                }
                try await group.waitForAll()
            }
            let sizes = await batcher.batchSizes
            #expect(sizes == [1, 4], "\(sizes)")
            for schema in schemas.dropFirst() {
                let seen = try await Fixture.column("SELECT work_mem || ' ' || temp_tables || ' ' || advisory_locks FROM \(unescaped: schema).seen", on: master)
                // Only the tenant's own transaction lock.
                #expect(seen == ["\(standard ?? "") 0 1"], "\(schema)")
            }
        }
    }
}
