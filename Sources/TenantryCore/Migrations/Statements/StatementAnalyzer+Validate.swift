extension StatementAnalyzer {
    /// Checks that `statements` (from ``statements(of:)``) can run the way `script` will run them, before
    /// anything runs.
    ///
    /// - Throws: at the first problem in statement order: in a transactional script, a statement PostgreSQL
    ///   refuses inside a transaction block (naming the others too), with the directive that fixes it; in any
    ///   script, explicit transaction control (`BEGIN`, `COMMIT`, `SAVEPOINT`, …), since Tenantry owns the
    ///   transactions, and `COPY ... FROM STDIN` / `TO STDOUT`, whose data streams Tenantry does not carry.
    public static func validate(_ statements: [PreparedStatement], script: MigrationScript) throws(TenantryError) {
        let groups = script.directives.transactionGroups ? TransactionControl.groups(statements) ?? [] : []
        let grouped = groups.flatMap { Array($0) }.map { statements[$0].index }
        let refusing = script.directives.transactional ? statements.filter { $0.refusesTransaction != nil }
            : statements.filter { $0.refusesTransaction != nil && grouped.contains($0.index) }
        for statement in statements {
            if statement.kind == "TransactionStmt" && !grouped.contains(statement.index) {
                throw TransactionControl.error(for: statement, script: script)
            }
            if statement.kind == "CopyStmt", CopyData.readsFromClient(statement.sql) {
                throw CopyData.stdinError(for: statement, file: script.file)
            }
            if statement.kind == "CopyStmt", CopyData.writesToClient(statement.sql) {
                throw CopyData.stdoutError(for: statement, file: script.file)
            }
            if !script.directives.transactional, !grouped.contains(statement.index), let what = TransactionOnly.describe(statement) {
                throw TransactionOnly.error(statement, what: what, file: script.file)
            }
            if let first = refusing.first, first.index == statement.index {
                throw refusal(first, others: refusing.dropFirst(), script: script)
            }
        }
    }

    private static func refusal(
        _ statement: PreparedStatement, others: ArraySlice<PreparedStatement>, script: MigrationScript
    ) -> TenantryError {
        let file = script.file
        let what = statement.refusesTransaction ?? statement.kind
        var message = "\(file):\(statement.line): \(what) cannot run inside a transaction block, and Tenantry runs "
            + "this migration in one (statement \(statement.index): \(SQLExcerpt.statement(statement.sql)))"
        if !others.isEmpty {
            message += "\n  also refused in a transaction: "
                + others.map { "line \($0.line) (\($0.refusesTransaction ?? $0.kind))" }.joined(separator: ", ")
        }
        guard script.importedFrom == nil else {
            // Another tool's file: no section markers, and a file of only such statements runs without a transaction.
            return .failed(message, hint: "move \(what) into a file of its own, which Tenantry runs without a transaction "
                + "as Flyway does, or add a line `-- tenantry:no-transaction` anywhere in \(file)")
        }
        return .failed(message, hint: "add `-- tenantry:no-transaction` before `-- migrate:up`, and keep that file "
            + "to statements that may run outside a transaction")
    }
}
