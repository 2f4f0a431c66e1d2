import ArgumentParser
import TenantryCore
import TenantryPostgres

/// `tenantry validate`: every check `migrate` makes, without applying anything.
struct Validate: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        abstract: "Parse every migration (up and down) and check the history for edited, deleted, out-of-order and partial files.",
        discussion: "With --offline, only the files are checked (no server needed)."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var folder: MigrationFolderOptions

    @Flag(help: "Check the files only; do not read the history from the server.")
    var offline = false

    func run() async throws {
        let context = try CommandContext(global)
        let catalog = try MasterTrack.loadCatalog(context, folder: folder)
        var statements = 0
        for migration in catalog.migrations {
            for script in [migration.up] + (migration.down.map { [$0] } ?? []) {
                let prepared = try StatementAnalyzer.statements(of: script)
                try StatementAnalyzer.validate(prepared, script: script)
                statements += prepared.count
            }
        }
        context.output.result("\(catalog.migrations.count) migrations (\(catalog.format.rawValue) format), \(statements) statements: all parse")
        if !offline {
            let master = try await MasterTrack.open(context, folder: folder)
            let (plan, _) = try await master.runner.plan(.init(allowOutOfOrder: context.project.config.migrate.allowOutOfOrder))
            try plan.check()
            context.output.result("\(master.runner.target.label): history consistent (\(plan.summary))")
        }
        context.output.emitJSON(["migrations": catalog.migrations.count, "statements": statements])
    }
}
