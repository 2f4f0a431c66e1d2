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

    /// Migrates `schemas` (each made with 001 applied, then `setUp`) to `second` through one batcher with one
    /// lane: the first schema's 002 is slow and goes alone, and the others, sent while it holds the lane, wait
    /// and go out together. `whileRunning` runs once all are sent. Returns each schema's outcome (the versions
    /// applied, or the error's message) and the sizes of the batches sent.
    static func migrateTogether(
        _ schemas: [String], to second: Migration, on master: PostgresConnector, lockWait: Duration = .seconds(60),
        setUp: () async throws -> Void = {}, whileRunning: () async throws -> Void = {}
    ) async throws -> (results: [String: String], sizes: [Int]) {
        var histories: [String: [AppliedMigration]] = [:]
        for schema in schemas {
            try await master.withConnection { try await $0.execute("CREATE SCHEMA \(schema)", logger: PG.logger) }
            _ = try await Known.runner(schema, on: master, [Known.first]).migrate()
            histories[schema] = try await Known.runner(schema, on: master, [Known.first]).plan().applied
        }
        try await setUp()
        let batcher = MigrationBatcher(connector: master, lanes: 1, logger: PG.logger)
        let slow = Known.migration("002", "CREATE TABLE slow AS SELECT pg_sleep(0.4) IS NULL AS slept;")
        let results = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for (index, schema) in schemas.enumerated() {
                let runner = try Known.runner(schema, on: master, [Known.first, index == 0 ? slow : second], lockWait: lockWait)
                let history = histories[schema] ?? []
                group.addTask {
                    do {
                        let outcome = try await runner.migrate(knownHistory: history, .init(), batcher: batcher)
                        return (schema, outcome.applied.map(\.version.text).joined(separator: ","))
                    } catch let error as TenantryError {
                        return (schema, error.message)
                    }
                }
                if index == 0 { try await Task.sleep(for: .milliseconds(150)) }
            }
            try await whileRunning()
            var results: [String: String] = [:]
            for try await (schema, result) in group { results[schema] = result }
            return results
        }
        return (results, await batcher.batchSizes)
    }

    /// The second of four tenants in one batch fails: it alone fails, naming its statement; the others, before
    /// and after it, apply 002 once.
    @Test(TestDatabase.required)
    func aFailingTenantFailsAloneAndTheOnesBehindItStillRun() async throws {
        try await Fixture.with { _, master in
            let (results, sizes) = try await Self.migrateTogether(
                ["b0", "b1", "b2", "b3", "b4"], to: Known.migration("002", "CREATE TABLE tests (id int);"), on: master,
                // b2 already has the table the migration creates: its 002 fails with 42P07.
                setUp: { try await master.withConnection { try await $0.execute("CREATE TABLE b2.tests (id int)", logger: PG.logger) } })
            // b0 alone, then the four; whoever was behind b2 in that batch went out again.
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
    /// then applies), and the tenants behind it go out again without waiting for it.
    @Test(TestDatabase.required)
    func aLockedTenantInABatchWaitsItsTurnAndTheOthersGoOn() async throws {
        try await Fixture.with { _, master in
            let key = try Known.runner("l2", on: master, []).target.lockKey
            try await master.withConnection { holder in
                let (results, _) = try await Self.migrateTogether(
                    ["l0", "l1", "l2", "l3", "l4"], to: Known.second, on: master,
                    setUp: { try await holder.execute("SELECT pg_advisory_lock(\(key))", logger: PG.logger) },
                    whileRunning: {
                        // Everyone but l2 finishes while the lock is held; then it is released.
                        let others = ["l0", "l1", "l3", "l4"]
                        for _ in 0..<100 {
                            var done = 0
                            for schema in others where try await Known.versions(schema, on: master).count == 2 { done += 1 }
                            if done == others.count { break }
                            try await Task.sleep(for: .milliseconds(50))
                        }
                        for schema in others { #expect(try await Known.versions(schema, on: master).count == 2, "\(schema)") }
                        #expect(try await Known.versions("l2", on: master) == ["001:applied"])
                        try await holder.execute("SELECT pg_advisory_unlock(\(key))", logger: PG.logger)
                    })
                #expect(results["l2"] == "002", "\(results["l2"] ?? "")")
            }
            #expect(try await Known.versions("l2", on: master) == ["001:applied", "002:applied"])
        }
    }

    /// Every tenant of a batch starts clean: no setting, temporary table or session lock of the one before.
    @Test(TestDatabase.required)
    func eachTenantOfABatchStartsClean() async throws {
        try await Fixture.with { _, master in
            let standard = try await PG.scalar(String.self, "SELECT current_setting('work_mem')", on: master)
            let (results, sizes) = try await Self.migrateTogether(["c0", "c1", "c2", "c3", "c4"], to: Known.leaky("002"), on: master)
            #expect(sizes == [1, 4], "\(sizes)")
            for schema in ["c1", "c2", "c3", "c4"] {
                #expect(results[schema] == "002", "\(schema): \(results[schema] ?? "")")
                let seen = try await Fixture.column("SELECT work_mem || ' ' || temp_tables || ' ' || advisory_locks FROM \(unescaped: schema).seen", on: master)
                // Only the tenant's own transaction lock.
                #expect(seen == ["\(standard ?? "") 0 1"], "\(schema)")
            }
        }
    }
}
