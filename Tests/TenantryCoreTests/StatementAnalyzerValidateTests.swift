import Testing
import TenantryCore

@Suite("StatementAnalyzer.validate")
struct StatementAnalyzerValidateTests {
    static func script(_ sql: String, transactional: Bool = true, firstLine: Int = 1) -> MigrationScript {
        MigrationScript(sql: sql, file: "db/migrations/20250101000000_x.sql", firstLine: firstLine,
                        directives: MigrationDirectives(transactional: transactional))
    }

    /// The error `validate` throws for `sql`, or nil.
    static func problem(_ sql: String, transactional: Bool = true, firstLine: Int = 1) throws -> TenantryError? {
        let script = script(sql, transactional: transactional, firstLine: firstLine)
        let statements = try StatementAnalyzer.statements(of: script)
        do {
            try StatementAnalyzer.validate(statements, script: script)
            return nil
        } catch {
            return error
        }
    }

    @Test("a transactional file refusing statement names file, line, statement and the fix")
    func refusedInTransaction() throws {
        let sql = """
            CREATE TABLE t (id int, v int);

            CREATE INDEX CONCURRENTLY t_v ON t (v);
            VACUUM t;
            """
        let error = try #require(try Self.problem(sql, firstLine: 4))
        #expect(error.kind == .failed)
        #expect(error.message.hasPrefix("db/migrations/20250101000000_x.sql:6: CREATE INDEX CONCURRENTLY cannot run inside a transaction block"))
        #expect(error.message.contains("statement 2: CREATE INDEX CONCURRENTLY t_v ON t (v)"))
        #expect(error.message.contains("also refused in a transaction: line 7 (VACUUM)"))
        #expect(error.hint == "add `-- tenantry:no-transaction` before `-- migrate:up`, and keep that file to statements that may run outside a transaction")
    }

    @Test("a no-transaction file may hold them")
    func allowedWithoutTransaction() throws {
        let sql = "CREATE INDEX CONCURRENTLY t_v ON t (v);\nDROP INDEX CONCURRENTLY old;\nVACUUM t;\nREINDEX SCHEMA s"
        #expect(try Self.problem(sql, transactional: false) == nil)
    }

    @Test("COPY TO STDOUT is refused: its rows would stream to a client that has nowhere to put them")
    func copyToStdoutIsRefused() throws {
        let error = try #require(try Self.problem("CREATE TABLE t (id int);\nCOPY t TO STDOUT"))
        #expect(error.message.hasSuffix(":2: COPY ... TO STDOUT (statement 2) streams rows to the client, and a migration has nowhere to put them"))
        #expect(error.hint == "remove it, or COPY ... TO a file on the server")
    }

    @Test("a no-transaction file refuses statements that only work inside a transaction", arguments: [
        ("LOCK TABLE t IN ACCESS EXCLUSIVE MODE", "LOCK TABLE"),
        ("DECLARE c CURSOR FOR SELECT 1", "DECLARE CURSOR"),
        ("SET LOCAL lock_timeout = '1s'", "SET LOCAL"),
    ])
    func transactionOnlyStatementsInNoTransactionFile(sql: String, what: String) throws {
        let error = try #require(try Self.problem("CREATE TABLE t (id int);\n" + sql, transactional: false))
        #expect(error.message.hasSuffix(":2: \(what) (statement 2) only works inside a transaction block, and this file has -- tenantry:no-transaction, so each statement commits on its own"))
        #expect(try Self.problem("CREATE TABLE t (id int);\n" + sql) == nil, "fine in a transactional file")
        #expect(try Self.problem("SET lock_timeout = '1s'", transactional: false) == nil, "session SET is fine")
    }

    @Test("statements that may run in a transaction pass")
    func plainFilePasses() throws {
        let sql = "CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\nANALYZE t;\nREINDEX TABLE t;\nCOPY t FROM '/srv/t.csv'"
        #expect(try Self.problem(sql) == nil)
        #expect(try Self.problem(sql, transactional: false) == nil)
        #expect(try Self.problem("") == nil)
    }

