import Testing
import TenantryCore

@Suite("StatementAnalyzer: parse errors, psql meta-commands and inline COPY data")
struct StatementAnalyzerErrorTests {
    static let file = "db/migrations/0007_wells.sql"

    /// The error `statements(of:)` throws for `sql` placed at `firstLine`, or nil.
    static func failure(_ sql: String, firstLine: Int = 1, explicit: [String]? = nil) -> TenantryError? {
        do {
            _ = try StatementAnalyzer.statements(of: MigrationScript(
                sql: sql, file: file, firstLine: firstLine, explicitStatements: explicit))
            return nil
        } catch {
            return error
        }
    }

    @Test("a syntax error names file, line, column in file terms, the statement and PostgreSQL's message")
    func syntaxError() throws {
        let error = try #require(Self.failure("CREATE TABLE a (id int);\n\n  SELEC 1;\nSELECT 2;\n", firstLine: 5))
        #expect(error.kind == .failed)
        #expect(error.message == """
            \(Self.file):7:3: syntax error at or near "SELEC"
              statement 2 (line 7): SELEC 1;
            """)
        #expect(error.hint == "fix the SQL and run again; nothing was run")
    }

    @Test("an error inside a long statement shows where it starts and the failing line")
    func errorInsideStatement() throws {
        let sql = """
            CREATE TABLE ok (id int);
            CREATE TABLE wells (
                id int,
                name text FORM x
            );
            """
        let error = try #require(Self.failure(sql, firstLine: 2))
        #expect(error.message == """
            \(Self.file):5:15: syntax error at or near "FORM"
              statement 2 (line 3): CREATE TABLE wells (
              line 5: name text FORM x
            """)
    }

    @Test("semicolons in literals, bodies and comments do not mislead the statement search")
    func statementSearchSkipsFalseSemicolons() throws {
        let sql = """
            SELECT 'a;b', "c;d", $$e;f$$, E'g\\';h';
            CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;
            CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2);
            SELECT 1 -- x; y
              /* z; */ , 2 FROM FROM t;
            """
        let error = try #require(Self.failure(sql))
        #expect(error.message.hasPrefix("\(Self.file):5:21: syntax error at or near \"FROM\""))
        #expect(error.message.contains("statement 4 (line 4): SELECT 1 -- x; y"))
        #expect(error.message.contains("line 5: /* z; */ , 2 FROM FROM t;"))
    }

    @Test("statements on one line: the failing one is quoted from its first token")
    func sameLine() throws {
        let error = try #require(Self.failure("SELECT 1; /* c */ SELEC 2; SELECT 3;"))
        #expect(error.message == "\(Self.file):1:19: syntax error at or near \"SELEC\"\n  statement 2 (line 1): SELEC 2; SELECT 3;")
    }

    @Test("columns count characters, not bytes")
    func unicodeColumns() throws {
        let error = try #require(Self.failure("SELECT 'é🐘', 1 FROM FROM t;"))
        #expect(error.message.hasPrefix("\(Self.file):1:21: syntax error at or near \"FROM\""))
    }

    @Test("CRLF and CR line breaks count once each")
    func lineBreaks() throws {
        let error = try #require(Self.failure("SELECT 1;\r\nSELECT 2;\rSELEC 3;"))
        #expect(error.message.hasPrefix("\(Self.file):3:1: "))
        #expect(error.message.contains("statement 3 (line 3): SELEC 3;"))
    }

    @Test("unterminated literals and comments", arguments: [
        ("SELECT 1;\nSELECT 'abc", "3:8", "unterminated quoted string"),
        ("SELECT 1;\nSELECT $$abc", "3:8", "unterminated dollar-quoted string"),
        ("SELECT 1;\nSELECT 1 /* abc", "3:10", "unterminated /* comment"),
        ("SELECT 1;\nSELECT \"abc", "3:8", "unterminated quoted identifier"),
    ])
    func unterminated(sql: String, position: String, message: String) throws {
        let error = try #require(Self.failure(sql, firstLine: 2))
        #expect(error.message.hasPrefix("\(Self.file):\(position): \(message)"))
        #expect(error.message.contains("statement 2 (line 3): SELECT"))
    }

    @Test("an error at the end of input names the last statement")
    func endOfInput() throws {
        let error = try #require(Self.failure("SELECT 1;\nCREATE TABLE t (id int"))
        #expect(error.message.hasPrefix("\(Self.file):2:23: syntax error at end of input"))
        #expect(error.message.contains("statement 2 (line 2): CREATE TABLE t (id int"))
    }

    @Test("past too many candidate boundaries, the error line is quoted alone")
    func statementSearchGivesUp() throws {
        let body = String(repeating: "SELECT 1;\n", count: 450)
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n\(body)SELEC 2;\nEND;\n"
        let error = try #require(Self.failure(sql))
        #expect(error.message == "\(Self.file):453:1: syntax error at or near \"SELEC\"\n  line 453: SELEC 2;")
    }

    @Test("explicit pieces: positions and statement numbers count earlier pieces")
    func explicitPieces() throws {
        let sql = "CREATE TABLE a (id int);\n--> statement-breakpoint\nCREATE TABLE b (id int); SELEC 1;\n"
        let pieces = ["CREATE TABLE a (id int);", "CREATE TABLE b (id int); SELEC 1;"]
        let error = try #require(Self.failure(sql, firstLine: 10, explicit: pieces))
        #expect(error.message.hasPrefix("\(Self.file):12:26: syntax error at or near \"SELEC\""))
        #expect(error.message.contains("statement 3 (line 12): SELEC 1;"))
    }

    @Test("explicit pieces that hold several statements yield each, placed in the file")
    func explicitPiecePositions() throws {
        let sql = "CREATE TABLE a (id int);\n--> statement-breakpoint\nCREATE TABLE b (id int); CREATE INDEX b_id ON b (id);"
        let statements = try StatementAnalyzer.statements(of: MigrationScript(
            sql: sql, file: Self.file, firstLine: 4,
            explicitStatements: ["CREATE TABLE a (id int);", "\nCREATE TABLE b (id int); CREATE INDEX b_id ON b (id);"]))
        #expect(statements.map(\.sql) == ["CREATE TABLE a (id int)", "CREATE TABLE b (id int)", "CREATE INDEX b_id ON b (id)"])
        #expect(statements.map(\.index) == [1, 2, 3])
        #expect(statements.map(\.line) == [4, 6, 6])
        #expect(statements.map(\.column) == [1, 1, 26])
        #expect(statements.map(\.kind) == ["CreateStmt", "CreateStmt", "IndexStmt"])
    }

    @Test("empty and comment-only scripts have no statements")
    func empty() throws {
        for sql in ["", "\n\n", "-- nothing\n/* at all; */\n;;"] {
            #expect(try StatementAnalyzer.statements(of: MigrationScript(sql: sql, file: Self.file, firstLine: 3)).isEmpty)
        }
    }

    // MARK: - psql meta-commands

    @Test("psql meta-commands are refused, naming the command", arguments: [
        ("\\c other_db\nCREATE TABLE t (id int);", "1:1", "\\c", "connection settings"),
        ("SELECT 1;\n\\connect other_db\n", "2:1", "\\connect", "connection settings"),
        ("CREATE TABLE t (id int);\n  \\set ON_ERROR_STOP on\nSELECT 1;", "2:3", "\\set", "substitutes no variables"),
        ("CREATE TABLE t (id int)\n\\i other.sql\n", "2:1", "\\i", "included SQL"),
        ("\\ir ../shared.sql", "1:1", "\\ir", "included SQL"),
        ("SELECT 1 AS n \\gset\nSELECT 2;", "1:15", "\\gset", "substitutes no variables"),
        ("\\copy t FROM 'rows.csv' csv", "1:1", "\\copy", "INSERT"),
        ("\\timing on\nSELECT 1;", "1:1", "\\timing", "psql commands are client-side"),
        ("\\! rm -rf /tmp/x", "1:1", "\\!", "psql commands are client-side"),
    ])
    func metaCommands(sql: String, position: String, name: String, hint: String) throws {
        let error = try #require(Self.failure(sql, firstLine: 1))
        #expect(error.message.hasPrefix("\(Self.file):\(position): \(name) is a psql meta-command"))
        #expect(error.message.contains("Tenantry sends the migration's SQL to the server"))
        #expect(error.hint?.contains(hint) == true, "\(error.hint ?? "")")
    }

    @Test("meta-command lines are reported in file terms")
    func metaCommandFileLine() throws {
        let error = try #require(Self.failure("CREATE TABLE t (id int);\n\n\\c app\n", firstLine: 41))
        #expect(error.message.hasPrefix("\(Self.file):43:1: \\c is a psql meta-command"))
    }

    @Test("backslashes inside literals, quoted identifiers and comments are no meta-commands")
    func backslashesInLiterals() throws {
        let sql = """
            SELECT '
            \\c not_a_command';
            SELECT $$
            \\set x 1
            $$, E'\\\\i', "\\gset";
            -- \\connect db
            /*
            \\i file.sql
            */
            SELECT 1;
            """
        let statements = try StatementAnalyzer.statements(of: MigrationScript(sql: sql, file: Self.file, firstLine: 1))
        #expect(statements.count == 3)
    }

    // MARK: - COPY with inline data

    @Test("rows after COPY FROM STDIN are reported as inline COPY data")
    func inlineCopyData() throws {
        let sql = "CREATE TABLE t (id int, name text);\nCOPY t (id, name) FROM stdin;\n1\tnorth\n2\tsouth\n\\.\nSELECT 1;\n"
        let error = try #require(Self.failure(sql, firstLine: 3))
        #expect(error.message.hasPrefix("\(Self.file):5: rows of COPY ... FROM STDIN (statement 2, line 4) follow it"))
        #expect(error.hint?.contains("INSERT") == true)
    }

    @Test("COPY FROM STDIN followed at once by the end-of-data line")
    func inlineCopyEndMarker() throws {
        let error = try #require(Self.failure("COPY t FROM STDIN;\n\\.\n"))
        #expect(error.message.hasPrefix("\(Self.file):2: rows of COPY ... FROM STDIN (statement 1, line 1)"))
    }

    @Test("a syntax error after a COPY FROM STDIN further down is an ordinary syntax error")
    func copyThenLaterError() throws {
        let error = try #require(Self.failure("COPY t FROM STDIN;\nSELECT 1,\n  FROM t;"))
        #expect(error.message.hasPrefix("\(Self.file):3:3: syntax error at or near \"FROM\""))
        #expect(error.message.contains("statement 2 (line 2): SELECT 1,"))
    }
}
