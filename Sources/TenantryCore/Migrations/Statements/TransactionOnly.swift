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

extension PreparedStatement {
    /// `SET TRANSACTION ...`: it must come before any query of its transaction, so Tenantry runs it before its
    /// own settings (which are queries), on every path.
    public var setsTransactionMode: Bool {
        guard kind == "VariableSetStmt", let node = try? PgQuery.parse(sql).statements.first?["VariableSetStmt"] else { return false }
        return node["name"]?.stringValue == "TRANSACTION"
    }
}