    @Test("transaction control is refused in a transactional file", arguments: [
        ("BEGIN", "BEGIN"), ("BEGIN ISOLATION LEVEL SERIALIZABLE", "BEGIN"), ("START TRANSACTION", "START TRANSACTION"),
        ("COMMIT", "COMMIT"), ("END", "COMMIT"), ("ROLLBACK", "ROLLBACK"), ("ABORT", "ROLLBACK"),
        ("SAVEPOINT a", "SAVEPOINT"), ("RELEASE SAVEPOINT a", "RELEASE SAVEPOINT"), ("ROLLBACK TO a", "ROLLBACK TO SAVEPOINT"),
        ("PREPARE TRANSACTION 'x'", "PREPARE TRANSACTION"), ("COMMIT PREPARED 'x'", "COMMIT PREPARED"),
    ])
    func transactionControl(sql: String, name: String) throws {
        let error = try #require(try Self.problem("CREATE TABLE t (id int);\n\(sql);\nSELECT 1;", firstLine: 20))
        #expect(error.message.hasPrefix("db/migrations/20250101000000_x.sql:21: \(name) (statement 2) controls the transaction"))
        #expect(error.message.contains("already runs this migration in a transaction of its own"))
        #expect(error.hint?.contains(sql.contains("ISOLATION") ? "SET TRANSACTION" : "remove it") == true)
    }

    /// A file wrapped in its own BEGIN … COMMIT, as many golang-migrate, Drizzle and Prisma files are.
    @Test("a plain outer BEGIN/COMMIT pair is dropped: Tenantry's transaction takes its place", arguments: [
        "BEGIN;\nCREATE TABLE t (id int);\nCREATE INDEX t_i ON t (id);\nCOMMIT;", "START TRANSACTION;\nCREATE TABLE t (id int);\nCREATE INDEX t_i ON t (id);\nEND;",
    ])
    func outerPairIsDropped(sql: String) throws {
        let script = MigrationScript(sql: sql, file: "1_x.up.sql", firstLine: 1)
        let statements = try StatementAnalyzer.statements(of: script)
        #expect(statements.map(\.kind) == ["CreateStmt", "IndexStmt"])
        #expect(statements.map(\.index) == [1, 2] && statements.map(\.line) == [2, 3])
        try StatementAnalyzer.validate(statements, script: script)
        var noTransaction = script
        noTransaction.directives.transactional = false
        #expect(try StatementAnalyzer.statements(of: noTransaction).count == 4, "kept (and refused) in a no-transaction file")
    }

    @Test("BEGIN … COMMIT groups between other statements: no Tenantry transaction, each group one unit")
    func transactionGroups() throws {
        let sql = "CREATE TABLE t (id int);\nBEGIN;\nINSERT INTO t VALUES (1);\nLOCK TABLE t;\nCOMMIT;\nCREATE INDEX CONCURRENTLY t_i ON t (id);\n"
        let catalog = try CatalogFixture.load(["1_t.up.sql": sql])
        let script = catalog.migrations[0].up
        #expect(!script.directives.transactional && script.directives.transactionGroups)
        let statements = try StatementAnalyzer.statements(of: script)
        #expect(TransactionControl.groups(statements) == [1...4])
        try StatementAnalyzer.validate(statements, script: script)
        // Savepoints inside a group, and a BEGIN with modes, belong to the group; a ROLLBACK is not a group.
        let savepoint = try CatalogFixture.load(["1_t.up.sql": "CREATE TABLE t (id int);\nBEGIN ISOLATION LEVEL SERIALIZABLE;\nSAVEPOINT a;\nRELEASE a;\nCOMMIT;\nSELECT 1;"]).migrations[0].up
        #expect(!savepoint.directives.transactional && savepoint.directives.transactionGroups)
        try StatementAnalyzer.validate(try StatementAnalyzer.statements(of: savepoint), script: savepoint)
        let rollback = try CatalogFixture.load(["1_t.up.sql": "CREATE TABLE t (id int);\nBEGIN;\nSELECT 1;\nROLLBACK;\nSELECT 1;"]).migrations[0].up
        #expect(rollback.directives.transactional && !rollback.directives.transactionGroups)
        let outside = try CatalogFixture.load(["1_t.up.sql": "CREATE TABLE t (id int);\nSAVEPOINT a;\nBEGIN;\nSELECT 1;\nCOMMIT;"]).migrations[0].up
        #expect(outside.directives.transactional && !outside.directives.transactionGroups, "a savepoint outside a group")
        // A statement a transaction refuses may not sit inside a group.
        let inside = try CatalogFixture.load(["1_t.up.sql": "SELECT 1;\nBEGIN;\nCREATE INDEX CONCURRENTLY t_i ON t (id);\nCOMMIT;\nSELECT 2;"]).migrations[0].up
        #expect(throws: TenantryError.self) { try StatementAnalyzer.validate(try StatementAnalyzer.statements(of: inside), script: inside) }
    }

