import CPgQuery

extension PgQuery {
    /// Splits a SQL script into its statements using PostgreSQL's parser, so
    /// dollar quotes, `E''` strings, nested comments, `BEGIN ATOMIC` bodies
    /// and quoted identifiers containing semicolons are all handled.
    ///
    /// Empty statements (only whitespace, comments or stray semicolons) are
    /// left out. See ``SQLStatement`` for exactly which text is returned.
    ///
    /// - Throws: ``PgQueryError`` if any statement fails to parse.
    public static func split(_ sql: String) throws(PgQueryError) -> [SQLStatement] {
        let source = SourceText(sql)
        let result = try withCString(source) { pg_query_split_with_parser($0) }
        defer { pg_query_free_split_result(result) }
        try check(result.error, in: source)

        var statements: [SQLStatement] = []
        for index in 0..<Int(result.n_stmts) {
            guard let raw = result.stmts[index]?.pointee else { continue }
            let start = Int(raw.stmt_location)
            // A length of 0 means "to the end of the input".
            let end = raw.stmt_len == 0 ? source.bytes.count : start + Int(raw.stmt_len)
            let range = source.trimmingTrivia(start..<end)
            guard !range.isEmpty else { continue }
            let position = source.lineAndColumn(atByte: range.lowerBound)
            statements.append(SQLStatement(
                text: source.text(range), location: range.lowerBound, length: range.count,
                line: position.line, column: position.column))
        }
        return statements
    }
}
