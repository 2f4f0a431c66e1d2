import Foundation
import Testing
import TenantryCore
import TenantryTestSupport

@testable import TenantryPostgres

@Suite("connecting to a full server")
struct BusyServerRetryTests {
    /// "too many connections" (53300) is retried with backoff: here a role limited to one connection, held by
    /// another session for a moment.
    @Test(TestDatabase.required)
    func tooManyConnectionsIsRetriedUntilASlotFrees() async throws {
        let role = TestDatabase.uniqueName("tcli_limited")
        let admin = try PG.connector(try PG.settings())
        try await admin.withConnection { try await $0.execute("CREATE ROLE \(role) LOGIN CONNECTION LIMIT 1", logger: admin.logger) }
        var settings = try PG.settings()
        settings.user = role
        let limited = try PG.connector(settings)

        let holder = Task { try await limited.withConnection { try await $0.execute("SELECT pg_sleep(1)", logger: limited.logger) } }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        let one = try await limited.withConnection { connection in
            try await connection.query("SELECT 1", logger: limited.logger).collect().first?.decode(Int.self)
        }
        #expect(one == 1)
        #expect(ContinuousClock.now - started >= .milliseconds(300), "it waited for the other session to end")
        try await holder.value
        try await admin.withConnection { try await $0.execute("DROP ROLE \(role)", logger: admin.logger) }
    }
}
