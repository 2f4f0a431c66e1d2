import PgQuery
import Testing

@Suite("PgQuery.fingerprint")
struct FingerprintTests {
    @Test("ignores constants, whitespace, comments and keyword case", arguments: [
        ("SELECT * FROM users WHERE id = 1", "SELECT * FROM users WHERE id = 42"),
        ("SELECT name FROM users WHERE name = 'a'", "select name\n  from users -- who\n where name = 'bob'"),
        ("INSERT INTO t (a, b) VALUES (1, 'x')", "INSERT INTO t (a, b) VALUES (2, 'y')"),
    ])
    func equal(_ first: String, _ second: String) throws {
        #expect(try PgQuery.fingerprint(first) == PgQuery.fingerprint(second))
    }

    @Test("tells apart statements of different shape", arguments: [
        ("SELECT * FROM users WHERE id = 1", "SELECT * FROM accounts WHERE id = 1"),
        ("SELECT * FROM users WHERE id = 1", "SELECT * FROM users WHERE name = 1"),
        ("CREATE INDEX i ON t (a)", "CREATE INDEX CONCURRENTLY i ON t (a)"),
    ])
    func different(_ first: String, _ second: String) throws {
        #expect(try PgQuery.fingerprint(first) != PgQuery.fingerprint(second))
    }

    @Test("is 16 lowercase hexadecimal digits")
    func format() throws {
        let fingerprint = try PgQuery.fingerprint("SELECT 1")
        #expect(fingerprint.count == 16)
        #expect(fingerprint.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }
}
