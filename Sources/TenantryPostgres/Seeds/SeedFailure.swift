import PostgresNIO
import TenantryCore

/// The error for a failed seed statement: target, file, statement and line, SQLSTATE, the server's message.
enum SeedFailure {
    static func describe(_ error: any Error, target: MigrationTarget, seed: Seed, statement: PreparedStatement, total: Int) -> TenantryError {
        let info = (error as? PSQLError)?.serverInfo
        let sqlState = info?[.sqlState] ?? "?"
        let reason = info?[.message] ?? "\((error as? PSQLError)?.code.description ?? "\(error)")"
        let line = statement.line + errorLineOffset(info?[.position], in: statement.sql)
        var message = "\(target.label): seed \(seed.file) failed at statement \(statement.index) of \(total) (line \(line)): \(reason) (SQLSTATE \(sqlState))"
        if let detail = info?[.detail] { message += "\n  detail: \(detail)" }
        if let hint = info?[.hint] { message += "\n  server hint: \(hint)" }
        message += "\n  statement: \(excerpt(statement.sql))"
        return .failed(Redactor.shared.redact(message),
                       hint: "nothing of \(seed.file) was applied (it ran in one transaction with its tenantry_seeds row); fix it and run again")
    }

    /// Lines between the statement's start and the server's error position (1-based, in characters).
    private static func errorLineOffset(_ position: String?, in sql: String) -> Int {
        guard let position = position.flatMap({ Int($0) }), position > 0 else { return 0 }
        return sql.unicodeScalars.prefix(position - 1).filter { $0 == "\n" }.count
    }

    private static func excerpt(_ sql: String) -> String {
        let firstLine = sql.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? sql
        return firstLine.count > 100 ? firstLine.prefix(97) + "..." : firstLine + (sql.contains("\n") ? " ..." : "")
    }
}
