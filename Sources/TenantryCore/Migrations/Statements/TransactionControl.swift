import PgQuery

/// `BEGIN`, `COMMIT`, `SAVEPOINT` and the rest (`TransactionStmt`) in a migration. Tenantry owns the
/// transactions: in a transactional file the migration and its history row commit together, and in a
/// no-transaction file each statement commits on its own before its progress is recorded.
enum TransactionControl {
    static func error(for statement: PreparedStatement, script: MigrationScript) -> TenantryError {
        let name = name(of: statement.sql)
        let position = "\(script.file):\(statement.line): \(name) (statement \(statement.index))"
        if script.directives.transactional {
            return .failed(
                "\(position) controls the transaction, and Tenantry already runs this migration in a transaction of "
                    + "its own, committed together with its history row; \(name) here would end or split it",
                hint: "remove it: Tenantry commits the whole migration, or rolls all of it back on error")
        }
        return .failed(
            "\(position) controls the transaction, and in a -- tenantry:no-transaction migration Tenantry runs each "
                + "statement on its own and records progress after each; a transaction spanning statements would "
                + "break that record, and --resume with it",
            hint: "remove it; statements that must be atomic belong in a separate migration without "
                + "-- tenantry:no-transaction")
    }

    /// The statement's SQL spelling, from its parse tree (`END` is a `COMMIT`).
    static func name(of sql: String) -> String {
        let kind = (try? PgQuery.parse(sql).statements.first)?["TransactionStmt"]?["kind"]?.stringValue
        return switch kind {
        case "TRANS_STMT_BEGIN": "BEGIN"
        case "TRANS_STMT_START": "START TRANSACTION"
        case "TRANS_STMT_COMMIT": "COMMIT"
        case "TRANS_STMT_ROLLBACK": "ROLLBACK"
        case "TRANS_STMT_SAVEPOINT": "SAVEPOINT"
        case "TRANS_STMT_RELEASE": "RELEASE SAVEPOINT"
        case "TRANS_STMT_ROLLBACK_TO": "ROLLBACK TO SAVEPOINT"
        case "TRANS_STMT_PREPARE": "PREPARE TRANSACTION"
        case "TRANS_STMT_COMMIT_PREPARED": "COMMIT PREPARED"
        case "TRANS_STMT_ROLLBACK_PREPARED": "ROLLBACK PREPARED"
        default: "transaction control"
        }
    }
}
