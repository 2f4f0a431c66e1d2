import ArgumentParser
import TenantryCore
import TenantryPostgres

/// `tenantry migrate [master]`: apply pending migrations.
struct Migrate: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending migrations to the master database (each in its own transaction, with its history row).",
        discussion: """
        Before anything runs, every pending file is parsed with PostgreSQL's parser and the history is checked: \
        an applied file that was edited or deleted, or a new file ordered before the latest applied one, stops the \
        run with its own message. A file with -- tenantry:no-transaction runs statement by statement; if it fails \
        part way, the target is blocked until `migrate --resume` or `mark-applied`.
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var folder: MigrationFolderOptions

    @Argument(help: "The track to migrate.")
    var track: Track = .master

    @Option(help: ArgumentHelp("Stop after this version.", valueName: "version"))
    var to: MigrationVersion?

    @Flag(help: "Print the statements each pending migration would run, and change nothing.")
    var dryRun = false

    @Flag(help: "Continue a partially applied no-transaction migration after its last recorded statement.")
    var resume = false

    @Flag(help: "Apply pending migrations older than the latest applied one (in version order).")
    var allowOutOfOrder = false

    func run() async throws {
        let context = try CommandContext(global)
        let master = try await MasterTrack.open(context, folder: folder)
        let options = MigrationRunner.Options(to: to, allowOutOfOrder: allowOutOfOrder || context.project.config.migrate.allowOutOfOrder,
                                              resume: resume)
        if dryRun {
            try await DryRun.print(master, options: options, context: context)
            return
        }
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
        output.emitJSON(MigrateReport(target: label, before: outcome.before?.text, after: outcome.after?.text,
                                      applied: outcome.applied.map { $0.version.text }))
    }
}

struct MigrateReport: Encodable {
    var target: String
    var before: String?
    var after: String?
    var applied: [String]
}
