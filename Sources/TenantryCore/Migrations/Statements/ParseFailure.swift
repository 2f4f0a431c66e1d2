import PgQuery

/// Explains why PostgreSQL's parser rejected part of a script: a psql meta-command, inline `COPY` data, or a
/// syntax error, each with file, line and column and the statement it is in.
enum ParseFailure {
    /// - Parameters:
    ///   - piece: what was given to the parser, placed in the file.
    ///   - statementsBefore: statements of the script before `piece`, to number the failing one.
    static func describe(_ error: PgQueryError, in piece: ScriptPiece, file: String, statementsBefore: Int) -> TenantryError {
        guard error.cursorPosition > 0 else {
            return .failed("\(file):\(piece.line): \(error.message)", hint: hint)
        }
        let sql = piece.sql
        let errorIndex = TextPosition.index(ofScalar: error.cursorPosition, in: sql)
        let at = piece.filePosition(line: error.line, column: error.column)
        let enclosing = EnclosingStatement.locate(errorAt: errorIndex, in: sql)
        let index = statementsBefore + (enclosing?.previous.count ?? 0) + 1
        let start = enclosing.map { enclosing in
            let position = TextPosition.of(enclosing.start, in: sql)
            return piece.filePosition(line: position.line, column: position.column)
        }

        // Rows after `COPY ... FROM STDIN` (psql scripts, pg_dump output) fail on their first line.
        if let copy = enclosing?.previous.last, at.line == start?.line, CopyData.readsFromClient(copy.text) {
            let copyAt = piece.filePosition(line: copy.line, column: copy.column)
            return CopyData.inlineDataError(file: file, copyLine: copyAt.line, dataLine: at.line, index: index - 1)
        }
        // No SQL token starts with a backslash outside a literal or comment, so when the parser stops at one,
        // it is exactly where psql would have seen a meta-command. This lets PostgreSQL's own lexer tell
        // literals, dollar quotes and comments apart, where scanning lines would need a lexer of our own.
        if errorIndex < sql.unicodeScalars.endIndex, sql.unicodeScalars[errorIndex] == "\\" {
            return PsqlMetaCommand(at: errorIndex, in: sql).error(file: file, line: at.line, column: at.column)
        }
        var message = "\(file):\(at.line):\(at.column): \(error.message)"
        if let enclosing, let start {
            message += "\n  statement \(index) (line \(start.line)): " + SQLExcerpt.rest(from: enclosing.start, in: sql)
        }
        if at.line != start?.line {
            // Also when the statement could not be found (too many candidate boundaries): the line alone.
            message += "\n  line \(at.line): " + SQLExcerpt.line(at: errorIndex, in: sql)
        }
        return .failed(message, hint: hint)
    }

    private static let hint = "fix the SQL and run again; nothing was run"
}
