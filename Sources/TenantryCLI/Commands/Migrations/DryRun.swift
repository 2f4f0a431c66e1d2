import TenantryCore
import TenantryPostgres

/// `migrate --dry-run`: the exact statements per pending migration; nothing is changed.
enum DryRun {
    /// Returns what it printed, for `--json`.
    static func print(_ master: MasterTrack, options: MigrationRunner.Options, context: CommandContext) async throws -> [DryRunMigration] {
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
        return report
    }
}

struct DryRunMigration: Encodable {
    var version: String
    var file: String
    var transactional: Bool
    var statements: [String]
}

extension DryRun {
    struct TenantMigration: Encodable {
        var version: String
        var file: String
        var transactional: Bool
        var statements: [String]
        var tenants: [String]
    }

    /// `migrate tenants --dry-run`: each pending tenant migration's statements once, with the tenants it applies to
    /// (from every selected tenant's history, read in bulk); nothing is changed.
    static func printTenants(_ tenants: [Tenant], provisioner: TenantProvisioner, options: MigrationRunner.Options,
                             context: CommandContext) async throws -> [TenantMigration] {
        let output = context.output
        let plans = await provisioner.plans(tenants, options: options)
        var pendingOn: [MigrationVersion: [String]] = [:]
        var problems: [String] = []
        for tenant in tenants {
            switch plans[tenant.id] {
            case .success(let plan) where plan.problems.isEmpty || (options.resumeWhenPartial && plan.problems.allSatisfy(\.isPartial)):
                for migration in plan.pending { pendingOn[migration.version, default: []].append(tenant.id) }
                if let partial = plan.partial { problems.append("tenant \(tenant.id): resumes \(partial.file) at statement \(partial.statementsApplied + 1)") }
            case .success(let plan):
                problems += plan.problems.map { "tenant \(tenant.id): \($0.message)" }
            case .failure(let error):
                problems.append("tenant \(tenant.id): \(error.message)")
            case nil:
                break
            }
        }
        var report: [TenantMigration] = []
        for migration in provisioner.tenantMigrations {
            guard let ids = pendingOn[migration.version] else { continue }
            // Schema layout: as they run in the first tenant's schema (each tenant's own schema takes its place).
            let first = tenants.first { $0.id == ids[0] }
            let statements = try first.map { try provisioner.target(for: $0).adapt(try MigrationRunner.preparedStatements(of: migration.up)) }
                ?? MigrationRunner.preparedStatements(of: migration.up)
            let mode = migration.up.directives.transactional ? "one transaction" : "no transaction, statement by statement"
            let shown = ids.prefix(20).joined(separator: ", ") + (ids.count > 20 ? ", … (\(ids.count - 20) more)" : "")
            output.result("-- \(migration.file) (\(migration.version), \(mode)) on \(ids.count) tenant\(ids.count == 1 ? "" : "s"): \(shown)")
            for statement in statements { output.result(statement.sql + ";") }
            output.result("")
            report.append(TenantMigration(version: migration.version.text, file: migration.file, transactional: migration.up.directives.transactional,
                                          statements: statements.map(\.sql), tenants: ids))
        }
        if report.isEmpty { output.result("tenants: nothing to apply (\(tenants.count) tenant\(tenants.count == 1 ? "" : "s") checked)") }
        for problem in problems { output.warning(problem) }
        return report
    }
}
