/// A failure reported by libpg_query, usually a syntax error, with its
/// position translated into line and column of the input.
public struct PgQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// PostgreSQL's message, e.g. `syntax error at or near "FROM"`.
    public var message: String
    /// 1-based position in Unicode scalars, exactly as libpg_query reports it;
    /// 0 if the error has no position.
    public var cursorPosition: Int
    /// 1-based line of `cursorPosition` in the input; 0 if unknown.
    public var line: Int
    /// 1-based column of `cursorPosition`, in Unicode scalars; 0 if unknown.
    public var column: Int

    /// Creates an error whose position is already resolved.
    public init(message: String, cursorPosition: Int = 0, line: Int = 0, column: Int = 0) {
        self.message = message
        self.cursorPosition = cursorPosition
        self.line = line
        self.column = column
    }

    /// The message followed by `(line L, column C)` when the position is known.
    public var description: String {
        guard line > 0 else { return message }
        return "\(message) (line \(line), column \(column))"
    }
}

extension PgQueryError {
    /// Resolves a libpg_query cursor position against the source it refers to.
    init(message: String, cursorPosition: Int, in source: SourceText) {
        guard cursorPosition > 0 else {
            self.init(message: message)
            return
        }
        let offset = source.byteOffset(ofScalar: cursorPosition)
        let position = source.lineAndColumn(atByte: offset)
        self.init(
            message: message, cursorPosition: cursorPosition,
            line: position.line, column: position.column)
    }
}
