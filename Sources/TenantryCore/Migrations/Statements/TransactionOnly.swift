import PgQuery

/// Statements that only mean something inside a transaction block. In a no-transaction file each statement
/// commits on its own, so these would fail (LOCK, DECLARE) or do nothing (SET LOCAL) part way through the file.
enum TransactionOnly {
    static func describe(_ statement: PreparedStatement) -> String? {
        switch statement.kind {
        case "LockStmt": return "LOCK TABLE"
        case "DeclareCursorStmt": return "DECLARE CURSOR"
        case "VariableSetStmt":
            guard let node = try? PgQuery.parse(statement.sql).statements.first?["VariableSetStmt"] else { return nil }
            return node.flag("is_local") ? "SET LOCAL" : nil
        default: return nil
        }
    }

    static func error(_ statement: PreparedStatement, what: String, file: String) -> TenantryError {
        .failed("\(file):\(statement.line): \(what) (statement \(statement.index)) only works inside a transaction block, "
            + "and this file has -- tenantry:no-transaction, so each statement commits on its own",
            hint: "move it to a migration that runs in a transaction, or use a session-level SET")
    }
}
