/// One statement cut out of a SQL script by ``PgQuery/split(_:)``.
///
/// The statement starts at its first token: leading whitespace and comments
/// (which libpg_query counts as part of the statement) are skipped, so that
/// `line`/`column` point at the keyword a reader would look for. It ends before
/// the terminating semicolon, with trailing whitespace removed. A comment that
/// follows the last token of an unterminated final statement is kept, because
/// finding its start would need a full SQL lexer and executing it is harmless.
public struct SQLStatement: Sendable, Equatable {
    /// The statement's source text, without the terminating semicolon.
    public var text: String
    /// Offset of the first byte of `text` in the UTF-8 encoding of the source.
    public var location: Int
    /// Length of `text` in UTF-8 bytes.
    public var length: Int
    /// 1-based line of the statement's first token.
    public var line: Int
    /// 1-based column of the statement's first token, counted in Unicode
    /// scalars (the unit PostgreSQL uses for its own error positions).
    public var column: Int

    /// Creates a statement from already computed source coordinates.
    public init(text: String, location: Int, length: Int, line: Int, column: Int) {
        self.text = text
        self.location = location
        self.length = length
        self.line = line
        self.column = column
    }
}
