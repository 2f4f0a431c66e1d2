import ArgumentParser
import TenantryCore

/// `tenantry env show [NAME]`: the resolved settings of one environment, secrets masked, with their origins.
struct EnvShow: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the settings NAME (or --env / TENANTRY_ENV, or none) resolves to, and where each came from.",
        discussion: """
        Sources: a line of tenantry.yml, possibly in the environment's overlay, and the ${VARIABLES} it read (from the \
        process environment or .env); `default` when nothing set it. Passwords in URLs, and values read from variables \
        named like secrets (PASSWORD, SECRET, TOKEN, KEY), are masked. Connects to nothing.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The environment (default: --env, then TENANTRY_ENV).")
    var name: String?

    func run() async throws {
        var options = global
        if let name { options.env = name }
        let context = try CommandContext(options)
        let project = context.project
        let config = project.config
        let output = context.output
        let master = MasterSource.resolve(flag: options.url, project: project)
        let rows = EnvSettings.rows(project)
        let environment = config.environmentName.map { "\($0)\(config.isGuarded ? " (guarded)" : "")" } ?? "none selected"
        let defined = config.environmentNames.isEmpty ? "none" : config.environmentNames.joined(separator: ", ")
        output.result("Environment: \(environment); defined in \(project.configFile.map(context.display) ?? "no file"): \(defined)")
        output.result("Master server from: \(master.label)")
        output.result(TextTable.render(header: ["SETTING", "VALUE", "FROM"], rows: rows.map { [$0.key, $0.value, $0.source] }))
        output.emitJSON(EnvReport(environment: config.environmentName, guarded: config.isGuarded, environments: config.environmentNames,
                                  masterSource: master.label, settings: rows))
    }
}

private struct EnvReport: Encodable {
    let environment: String?
    let guarded: Bool
    let environments: [String]
    let masterSource: String
    let settings: [EnvSettings.Row]

    enum CodingKeys: String, CodingKey {
        case environment, guarded, environments, masterSource = "master_source", settings
    }
}
