import PgQuery

/// `BEGIN`, `COMMIT`, `SAVEPOINT` and the rest (`TransactionStmt`) in a migration. Tenantry owns the
/// transactions: in a transactional file the migration and its history row commit together, and in a
/// no-transaction file each statement commits on its own before its progress is recorded.
public enum TransactionControl {
    static func error(for statement: PreparedStatement, script: MigrationScript) -> TenantryError {
        let name = name(of: statement.sql)
        let position = "\(script.file):\(statement.line): \(name) (statement \(statement.index))"
        if script.directives.transactional {
            let modes = name == "BEGIN" || name == "START TRANSACTION" ? options(of: statement.sql) : 0
            return .failed(
                "\(position) controls the transaction, and Tenantry already runs this migration in a transaction of "
                    + "its own, committed together with its history row; \(name) here would end or split it",
                hint: modes > 0 ? "write its modes as SET TRANSACTION … as the file's first statement, and remove the BEGIN and COMMIT"
                    : "remove it (a plain BEGIN first and COMMIT last are dropped by themselves): Tenantry commits the whole "
                    + "migration, or rolls all of it back on error")
        }
        return .failed(
            "\(position) controls the transaction, and in a -- tenantry:no-transaction migration Tenantry runs each "
                + "statement on its own and records progress after each; a transaction spanning statements would "
                + "break that record, and --resume with it",
            hint: "remove it; statements that must be atomic belong in a separate migration without "
                + "-- tenantry:no-transaction")
    }

    /// `statements` without a plain `BEGIN`/`START TRANSACTION` first and `COMMIT`/`END` last, when nothing else
    /// between them controls the transaction (renumbered); otherwise unchanged.
    static func withoutOuterPair(_ statements: [PreparedStatement]) -> [PreparedStatement] {
        guard statements.count >= 2, let first = statements.first, let last = statements.last,
              first.kind == "TransactionStmt", last.kind == "TransactionStmt",
              ["TRANS_STMT_BEGIN", "TRANS_STMT_START"].contains(kind(of: first.sql)), options(of: first.sql) == 0,
              kind(of: last.sql) == "TRANS_STMT_COMMIT",
              !statements.dropFirst().dropLast().contains(where: { $0.kind == "TransactionStmt" }) else { return statements }
        return statements.dropFirst().dropLast().enumerated().map { offset, statement in
            var statement = statement
            statement.index = offset + 1
            return statement
        }
    }

    /// The `BEGIN … COMMIT` groups of `statements` (offsets of the BEGIN and the COMMIT), when every transaction
    /// control statement is a `BEGIN`/`START TRANSACTION` (with its modes, which the group keeps), a savepoint
    /// inside one, or the `COMMIT`/`END` closing it; nil otherwise (a ROLLBACK, nesting, a group left open,
    /// prepared transactions) and when there is none.
    public static func groups(_ statements: [PreparedStatement]) -> [ClosedRange<Int>]? {
        var groups: [ClosedRange<Int>] = []
        var open: Int?
        for (offset, statement) in statements.enumerated() where statement.kind == "TransactionStmt" {
            switch (kind(of: statement.sql), open) {
            case ("TRANS_STMT_BEGIN", nil), ("TRANS_STMT_START", nil):
                open = offset
            case ("TRANS_STMT_SAVEPOINT", _?), ("TRANS_STMT_RELEASE", _?), ("TRANS_STMT_ROLLBACK_TO", _?):
                continue
            case ("TRANS_STMT_COMMIT", let start?):
                groups.append(start...offset)
                open = nil
            default:
                return nil
            }
        }
        return open == nil && !groups.isEmpty ? groups : nil
    }

    private static func kind(of sql: String) -> String? {
        (try? PgQuery.parse(sql).statements.first)?["TransactionStmt"]?["kind"]?.stringValue
    }

    /// How many transaction modes (`ISOLATION LEVEL …`, `READ ONLY`) a `BEGIN` sets: such a file keeps its `BEGIN`
    /// and is refused with a hint, as dropping it would drop the modes.
    private static func options(of sql: String) -> Int {
        (try? PgQuery.parse(sql).statements.first)?["TransactionStmt"]?["options"]?.arrayValue?.count ?? 0
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
