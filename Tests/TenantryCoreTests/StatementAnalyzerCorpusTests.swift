import Foundation
import Testing
import TenantryCore

@Suite("StatementAnalyzer on the splitter corpus")
struct StatementAnalyzerCorpusTests {
    @Test("the corpus is there and large enough")
    func corpusPresent() {
        #expect(SplitterCorpusFile.all.count >= 40, "corpus folder: \(SplitterCorpusFile.folder.path)")
        for file in SplitterCorpusFile.all {
            #expect(!file.expected.isEmpty, "\(file.name) has no .expected beside it")
        }
    }

    @Test("splits each file into the statements psql sends", arguments: SplitterCorpusFile.all)
    func splitsLikePsql(_ file: SplitterCorpusFile) throws {
        let statements = try StatementAnalyzer.statements(of: file.script())
        #expect(statements.map(\.sql) == file.expected)
        #expect(statements.map(\.index) == Array(1..<statements.count + 1))
        #expect(statements.allSatisfy { !$0.kind.isEmpty && $0.kind.hasSuffix("Stmt") })
    }

    @Test("reports positions in file terms, shifted by firstLine", arguments: SplitterCorpusFile.all)
    func positionsPointAtTheStatement(_ file: SplitterCorpusFile) throws {
        let offset = 11
        let atTop = try StatementAnalyzer.statements(of: file.script())
        let lower = try StatementAnalyzer.statements(of: file.script(firstLine: offset + 1))
        for statement in atTop {
            let text = textFrom(line: statement.line, column: statement.column, in: file.sql)
            #expect(text?.hasPrefix(statement.sql) == true, "statement \(statement.index) not at \(statement.line):\(statement.column)")
        }
        #expect(lower.map(\.line) == atTop.map { $0.line + offset })
        #expect(lower.map(\.column) == atTop.map(\.column))
    }

    @Test("explicit statements give the same statements, in file terms", arguments: SplitterCorpusFile.all)
    func explicitPieces(_ file: SplitterCorpusFile) throws {
        var script = file.script(firstLine: 3)
        let parsed = try StatementAnalyzer.statements(of: script)
        script.explicitStatements = parsed.map(\.sql)
        let explicit = try StatementAnalyzer.statements(of: script)
        #expect(explicit == parsed)
    }

    @Test("only the outside-transaction file has statements refused in a transaction")
    func classificationAcrossTheCorpus() throws {
        for file in SplitterCorpusFile.all where !file.name.hasPrefix("27_") {
            let statements = try StatementAnalyzer.statements(of: file.script())
            #expect(statements.allSatisfy { $0.refusesTransaction == nil }, "\(file.name)")
            // 26_ splits fine but streams rows to the client, which validate refuses on purpose.
            if !file.name.hasPrefix("26_") { try StatementAnalyzer.validate(statements, script: file.script()) }
        }
        let file = try #require(SplitterCorpusFile.named("27_"))
        let statements = try StatementAnalyzer.statements(of: file.script())
        #expect(statements.map(\.refusesTransaction) == [
            nil, "CREATE INDEX CONCURRENTLY", "REINDEX CONCURRENTLY", "VACUUM", nil, "DROP INDEX CONCURRENTLY", nil, nil,
        ])
        #expect(statements.map(\.kind) == [
            "CreateStmt", "IndexStmt", "ReindexStmt", "VacuumStmt", "VacuumStmt", "DropStmt", "IndexStmt", "ReindexStmt",
        ])
        try StatementAnalyzer.validate(statements, script: file.script(transactional: false))
        #expect(throws: TenantryError.self) { try StatementAnalyzer.validate(statements, script: file.script()) }
    }

    @Test("the expectation format reads CRLF and LF files")
    func expectationFormat() {
        #expect(SplitterCorpusFile.parseExpected("a\n-- ====\nb\n") == ["a", "b"])
        #expect(SplitterCorpusFile.parseExpected("a\r\nx\r\n-- ====\r\nb\r\n") == ["a\r\nx", "b"])
        #expect(SplitterCorpusFile.parseExpected("") == [])
    }
}