    @Test("an imported file of only CREATE INDEX CONCURRENTLY runs without a transaction; mixed, the hint is its format's")
    func importedConcurrentIndex() throws {
        let catalog = try CatalogFixture.load([
            "V1__t.sql": "CREATE TABLE t (id int);",
            "V2__index.sql": "CREATE INDEX CONCURRENTLY t_i ON t (id);",
        ])
        #expect(catalog.migrations.map(\.up.directives.transactional) == [true, false])
        let mixed = try CatalogFixture.load(["V1__mixed.sql": "CREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_i ON t (id);"])
        let script = mixed.migrations[0].up
        let error = try #require(throws: TenantryError.self) {
            try StatementAnalyzer.validate(try StatementAnalyzer.statements(of: script), script: script)
        }
        #expect(error.message.contains("CREATE INDEX CONCURRENTLY cannot run inside a transaction block"), "\(error.message)")
        #expect(error.hint?.contains("into a file of its own") == true && error.hint?.contains("migrate:up") == false)
    }

    @Test("transaction control is refused in a no-transaction file too, saying why")
    func transactionControlWithoutTransaction() throws {
        let error = try #require(try Self.problem("BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (v);\nCOMMIT;", transactional: false))
        #expect(error.message.hasPrefix("db/migrations/20250101000000_x.sql:1: BEGIN (statement 1) controls the transaction"))
        #expect(error.message.contains("no-transaction migration"))
        #expect(error.message.contains("records progress after each"))
        #expect(error.hint?.contains("separate migration") == true)
    }

    @Test("COPY FROM STDIN is refused: there is no data stream", arguments: [true, false])
    func copyFromStdin(transactional: Bool) throws {
        let error = try #require(try Self.problem(
            "CREATE TABLE t (id int);\nCOPY t (id) FROM STDIN WITH (FORMAT csv);", transactional: transactional))
        #expect(error.message.hasPrefix("db/migrations/20250101000000_x.sql:2: COPY ... FROM STDIN (statement 2)"))
        #expect(error.message.contains("no data stream"))
        #expect(error.hint?.contains("INSERT") == true)
    }

    @Test("the first problem in statement order is reported")
    func firstProblemFirst() throws {
        let refusal = try #require(try Self.problem("VACUUM;\nBEGIN;\nCOPY t FROM STDIN;"))
        #expect(refusal.message.contains(":1: VACUUM cannot run inside a transaction block"))
        let control = try #require(try Self.problem("SELECT 1;\nBEGIN;\nVACUUM;"))
        #expect(control.message.contains(":2: BEGIN (statement 2)"))
        let copy = try #require(try Self.problem("COPY t FROM STDIN;\nVACUUM;", transactional: false))
        #expect(copy.message.contains(":1: COPY ... FROM STDIN"))
    }
}
