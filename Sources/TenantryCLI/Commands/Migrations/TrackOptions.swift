import ArgumentParser
import Foundation
import Logging
import TenantryCore
import TenantryPostgres

/// Options of commands that work on a track's migrations folder.
struct MigrationFolderOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("Use this migrations folder instead of the configured one.", valueName: "dir"))
    var migrations: String?

    init() {}
}

/// The master track of a project: its catalog, its target, and a runner for it.
struct MasterTrack: Sendable {
    let master: MasterServer
    let catalog: MigrationCatalog
    let runner: MigrationRunner

    static func open(_ context: CommandContext, folder: MigrationFolderOptions) async throws -> MasterTrack {
        let catalog = try loadCatalog(context, folder: folder)
        return try open(context, catalog: catalog, master: try await MasterServer.resolve(context))
    }

    static func open(_ context: CommandContext, catalog: MigrationCatalog, master: MasterServer) throws(TenantryError) -> MasterTrack {
        let config = context.project.config
        let target = try Self.target(context, master: master)
        let timeouts = MigrationTimeouts(lockTimeout: config.migrate.lockTimeout, statementTimeout: config.migrate.statementTimeout,
                                         lockWait: .milliseconds(Int64(config.migrate.lockWaitSeconds * 1000)))
        let runner = MigrationRunner(target: target, migrations: catalog.migrations, timeouts: timeouts, logger: context.logger)
        return MasterTrack(master: master, catalog: catalog, runner: runner)
    }

    /// The master database as a migration (and seed) target.
    static func target(_ context: CommandContext, master: MasterServer) throws(TenantryError) -> MigrationTarget {
        MigrationTarget(connector: master.connector, historySchema: try SQLIdentifier(context.project.config.migrate.historySchema),
                        track: "master", label: "master (\(master.databaseName))")
    }

    /// `--migrations` (relative to the working directory) beats `master.migrations` (relative to the project).
    static func loadCatalog(_ context: CommandContext, folder: MigrationFolderOptions) throws(TenantryError) -> MigrationCatalog {
        let config = context.project.config
        let catalog = try MigrationCatalog.load(directory: directory(context, folder: folder),
                                                format: folder.migrations == nil ? config.master.format : nil)
        for warning in catalog.warnings { context.output.warning("master track: \(warning)") }
        return catalog
    }

    static func directory(_ context: CommandContext, folder: MigrationFolderOptions) -> String {
        if let flag = folder.migrations {
            return flag.hasPrefix("/") ? flag : FileManager.default.currentDirectoryPath + "/" + flag
        }
        let configured = context.project.config.master.migrations
        return configured.hasPrefix("/") ? configured : context.project.root + "/" + configured
    }
}

/// The track of commands that work on the master or on the fleet (`status`, `rollback`, `mark-applied`).
enum FleetTrack: String, ExpressibleByArgument, CaseIterable, Sendable {
    case master, tenants

    /// `tenant` too: `new tenant` spells it so, and one spelling must not be refused where the other works.
    init?(argument: String) {
        self.init(rawValue: argument == "tenant" ? "tenants" : argument)
    }
}

extension MigrationVersion: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}
