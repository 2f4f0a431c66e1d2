import TenantryCore
import TenantryPostgres

/// `migrate --dry-run`: the exact statements per pending migration; nothing is changed.
enum DryRun {
    static func print(_ master: MasterTrack, options: MigrationRunner.Options, context: CommandContext) async throws {
        let (plan, _) = try await master.runner.plan(options)
        try plan.check()
        let output = context.output
        // Every pending file is parsed and checked before anything is printed, as migrate does before it runs.
        var prepared: [[PreparedStatement]] = []
        for migration in plan.pending {
            let statements = try StatementAnalyzer.statements(of: migration.up)
            try StatementAnalyzer.validate(statements, script: migration.up)
            prepared.append(statements)
        }
        var report: [DryRunMigration] = []
        for (migration, statements) in zip(plan.pending, prepared) {
            let mode = migration.up.directives.transactional ? "one transaction" : "no transaction, statement by statement"
            output.result("-- \(migration.file) (\(migration.version), \(mode))")
            for statement in statements { output.result(statement.sql + ";") }
            output.result("")
            report.append(DryRunMigration(version: migration.version.text, file: migration.file,
                                          transactional: migration.up.directives.transactional, statements: statements.map(\.sql)))
        }
        if plan.pending.isEmpty { output.result("\(master.runner.target.label): nothing to apply") }
        output.emitJSON(report)
    }
}

struct DryRunMigration: Encodable {
    var version: String
    var file: String
    var transactional: Bool
    var statements: [String]
}
