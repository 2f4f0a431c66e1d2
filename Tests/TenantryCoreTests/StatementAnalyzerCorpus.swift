import Foundation
import Testing
import TenantryCore

/// The splitter corpus: `SplitterCorpus/NAME.sql`, each with `NAME.expected` beside it holding the statements
/// psql sends for it (trimmed, without the semicolon, leading comments dropped), separated by `-- ====` lines.
///
/// The expectations were written from psql's own split (`psql -L`), whose lexer shares no code with
/// libpg_query; `SplitterCorpusPsqlTests` checks them against a live psql as well.
struct SplitterCorpusFile: Sendable, CustomTestStringConvertible {
    let name: String
    let sql: String
    let expected: [String]

    var testDescription: String { name }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("SplitterCorpus")

    static let all: [SplitterCorpusFile] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".sql") }.sorted().map(load)
    }()

    static func named(_ prefix: String) -> SplitterCorpusFile? {
        all.first { $0.name.hasPrefix(prefix) }
    }

    private static func load(_ file: String) -> SplitterCorpusFile {
        let sqlURL = folder.appendingPathComponent(file)
        let expectedURL = sqlURL.deletingPathExtension().appendingPathExtension("expected")
        let sql = (try? String(contentsOf: sqlURL, encoding: .utf8)) ?? ""
        let expected = (try? String(contentsOf: expectedURL, encoding: .utf8)).map(parseExpected) ?? []
        return SplitterCorpusFile(name: file, sql: sql, expected: expected)
    }

    /// Statements separated by a line `-- ====`; a CRLF file's expectations use CRLF throughout.
    static func parseExpected(_ text: String) -> [String] {
        let marker = "\u{1F}"
        var text = text.replacingOccurrences(of: "\r\n-- ====\r\n", with: marker)
            .replacingOccurrences(of: "\n-- ====\n", with: marker)
        // "\r\n" is one Character in Swift.
        if text.last == "\n" || text.last == "\r\n" { text.removeLast() }
        return text.isEmpty ? [] : text.components(separatedBy: marker)
    }

    func script(firstLine: Int = 1, transactional: Bool = true) -> MigrationScript {
        MigrationScript(sql: sql, file: "corpus/\(name)", firstLine: firstLine,
                        directives: MigrationDirectives(transactional: transactional))
    }
}

/// The text of `source` from a 1-based line and column (Unicode scalars), counting "\r\n", "\n" and "\r" as
/// line breaks the way PostgreSQL's parser does: an independent check of reported positions.
func textFrom(line: Int, column: Int, in source: String) -> Substring? {
    let scalars = source.unicodeScalars
    var currentLine = 1
    var index = scalars.startIndex
    while currentLine < line {
        guard index < scalars.endIndex else { return nil }
        let scalar = scalars[index]
        index = scalars.index(after: index)
        if scalar == "\n" || (scalar == "\r" && (index == scalars.endIndex || scalars[index] != "\n")) {
            currentLine += 1
        }
    }
    guard let start = scalars.index(index, offsetBy: column - 1, limitedBy: scalars.endIndex) else { return nil }
    return source[start...]
}
