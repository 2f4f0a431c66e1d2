import ArgumentParser

/// `tenantry env`: the environments of tenantry.yml.
struct EnvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Show the settings an environment resolves to, and where each came from.",
        subcommands: [EnvShow.self]
    )
}
