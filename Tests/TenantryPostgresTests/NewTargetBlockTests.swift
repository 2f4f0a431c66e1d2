import Foundation
import PostgresNIO
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

/// A new target gets all its files in one block that commits after each file: a failure must keep the files
/// before it (history rows and objects), name the failing statement, and leave the rest for a later run.
@Suite("a new target's files in one block")
struct NewTargetBlockTests {
    typealias Fixture = TenantRegistryFixture
    typealias Known = KnownHistoryMigrationTests

    @Test(TestDatabase.required)
    func aFailingFileKeepsTheFilesBeforeItAndIsNamed() async throws {
        try await Fixture.with { _, master in
            try await master.withConnection { try await $0.execute("CREATE SCHEMA n1", logger: PG.logger) }
            let broken = Known.migration("002", "CREATE TABLE tests (id int);\nCREATE TABLE tests (id int);")
            let third = Known.migration("003", "CREATE TABLE later (id int);")
            let error = await #expect(throws: TenantryError.self) {
                try await Known.runner("n1", on: master, [Known.first, broken, third]).migrate(.init(newTarget: true))
            }
            #expect(error?.message.contains("002_m.sql failed at statement 2 of 2 (line 2)") == true, "\(String(describing: error))")
            #expect(error?.message.contains("SQLSTATE 42P07") == true, "\(String(describing: error))")
            #expect(try await Known.versions("n1", on: master) == ["001:applied"])
            let tables = try await Fixture.column("SELECT tablename FROM pg_tables WHERE schemaname = 'n1' ORDER BY 1", on: master)
            #expect(tables == ["tenantry_migrations", "wells"])

            let fixed = Known.migration("002", "CREATE TABLE tests (id int);")
            let outcome = try await Known.runner("n1", on: master, [Known.first, fixed, third]).migrate()
            #expect(outcome.applied.map(\.version.text) == ["002", "003"])
            #expect(try await Known.versions("n1", on: master) == ["001:applied", "002:applied", "003:applied"])
        }
    }

    @Test(TestDatabase.required)
    func eachFileRecordsItsOwnTimeAndAFileTheBlockCannotRunTakesTheClassicPath() async throws {
        try await Fixture.with { _, master in
            for schema in ["n2", "n3"] {
                try await master.withConnection { try await $0.execute("CREATE SCHEMA \(schema)", logger: PG.logger) }
            }
            let slow = Known.migration("002", "CREATE TABLE slow AS SELECT pg_sleep(0.3) IS NULL AS slept;")
            let third = Known.migration("003", "CREATE TABLE quick (id int);")
            let outcome = try await Known.runner("n2", on: master, [Known.first, slow, third]).migrate(.init(newTarget: true))
            #expect(outcome.applied.map(\.version.text) == ["001", "002", "003"])
            let times = try await Fixture.column("SELECT version || ':' || (execution_ms >= 250) FROM n2.tenantry_migrations ORDER BY version", on: master)
            #expect(times == ["001:false", "002:true", "003:false"])

            // SELECT setval is not a kind a block runs: every file goes the classic way, and all apply.
            let sequence = Known.migration("002", "CREATE SEQUENCE s;\nSELECT setval('s', 41);")
            let classic = try await Known.runner("n3", on: master, [Known.first, sequence, third]).migrate(.init(newTarget: true))
            #expect(classic.applied.map(\.version.text) == ["001", "002", "003"])
            #expect(try await PG.scalar(Int64.self, "SELECT nextval('n3.s')", on: master) == 42)
        }
    }

    /// The block takes the target's lock and proves the history is empty before it runs anything: a lock held
    /// elsewhere, or a history already there, sends the target the classic way, and nothing is applied twice.
    @Test(TestDatabase.required)
    func aHeldLockOrAHistoryAlreadyThereTakesTheClassicPath() async throws {
        try await Fixture.with { _, master in
            for schema in ["n4", "n5"] {
                try await master.withConnection { try await $0.execute("CREATE SCHEMA \(schema)", logger: PG.logger) }
            }
            let runner = try Known.runner("n4", on: master, [Known.first, Known.second], lockWait: .seconds(1))
            try await master.withConnection { holder in
                try await holder.execute("SELECT pg_advisory_lock(\(runner.target.lockKey))", logger: PG.logger)
                let error = await #expect(throws: TenantryError.self) { try await runner.migrate(.init(newTarget: true)) }
                #expect(error?.message.contains("waiting for the migration lock") == true, "\(String(describing: error))")
                // The block rolled back its history table with everything else.
                #expect(try await PG.scalar(Bool.self, "SELECT to_regclass('n4.tenantry_migrations') IS NULL", on: master) == true)
                try await holder.execute("SELECT pg_advisory_unlock(\(runner.target.lockKey))", logger: PG.logger)
            }
            let outcome = try await runner.migrate(.init(newTarget: true))
            #expect(outcome.applied.map(\.version.text) == ["001", "002"])
            #expect(try await Known.versions("n4", on: master) == ["001:applied", "002:applied"])

            // Another process applied 001 between the schema's creation and this run.
            _ = try await Known.runner("n5", on: master, [Known.first]).migrate()
            let rest = try await Known.runner("n5", on: master, [Known.first, Known.second]).migrate(.init(newTarget: true))
            #expect(rest.applied.map(\.version.text) == ["002"])
            #expect(rest.before?.text == "001")
            #expect(try await Known.versions("n5", on: master) == ["001:applied", "002:applied"])
        }
    }
}
