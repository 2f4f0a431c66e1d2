import PgQuery
import Testing

@Suite("PgQuery.split")
struct SplitTests {
    /// A script and the statement texts PostgreSQL's parser should find in it.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let sql: String
        let expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "dollar-quoted function body with semicolons",
            sql: """
                CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$
                BEGIN
                  PERFORM 1;
                  RETURN 2;
                END;
                $body$;
                SELECT f();
                """,
            expected: [
                "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\nBEGIN\n  PERFORM 1;\n  RETURN 2;\nEND;\n$body$",
                "SELECT f()",
            ]),
        Case(
            name: "anonymous dollar quote",
            sql: "DO $$ BEGIN PERFORM 1; END $$; SELECT 2",
            expected: ["DO $$ BEGIN PERFORM 1; END $$", "SELECT 2"]),
        Case(
            name: "E'' string with escaped quote and semicolon",
            sql: #"SELECT E'it\'s; here'; SELECT 2;"#,
            expected: [#"SELECT E'it\'s; here'"#, "SELECT 2"]),
        Case(
            name: "standard string with doubled quote and semicolon",
            sql: "SELECT 'a;''b'; SELECT 2;",
            expected: ["SELECT 'a;''b'", "SELECT 2"]),
        Case(
            name: "nested block comment inside a statement",
            sql: "SELECT 1 /* a /* b; */ c; */ + 1; SELECT 2;",
            expected: ["SELECT 1 /* a /* b; */ c; */ + 1", "SELECT 2"]),
        Case(
            name: "nested block comment before a statement is skipped",
            sql: "/* a /* b; */ c; */ SELECT 1;\n-- x; y\nSELECT 2;",
            expected: ["SELECT 1", "SELECT 2"]),
        Case(
            name: "BEGIN ATOMIC body",
            sql: """
                CREATE FUNCTION g() RETURNS int LANGUAGE sql
                BEGIN ATOMIC
                  SELECT 1;
                  SELECT 2;
                END;
                SELECT g();
                """,
            expected: [
                "CREATE FUNCTION g() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND",
                "SELECT g()",
            ]),
        Case(
            name: "quoted identifier containing a semicolon",
            sql: #"CREATE TABLE "a;b" (id int); SELECT "x;y" FROM "a;b";"#,
            expected: [#"CREATE TABLE "a;b" (id int)"#, #"SELECT "x;y" FROM "a;b""#]),
        Case(
            name: "empty statements are dropped",
            sql: ";; -- nothing here\n ; /* nor; here */ ; SELECT 1;;\n",
            expected: ["SELECT 1"]),
        Case(
            name: "trailing whitespace before the semicolon is dropped",
            sql: "SELECT 1   \n ;\nSELECT 2  \n",
            expected: ["SELECT 1", "SELECT 2"]),
        Case(name: "comments only", sql: "-- a\n/* b */\n", expected: []),
        Case(name: "empty input", sql: "", expected: []),
    ]

    @Test("finds statement boundaries", arguments: cases)
    func boundaries(_ testCase: Case) throws {
        let statements = try PgQuery.split(testCase.sql)
        #expect(statements.map(\.text) == testCase.expected)
    }

    @Test("location and length address the text in UTF-8", arguments: cases)
    func byteRanges(_ testCase: Case) throws {
        let bytes = Array(testCase.sql.utf8)
        for statement in try PgQuery.split(testCase.sql) {
            let slice = bytes[statement.location..<statement.location + statement.length]
            #expect(String(decoding: slice, as: UTF8.self) == statement.text)
        }
    }

    @Test("reports line and column of each statement's first token")
    func linesAndColumns() throws {
        let sql = """
            -- migration: add users
            CREATE TABLE users (id int);

              CREATE INDEX CONCURRENTLY users_id ON users (id);
            /* é */ SELECT 'é;'; SELECT 2;
            """
        let statements = try PgQuery.split(sql)
        #expect(statements.map(\.line) == [2, 4, 5, 5])
        #expect(statements.map(\.column) == [1, 3, 9, 22])
        // "é" is two bytes, so byte offsets run ahead of columns from line 5 on.
        #expect(statements.map(\.location) == [24, 56, 115, 129])
        #expect(statements.last?.text == "SELECT 2")
    }

    @Test("counts CRLF and lone CR as one line break each")
    func lineBreakStyles() throws {
        let statements = try PgQuery.split("SELECT 1;\r\nSELECT 2;\r  SELECT 3;")
        #expect(statements.map(\.line) == [1, 2, 3])
        #expect(statements.map(\.column) == [1, 1, 3])
    }

    @Test("reports a syntax error in a later statement at its line and column")
    func syntaxError() {
        let sql = "SELECT 1;\n-- é\nSELECT 2,\n    FROM t;"
        #expect(throws: PgQueryError(
            message: #"syntax error at or near "FROM""#,
            cursorPosition: 30, line: 4, column: 5)
        ) {
            try PgQuery.split(sql)
        }
    }
}
