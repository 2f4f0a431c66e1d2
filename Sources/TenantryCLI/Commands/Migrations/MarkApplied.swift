import ArgumentParser
import TenantryCore
import TenantryPostgres

/// `tenantry mark-applied master VERSION`: record without running.
struct MarkApplied: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "mark-applied",
        abstract: "Record a migration as applied without running it (baseline an existing database, or finish a partial file by hand)."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var folder: MigrationFolderOptions

    @Argument(help: "The track.")
    var track: Track

    @Argument(help: "The migration's version.")
    var version: MigrationVersion

    func run() async throws {
        let context = try CommandContext(global)
        let master = try await MasterTrack.open(context, folder: folder)
        let migration = try await master.runner.markApplied(version)
        context.output.result("\(master.runner.target.label): \(migration.file) recorded as applied (not run)")
        context.output.emitJSON(["target": master.runner.target.label, "version": migration.version.text])
    }
}
