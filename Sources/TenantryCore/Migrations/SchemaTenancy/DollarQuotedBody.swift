import PgQuery

/// The inside of a dollar-quoted string constant (`$$ … $$`, `$fn$ … $fn$`): a function's or a `DO` block's body,
/// lexed again so its names can be found where they are.
struct DollarQuotedBody {
    /// The body's UTF-8 bytes, and the tokens PostgreSQL's lexer finds in them.
    let bytes: [UInt8]
    let tokens: [ScanToken]
    /// Where `bytes` start in the statement.
    let offset: Int

    /// Nil for any token that is not a dollar-quoted string, or a body that does not lex.
    init?(_ token: ScanToken, in statement: [UInt8]) {
        guard token.kind == ScanToken.string, statement[token.start] == UInt8(ascii: "$"),
              let close = statement[(token.start + 1)..<token.end].firstIndex(of: UInt8(ascii: "$")) else { return nil }
        let tag = close - token.start + 1
        guard token.end - token.start >= 2 * tag else { return nil }
        let bytes = Array(statement[(token.start + tag)..<(token.end - tag)])
        guard let tokens = try? PgQuery.scan(String(decoding: bytes, as: UTF8.self)) else { return nil }
        self.bytes = bytes
        self.tokens = tokens
        self.offset = token.start + tag
    }
}
