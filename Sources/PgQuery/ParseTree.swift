/// PostgreSQL's raw parse tree of a SQL script, from ``PgQuery/parse(_:)``.
///
/// The tree is libpg_query's JSON, kept verbatim in ``json`` and decoded into
/// ``JSONValue``s for inspection.
public struct ParseTree: Sendable, Equatable {
    /// libpg_query's JSON output, e.g. `{"version":150001,"stmts":[...]}`.
    public let json: String
    /// Each statement's node, e.g. `{"IndexStmt": {"concurrent": true, ...}}`.
    public let statements: [JSONValue]
    /// Where each element of ``statements`` lies in the input.
    public let spans: [Span]

    /// The node name of each statement, e.g. `["CreateStmt", "IndexStmt"]`.
    public var statementKinds: [String] {
        statements.map { $0.nodeName ?? "" }
    }

    /// Decodes libpg_query's JSON for an input of `inputLength` UTF-8 bytes.
    init(json: String, inputLength: Int) throws(PgQueryError) {
        let root: JSONValue
        do {
            root = try JSONValue(json: json)
        } catch {
            throw PgQueryError(message: "libpg_query returned unreadable JSON: \(error)")
        }
        // libpg_query writes "stmts" even for empty input; nil means the
        // format changed, which must not pass as "no statements".
        guard let rawStatements = root["stmts"]?.arrayValue else {
            throw PgQueryError(message: "libpg_query JSON has no \"stmts\" array")
        }
        self.json = json
        self.statements = rawStatements.map { $0["stmt"] ?? .null }
        self.spans = rawStatements.map { Span(rawStatement: $0, inputLength: inputLength) }
    }
}
