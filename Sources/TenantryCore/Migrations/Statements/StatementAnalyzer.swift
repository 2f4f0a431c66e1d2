import PgQuery

/// Turns a migration script into the statements Tenantry sends, with PostgreSQL's own parser, and checks them
/// against the way the script will run (in one transaction, or statement by statement).
///
/// Everything here happens before a connection is opened, so a bad file stops a run before anything executes.
public enum StatementAnalyzer {
    /// The statements of `script`, split and parsed by PostgreSQL's parser, in file coordinates.
    ///
    /// A transactional file wrapped in its own plain `BEGIN; … COMMIT;` (as many golang-migrate, Drizzle and Prisma
    /// files are) loses the pair: Tenantry's transaction, with the history row in it, takes its place.
    ///
    /// Each statement carries its parse-tree node name (`kind`) and, when PostgreSQL refuses to run it inside a
    /// transaction block, a description of why (`refusesTransaction`). With `script.explicitStatements`
    /// (Drizzle's `--> statement-breakpoint`), each piece is split on its own, so no statement crosses a
    /// breakpoint; a piece holding several statements yields several.
    ///
    /// - Throws: a syntax error with file, line, column, the statement it is in and PostgreSQL's message; a psql
    ///   meta-command (`\c`, `\set`, `\i`, …) or inline `COPY` data with what to do instead.
    public static func statements(of script: MigrationScript) throws(TenantryError) -> [PreparedStatement] {
        var statements: [PreparedStatement] = []
        for piece in ScriptPiece.pieces(of: script) {
            let found: [SQLStatement]
            do {
                found = try PgQuery.split(piece.sql)
            } catch {
                throw ParseFailure.describe(error, in: piece, file: script.file, statementsBefore: statements.count)
            }
            for statement in found {
                statements.append(try prepare(statement, index: statements.count + 1, in: piece, file: script.file))
            }
        }
        return script.directives.transactional ? TransactionControl.withoutOuterPair(statements) : statements
    }

    /// Parses one statement for its node, and places it in the file.
    private static func prepare(
        _ statement: SQLStatement, index: Int, in piece: ScriptPiece, file: String
    ) throws(TenantryError) -> PreparedStatement {
        let position = piece.filePosition(line: statement.line, column: statement.column)
        let node: JSONValue
        do {
            // split already parsed it, so this cannot fail in practice; if it does, it is still reported in
            // file terms.
            node = try PgQuery.parse(statement.text).statements.first ?? .null
        } catch {
            let alone = ScriptPiece(sql: statement.text, line: position.line, column: position.column)
            throw ParseFailure.describe(error, in: alone, file: file, statementsBefore: index - 1)
        }
        return PreparedStatement(
            sql: statement.text, index: index, line: position.line, column: position.column,
            kind: node.nodeName ?? "", refusesTransaction: TransactionRefusal.reason(for: node),
            concurrentIndex: concurrentIndex(node))
    }

    /// The index a `CREATE INDEX CONCURRENTLY name` makes; nil for any other statement or an unnamed index.
    private static func concurrentIndex(_ node: JSONValue) -> (schema: String?, name: String)? {
        guard let fields = node["IndexStmt"], fields.flag("concurrent"), let name = fields["idxname"]?.stringValue else { return nil }
        return (fields["relation"]?["schemaname"]?.stringValue, name)
    }
}
