import Foundation

/// A stretch of a migration script that is split on its own (the whole script, or one explicit piece), with
/// where it starts in the migration file, so positions inside it can be reported in file terms.
struct ScriptPiece: Sendable, Equatable {
    var sql: String
    /// 1-based file line and column (in Unicode scalars) of the piece's first character.
    var line: Int
    var column: Int

    /// Converts a 1-based line and column inside the piece into file terms; only the piece's first line is
    /// shifted sideways.
    func filePosition(line: Int, column: Int) -> (line: Int, column: Int) {
        (self.line + line - 1, line == 1 ? self.column + column - 1 : column)
    }

    /// The pieces to split: the whole script, or its explicit statements located in it.
    static func pieces(of script: MigrationScript) -> [ScriptPiece] {
        guard let explicit = script.explicitStatements else {
            return [ScriptPiece(sql: script.sql, line: script.firstLine, column: 1)]
        }
        // Format readers cut the pieces out of `sql`, so each is found after the previous one. A piece that was
        // rewritten (not found) is placed where the search stands: positions stay close rather than wrong by a file.
        var cursor = script.sql.startIndex
        return explicit.map { text in
            let found = script.sql.range(of: text, options: .literal, range: cursor..<script.sql.endIndex)
            if let found { cursor = found.upperBound }
            let position = TextPosition.of(found?.lowerBound ?? cursor, in: script.sql)
            return ScriptPiece(sql: text, line: script.firstLine + position.line - 1, column: position.column)
        }
    }
}
