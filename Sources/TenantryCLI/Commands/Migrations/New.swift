import ArgumentParser
import Foundation
import TenantryCore

/// `tenantry new master|tenant NAME`: a timestamped migration file with up and down sections.
struct New: ParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        abstract: "Create a migration file named <UTC timestamp>_<name>.sql with -- migrate:up and -- migrate:down sections."
    )

    enum NewTrack: String, ExpressibleByArgument, CaseIterable {
        case master, tenant

        /// `tenants` too, as `migrate tenants` spells it.
        init?(argument: String) {
            self.init(rawValue: argument == "tenants" ? "tenant" : argument)
        }
    }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var folder: MigrationFolderOptions

    @Argument(help: "master or tenant.")
    var track: NewTrack

    @Argument(help: "What the migration does, in lower-case words joined by underscores (create_wells).")
    var name: String

    func validate() throws {
        guard name.range(of: "^[a-z0-9][a-z0-9_]{0,99}$", options: .regularExpression) != nil else {
            throw ValidationError("'\(name)' is not a usable migration name: use lower-case letters, digits and underscores, like create_wells")
        }
    }

    func run() throws {
        let context = try CommandContext(global)
        let config = context.project.config
        let configured = track == .master ? config.master.migrations : config.tenants.migrations
        let directory = folder.migrations.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
            ?? (configured.hasPrefix("/") ? configured : context.project.root + "/" + configured)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMddHHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        // A version is the timestamp: a second file in the same second takes the next free second, never the same version.
        let existing = Set(((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).map { String($0.prefix { $0.isNumber }) })
        var date = Date()
        while existing.contains(formatter.string(from: date)) { date += 1 }
        let path = "\(directory)/\(formatter.string(from: date))_\(name).sql"
        try Self.template.write(toFile: path, atomically: true, encoding: .utf8)
        context.output.result(context.display(path))
        context.output.emitJSON(["file": path])
    }

    static let template = """
        -- migrate:up


        -- migrate:down


        """
}
