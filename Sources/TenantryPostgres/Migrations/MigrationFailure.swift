import Logging
import PostgresNIO
import TenantryCore

/// Builds the error for a failed statement: target, file, statement index and line, SQLSTATE, the server's
/// message/detail/hint, and the next step.
enum MigrationFailure {
    static func describe(
        _ error: any Error, target: MigrationTarget, migration: Migration, script: MigrationScript,
        statement: PreparedStatement, total: Int, transactional: Bool, applied: Int,
        connection: PostgresConnection?, logger: Logger
    ) async -> TenantryError {
        let info = (error as? PSQLError)?.serverInfo
        let sqlState = info?[.sqlState] ?? "?"
        let reason = info?[.message] ?? "\((error as? PSQLError)?.code.description ?? "\(error)")"
        var message = "\(target.label): \(script.file) failed at statement \(statement.index) of \(total) (line \(statement.line)): \(reason) (SQLSTATE \(sqlState))"
        if let detail = info?[.detail] { message += "\n  detail: \(detail)" }
        if let hint = info?[.hint] { message += "\n  server hint: \(hint)" }
        message += "\n  statement: \(excerpt(statement.sql))"
        var next: String
        if !transactional, let down = migration.down, script == down {
            next = applied == 0 ? "nothing of the down section of \(script.file) was reverted; fix it and run the rollback again"
                : "statements 1-\(applied) of \(total) of the down section of \(script.file) were reverted and recorded; fix the rest and run "
                    + "`tenantry rollback --resume` (tenants: `rollback tenants --resume`), or finish by hand and delete its history row"
        } else if transactional {
            next = "nothing of \(script.file) was applied (it ran in one transaction); fix it and run again"
        } else if applied == 0 {
            next = "no statement of \(script.file) was applied and nothing was recorded; fix it and run again"
            if statement.refusesTransaction != nil, let invalid = await invalidIndexes(on: connection, logger: logger), !invalid.isEmpty {
                message += "\n  invalid index left behind: \(invalid.joined(separator: ", ")) (\(leftover(invalid, of: statement)))"
            }
        } else {
            next = "statements 1-\(applied) of \(total) were applied and recorded; fix the rest and run `tenantry migrate --resume` "
                + "(a tenant: `migrate tenants --resume` or `tenant retry`), or finish by hand and run `tenantry mark-applied`"
            if statement.refusesTransaction != nil, let invalid = await invalidIndexes(on: connection, logger: logger), !invalid.isEmpty {
                message += "\n  invalid index left behind: \(invalid.joined(separator: ", ")) (\(leftover(invalid, of: statement)))"
            }
        }
        if sqlState == "55P03" { next = "a lock could not be taken within lock_timeout; retry when the table is less busy, or raise -- tenantry:lock-timeout. " + next }
        return TenantryError(.failed, Redactor.shared.redact(message), hint: next, sqlState: info?[.sqlState])
    }

    /// The statement's own index is dropped by the next run before it builds it again; any other must go by hand.
    private static func leftover(_ invalid: [String], of statement: PreparedStatement) -> String {
        guard let own = statement.concurrentIndex?.name, invalid.allSatisfy({ $0 == own || $0.hasSuffix(".\(own)") }) else {
            return "drop it before running again"
        }
        return "the next run drops it before it builds the index again"
    }

    /// A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind.
    private static func invalidIndexes(on connection: PostgresConnection?, logger: Logger) async -> [String]? {
        guard let connection, !connection.isClosed else { return nil }
        let rows = try? await connection.query("SELECT indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid", logger: logger).collect()
        return try? rows?.map { try $0.decode(String.self) }
    }

    private static func excerpt(_ sql: String) -> String {
        let firstLine = sql.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? sql
        return firstLine.count > 100 ? firstLine.prefix(97) + "..." : firstLine + (sql.contains("\n") ? " ..." : "")
    }
}
