import PgQuery
import Testing

@Suite("PgQueryError")
struct ErrorTests {
    /// The three entry points, which must all report errors the same way.
    enum Operation: String, CaseIterable, Sendable {
        case split, parse, fingerprint

        func run(_ sql: String) throws(PgQueryError) {
            switch self {
            case .split: _ = try PgQuery.split(sql)
            case .parse: _ = try PgQuery.parse(sql)
            case .fingerprint: _ = try PgQuery.fingerprint(sql)
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let sql: String
        let expected: PgQueryError
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "multi-byte characters on earlier lines",
            // 15 + 14 scalars precede line 3, though 17 + 15 bytes do.
            sql: "-- héllo wörld\nSELECT 'ü', 1\n  , 2 FROM FROM t;",
            expected: PgQueryError(
                message: #"syntax error at or near "FROM""#, cursorPosition: 41, line: 3, column: 12)),
        Case(
            name: "positions count Unicode scalars, not bytes, UTF-16 units or graphemes",
            // 😀 is 4 bytes / 2 UTF-16 units; e + U+0301 is one grapheme of two scalars.
            sql: "SELECT '😀e\u{301}' FROM FROM",
            expected: PgQueryError(
                message: #"syntax error at or near "FROM""#, cursorPosition: 19, line: 1, column: 19)),
        Case(
            name: "error at end of input",
            sql: "SELECT 1\nFROM",
            expected: PgQueryError(
                message: "syntax error at end of input", cursorPosition: 14, line: 2, column: 5)),
        Case(
            name: "unterminated string",
            sql: "SELECT 1;\nSELECT 'abc",
            expected: PgQueryError(
                message: #"unterminated quoted string at or near "'abc""#,
                cursorPosition: 18, line: 2, column: 8)),
        Case(
            name: "NUL byte is refused instead of silently truncating",
            sql: "SELECT 'é';\0DROP TABLE users;",
            expected: PgQueryError(
                message: "SQL text contains a NUL character", cursorPosition: 12, line: 1, column: 12)),
    ]

    @Test("reports message and position", arguments: cases, Operation.allCases)
    func reportsPosition(_ testCase: Case, _ operation: Operation) {
        #expect(throws: testCase.expected) {
            try operation.run(testCase.sql)
        }
    }

    @Test("description appends line and column")
    func description() throws {
        let error = try #require(throws: PgQueryError.self) {
            try PgQuery.split("CREATE TABLE t (id int);\nSELECT id\n  , FROM t;")
        }
        #expect(error.description == #"syntax error at or near "FROM" (line 3, column 5)"#)
    }

    @Test("description without a position is the bare message")
    func descriptionWithoutPosition() {
        #expect(PgQueryError(message: "out of memory").description == "out of memory")
    }
}
