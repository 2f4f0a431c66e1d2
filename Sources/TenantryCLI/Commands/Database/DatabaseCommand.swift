import ArgumentParser

/// `tenantry db`: server-level chores that scripts and containers need before migrating.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Server-level chores: make sure a database exists (ensure-database.sh as one command).",
        subcommands: [DatabaseEnsure.self]
    )
}
