import PgQuery
import Testing

@Suite("Concurrent use")
struct ConcurrencyTests {
    // libpg_query 15 keeps its parser state thread-local; interleaved calls
    // from many threads must each see only their own input.
    @Test("parallel calls return the same results as serial ones")
    func parallel() async throws {
        let scripts = (0..<64).map { "SELECT \($0);\nCREATE TABLE t\($0) (id int);" }
        let serial = try scripts.map { try Result(sql: $0) }
        let parallel = try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            for (index, sql) in scripts.enumerated() {
                group.addTask { (index, try Result(sql: sql)) }
            }
            var results = [Result?](repeating: nil, count: scripts.count)
            for try await (index, result) in group { results[index] = result }
            return results
        }
        #expect(parallel == serial)
    }

    struct Result: Equatable, Sendable {
        let statements: [SQLStatement]
        let kinds: [String]
        let fingerprint: String

        init(sql: String) throws {
            statements = try PgQuery.split(sql)
            kinds = try PgQuery.parse(sql).statementKinds
            fingerprint = try PgQuery.fingerprint(sql)
        }
    }
}
