import CPgQuery

/// Entry points to PostgreSQL's own parser, via libpg_query 15.
///
/// All functions are safe to call from any thread or task: libpg_query 15
/// keeps its memory contexts thread-local, and this wrapper has no shared
/// state. Every libpg_query result is freed before the function returns.
public enum PgQuery {
    /// Runs `body` with `source` as a C string, refusing inputs with a NUL
    /// byte: libpg_query would silently ignore everything after it.
    static func withCString<Result>(
        _ source: SourceText, _ body: (UnsafePointer<CChar>) -> Result
    ) throws(PgQueryError) -> Result {
        if let nul = source.bytes.firstIndex(of: 0) {
            throw PgQueryError(
                message: "SQL text contains a NUL character",
                cursorPosition: source.scalarCount(before: nul) + 1, in: source)
        }
        return source.string.withCString(body)
    }

    /// Converts libpg_query's error, if any, into a thrown ``PgQueryError``.
    static func check(
        _ error: UnsafeMutablePointer<CPgQuery.PgQueryError>?, in source: SourceText
    ) throws(PgQueryError) {
        guard let error else { return }
        let message = error.pointee.message.map { String(cString: $0) } ?? "unknown libpg_query error"
        throw PgQueryError(
            message: message, cursorPosition: Int(error.pointee.cursorpos), in: source)
    }
}
