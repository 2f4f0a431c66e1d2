import PgQuery
import Testing

@Suite("PgQuery.parse")
struct ParseTests {
    @Test("names each statement's top-level node", arguments: [
        ("CREATE TABLE users (id int)", ["CreateStmt"]),
        ("CREATE INDEX CONCURRENTLY users_id ON users (id)", ["IndexStmt"]),
        (
            "CREATE TABLE t (id int); CREATE INDEX i ON t (id);\nALTER TABLE t ADD COLUMN x int",
            ["CreateStmt", "IndexStmt", "AlterTableStmt"]
        ),
        ("-- nothing but a comment", []),
    ])
    func statementKinds(sql: String, kinds: [String]) throws {
        #expect(try PgQuery.parse(sql).statementKinds == kinds)
    }

    @Test("exposes IndexStmt.concurrent, which libpg_query omits when false", arguments: [
        ("CREATE INDEX CONCURRENTLY users_id ON users (id)", true as JSONValue?),
        ("CREATE INDEX users_id ON users (id)", nil),
    ])
    func concurrentFlag(sql: String, concurrent: JSONValue?) throws {
        let tree = try PgQuery.parse(sql)
        let index = try #require(tree.statements.first?["IndexStmt"])
        #expect(index["concurrent"] == concurrent)
        #expect(index["idxname"] == "users_id")
    }

    @Test("reaches nested nodes through subscripts")
    func nestedNodes() throws {
        let tree = try PgQuery.parse("CREATE TABLE app.users (id bigint, name text)")
        let create = try #require(tree.statements.first?["CreateStmt"])
        #expect(create["relation"]?["schemaname"] == "app")
        #expect(create["relation"]?["relname"] == "users")
        let columns = create["tableElts"]?.arrayValue?.compactMap { $0["ColumnDef"]?["colname"] }
        #expect(columns == ["id", "name"])
    }

    @Test("keeps JSON booleans apart from the numbers 0 and 1")
    func booleansAndNumbers() throws {
        let tree = try PgQuery.parse("SELECT 1 FROM t")
        let select = try #require(tree.statements.first?["SelectStmt"])
        let constant = select["targetList"]?[0]?["ResTarget"]?["val"]?["A_Const"]
        #expect(constant?["ival"]?["ival"] == .number(1))
        #expect(constant?["ival"]?["ival"]?.intValue == 1)
        #expect(select["fromClause"]?[0]?["RangeVar"]?["inh"] == .bool(true))
    }

    @Test("resolves omitted stmt_location and stmt_len", arguments: [
        ("SELECT 1; SELECT 22", [ParseTree.Span(location: 0, length: 8), .init(location: 9, length: 10)]),
        ("-- é\nSELECT 1", [.init(location: 0, length: 14)]),
        ("SELECT 1;\nSELECT 2;\n", [.init(location: 0, length: 8), .init(location: 9, length: 9)]),
    ])
    func spans(sql: String, spans: [ParseTree.Span]) throws {
        #expect(try PgQuery.parse(sql).spans == spans)
    }

    @Test("keeps libpg_query's JSON verbatim")
    func json() throws {
        let tree = try PgQuery.parse("SELECT 1")
        #expect(tree.json.hasPrefix(#"{"version":150001,"stmts":[{"stmt":{"SelectStmt":"#))
    }
}

@Suite struct ScanTests {
    @Test func tokensCarryByteRangesAndKnowStringsAndComments() throws {
        let sql = "SELECT 'é.x' /* public.a */, public.b -- c\n"
        let tokens = try PgQuery.scan(sql)
        let bytes = Array(sql.utf8)
        let texts = tokens.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
        #expect(texts == ["SELECT", "'é.x'", "/* public.a */", ",", "public", ".", "b", "-- c"])
        #expect(tokens[1].kind == ScanToken.string)
        #expect(tokens[2].kind == ScanToken.blockComment)
        #expect(tokens[4].kind == ScanToken.identifier)
        #expect(tokens[0].keywordKind != 0)
    }

    @Test func anUnterminatedQuoteIsAnError() {
        #expect(throws: PgQueryError.self) { try PgQuery.scan("SELECT 'open") }
    }
}
