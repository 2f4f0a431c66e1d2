import PgQuery

/// Finds the statement a parse error is in, without a SQL lexer of our own.
///
/// The statement starts after the nearest `;` before the error that really ends a statement. A `;` inside a
/// literal, dollar quote, block comment, `BEGIN ATOMIC` body or parentheses leaves the text before it
/// unparseable; one inside a `--` comment swallows a statement put right after it on the same line. So the
/// first candidate (walking back) after which the text parses *and* a probe statement starts where it was put
/// is the boundary, and the statements before it come with it.
enum EnclosingStatement {
    /// The first token of the enclosing statement, and the complete statements before it.
    struct Location {
        var start: String.Index
        var previous: [SQLStatement]
    }

    /// Each try parses the text up to the candidate; past this many, give up rather than stall on a long body.
    static let maximumTries = 400

    /// Nil only when `maximumTries` candidates failed.
    static func locate(errorAt errorIndex: String.Index, in sql: String) -> Location? {
        let scalars = sql.unicodeScalars
        var end = errorIndex
        for _ in 0..<maximumTries {
            guard let semicolon = scalars[..<end].lastIndex(of: ";") else {
                return Location(start: firstToken(from: scalars.startIndex, before: errorIndex, in: sql), previous: [])
            }
            end = semicolon
            let after = scalars.index(after: semicolon)
            let prefix = String(sql[..<after])
            if let statements = try? PgQuery.split(prefix + " SELECT 1"),
               statements.last?.location == prefix.utf8.count + 1 {
                return Location(start: firstToken(from: after, before: errorIndex, in: sql),
                                previous: Array(statements.dropLast()))
            }
        }
        return nil
    }

    /// Skips whitespace and comments (block comments nest in PostgreSQL), never past the error itself.
    static func firstToken(from start: String.Index, before limit: String.Index, in sql: String) -> String.Index {
        let scalars = sql.unicodeScalars
        func pair(at index: String.Index) -> (Unicode.Scalar, Unicode.Scalar?) {
            let next = scalars.index(after: index)
            return (scalars[index], next < scalars.endIndex ? scalars[next] : nil)
        }
        var index = start
        while index < limit {
            switch pair(at: index) {
            case (" ", _), ("\t", _), ("\n", _), ("\r", _), ("\u{0C}", _):
                index = scalars.index(after: index)
            case ("-", "-"):
                index = scalars[index...].firstIndex { $0 == "\n" || $0 == "\r" } ?? scalars.endIndex
            case ("/", "*"):
                var depth = 0
                repeat {
                    switch pair(at: index) {
                    case ("/", "*"):
                        depth += 1
                        index = scalars.index(index, offsetBy: 2)
                    case ("*", "/"):
                        depth -= 1
                        index = scalars.index(index, offsetBy: 2)
                    default:
                        index = scalars.index(after: index)
                    }
                } while depth > 0 && index < scalars.endIndex
            default:
                return index
            }
        }
        return min(index, limit)
    }
}
