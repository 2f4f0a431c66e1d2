import Foundation
import Testing
import TenantryCore
import TenantryTestSupport

/// The splitter corpus (Tests/TenantryCoreTests/SplitterCorpus) against a real psql and server: psql must send
/// exactly the statements Tenantry splits, and running Tenantry's statements one by one must leave the same
/// schema as psql running the file.
@Suite("Splitter corpus round-trips through psql")
struct SplitterCorpusPsqlTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../TenantryCoreTests/SplitterCorpus").standardizedFileURL

    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
        return names.filter { $0.hasSuffix(".sql") }.sorted()
    }()

    @Test("the corpus is found")
    func corpusFound() {
        #expect(Self.files.count >= 40, "no corpus at \(Self.corpus.path)")
    }

    @Test(TestDatabase.required, arguments: files)
    func roundTrip(_ name: String) throws {
        let psql = try #require(ExternalProgram.locate("psql"), "psql is not on PATH")
        let pgDump = try #require(ExternalProgram.locate("pg_dump"), "pg_dump is not on PATH")
        let server = try TestDatabase.requireURL()
        let file = Self.corpus.appendingPathComponent(name).path
        let sql = try String(contentsOfFile: file, encoding: .utf8)
        let statements = try StatementAnalyzer.statements(of: MigrationScript(sql: sql, file: name, firstLine: 1))

        let viaPsql = TestDatabase.uniqueName("corpus_psql")
        let viaTenantry = TestDatabase.uniqueName("corpus_tenantry")
        defer {
            for database in [viaPsql, viaTenantry] {
                _ = try? Self.run(psql, ["-c", "DROP DATABASE IF EXISTS \(database) WITH (FORCE)", "-d", server])
            }
        }
        for database in [viaPsql, viaTenantry] {
            // template0: nobody connects to it, so concurrent creates never find the template busy.
            let created = try Self.run(psql, ["-c", "CREATE DATABASE \(database) TEMPLATE template0", "-d", server])
            try #require(created.status == 0, "\(created.stderr)")
        }

        // psql -e prints each query to stdout with nothing between queries, and a query may span lines, so
        // the boundaries come from the session log (-L), which frames every query; the echo must agree with it.
        let log = "\(NSTemporaryDirectory())/corpus-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let ran = try Self.run(psql, ["--echo-queries", "-o", "/dev/null", "-L", log, "-f", file,
                                      "-d", try Self.url(server, database: viaPsql)])
        try #require(ran.status == 0, "psql failed on \(name): \(ran.stderr)")
        let sent = Self.loggedQueries(try Data(contentsOf: URL(fileURLWithPath: log)))
        #expect(ran.stdout == sent.map { $0 + "\n" }.joined(), "psql's echo and its log disagree")
        #expect(sent.map(Self.normalized).filter { !$0.isEmpty } == statements.map(\.sql))

        // Tenantry's statements, each sent as one request in one session (several -c options, in order).
        let oneByOne = try Self.run(psql, ["-o", "/dev/null"] + statements.flatMap { ["-c", $0.sql] }
                                        + ["-d", try Self.url(server, database: viaTenantry)])
        try #require(oneByOne.status == 0, "Tenantry's statements failed: \(oneByOne.stderr)")

        let dumps = try [viaPsql, viaTenantry].map { database in
            let dump = try ExternalProgram.run(pgDump, ["--schema-only", "-d", try Self.url(server, database: database)],
                                               environment: Self.environment)
            try #require(dump.status == 0, "\(dump.stderr)")
            return Self.comparable(dump.stdout)
        }
        #expect(dumps[0] == dumps[1], "\(name): the schemas differ")
    }

    // MARK: - Helpers

    static let environment = ["PGCLIENTENCODING": "UTF8"]

    static func run(_ psql: String, _ arguments: [String]) throws -> ExternalProgram.Result {
        try ExternalProgram.run(psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1"] + arguments, environment: environment)
    }

    /// The server URL with its database swapped.
    static func url(_ server: String, database: String) throws -> String {
        var components = try #require(URLComponents(string: server), "not a URL: \(server)")
        components.path = "/" + database
        return try #require(components.string)
    }

    /// The queries psql wrote to its `-L` log, each framed as
    /// `********* QUERY **********\n<query>\n**************************\n\n`, read as bytes so CRLF inside a
    /// query stays as it was sent.
    static func loggedQueries(_ log: Data) -> [String] {
        let bytes = [UInt8](log)
        let start = Array("********* QUERY **********\n".utf8)
        let end = Array("\n**************************\n\n".utf8)
        var queries: [String] = []
        var position = 0
        while let open = bytes.firstRange(of: start, from: position),
              let close = bytes.firstRange(of: end, from: open.upperBound) {
            queries.append(String(decoding: bytes[open.upperBound..<close.lowerBound], as: UTF8.self))
            position = close.upperBound
        }
        return queries
    }

    /// A query as psql sent it, in the form Tenantry keeps: psql keeps block comments before the first token
    /// (it drops leading `--` comments) and the terminating semicolon; Tenantry drops both.
    static func normalized(_ query: String) -> String {
        let scalars = Array(query.unicodeScalars)
        let isSpace: (Unicode.Scalar) -> Bool = { [" ", "\t", "\n", "\r", "\u{0C}"].contains($0) }
        var index = 0
        func at(_ offset: Int, _ text: String) -> Bool {
            let wanted = Array(text.unicodeScalars)
            return offset + wanted.count <= scalars.count && Array(scalars[offset..<offset + wanted.count]) == wanted
        }
        while index < scalars.count {
            if isSpace(scalars[index]) {
                index += 1
            } else if at(index, "--") {
                while index < scalars.count, scalars[index] != "\n", scalars[index] != "\r" { index += 1 }
            } else if at(index, "/*") {
                var depth = 0
                repeat {
                    if at(index, "/*") { depth += 1; index += 2 }
                    else if at(index, "*/") { depth -= 1; index += 2 }
                    else { index += 1 }
                } while depth > 0 && index < scalars.count
            } else {
                break
            }
        }
        var rest = scalars[index...]
        while let last = rest.last, isSpace(last) { rest.removeLast() }
        if rest.last == ";" { rest.removeLast() }
        while let last = rest.last, isSpace(last) { rest.removeLast() }
        var text = ""
        text.unicodeScalars.append(contentsOf: rest)
        return text
    }

    /// pg_dump 15.14 and later frame the dump with `\restrict KEY` / `\unrestrict KEY`, a random key per run.
    static func comparable(_ dump: String) -> String {
        dump.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("\\restrict ") && !$0.hasPrefix("\\unrestrict ") }
            .joined(separator: "\n")
    }
}

extension Array where Element == UInt8 {
    /// The first occurrence of `pattern` at or after `start`.
    fileprivate func firstRange(of pattern: [UInt8], from start: Int) -> Range<Int>? {
        guard !pattern.isEmpty, count >= pattern.count, start <= count - pattern.count else { return nil }
        for offset in start...(count - pattern.count) where self[offset] == pattern[0] {
            if self[offset..<offset + pattern.count].elementsEqual(pattern) { return offset..<offset + pattern.count }
        }
        return nil
    }
}
