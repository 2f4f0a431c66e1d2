import Foundation
import PostgresNIO
import Testing
import TenantryTestSupport

@testable import TenantryPostgres

/// Concurrent single statements share one session; a session that dies is replaced on the next use.
@Suite("shared connection")
struct SharedConnectionTests {
    @Test(TestDatabase.required)
    func concurrentStatementsShareOneSessionAndALostOneIsReplaced() async throws {
        let connector = try PG.connector(PG.settings())
        let shared = SharedConnection(connector: connector)
        let backend: @Sendable () async throws -> Int32 = {
            try await shared.run { connection in
                let rows = try await connection.query("SELECT pg_backend_pid(), pg_sleep(0.01)", logger: PG.logger).collect()
                return try rows[0].decode((Int32, String).self).0
            }
        }
        let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<20 { group.addTask { try await backend() } }
            return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
        }
        #expect(pids.count == 1, "\(pids)")
        let first = try #require(pids.first)

        // Another session ends it: the next statement gets a new session (a statement caught on the dying one
        // fails, and its connection is dropped).
        _ = try await PG.scalar(Bool.self, "SELECT pg_terminate_backend(\(first))", on: connector)
        try await Task.sleep(for: .milliseconds(200))
        var replaced = try? await backend()
        if replaced == nil { replaced = try await backend() }
        #expect(replaced != first)
        #expect(try await backend() == replaced)
        await shared.close()
    }
}
