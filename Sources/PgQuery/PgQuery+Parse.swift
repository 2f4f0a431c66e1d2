import CPgQuery

extension PgQuery {
    /// Parses a SQL script into PostgreSQL's raw parse tree.
    ///
    /// - Throws: ``PgQueryError`` if the script does not parse.
    public static func parse(_ sql: String) throws(PgQueryError) -> ParseTree {
        let source = SourceText(sql)
        let result = try withCString(source) { pg_query_parse($0) }
        defer { pg_query_free_parse_result(result) }
        try check(result.error, in: source)
        guard let tree = result.parse_tree else {
            throw PgQueryError(message: "libpg_query returned no parse tree")
        }
        return try ParseTree(json: String(cString: tree), inputLength: source.bytes.count)
    }
}
