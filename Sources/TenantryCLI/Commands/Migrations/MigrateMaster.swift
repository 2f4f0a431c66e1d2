import TenantryCore
import TenantryPostgres

/// The master part of `migrate`: apply, print each file as it goes, and return the report.
enum MigrateMaster {
    static func run(_ master: MasterTrack, options: MigrationRunner.Options, context: CommandContext) async throws -> MigrateReport {
        let output = context.output
        let label = master.runner.target.label
        let outcome = try await master.runner.migrate(options) { event in
            switch event {
            case .waitingForLock(let holder):
                output.note("Waiting for the migration lock of \(label), held by \(holder)")
            case .applying(let migration, let resumingAt):
                output.note(resumingAt.map { "Resuming \(migration.file) at statement \($0)" } ?? "Applying \(migration.file)")
            case .applied(let migration, let milliseconds):
                output.result("  applied \(migration.file) (\(milliseconds) ms)")
            case .reverted: break
            }
        }
        if outcome.applied.isEmpty {
            output.result("\(label): up to date at \(outcome.after?.text ?? "no migrations") (nothing to apply)")
        } else {
            output.result("\(label): \(outcome.applied.count) applied, now at \(outcome.after?.text ?? "-") (was \(outcome.before?.text ?? "empty"))")
        }
        return MigrateReport(target: label, before: outcome.before?.text, after: outcome.after?.text,
                             applied: outcome.applied.map { $0.version.text })
    }
}
