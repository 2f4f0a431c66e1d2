import CPgQuery

extension PgQuery {
    /// The libpg_query fingerprint of a SQL script as a hexadecimal string.
    ///
    /// Statements that differ only in constants, whitespace, comments or
    /// keyword case share a fingerprint, so it identifies a query's shape.
    ///
    /// - Throws: ``PgQueryError`` if the script does not parse.
    public static func fingerprint(_ sql: String) throws(PgQueryError) -> String {
        let source = SourceText(sql)
        let result = try withCString(source) { pg_query_fingerprint($0) }
        defer { pg_query_free_fingerprint_result(result) }
        try check(result.error, in: source)
        guard let fingerprint = result.fingerprint_str else {
            throw PgQueryError(message: "libpg_query returned no fingerprint")
        }
        return String(cString: fingerprint)
    }
}
