import ArgumentParser
import Logging

/// Options every command takes.
public struct GlobalOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("The config file (default: ./tenantry.yml).", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The environment in tenantry.yml to use (or TENANTRY_ENV).", valueName: "name"))
    var env: String?

    @Option(name: .long, help: ArgumentHelp(
        "The master database URL; beats TENANTRY_DATABASE_URL, DATABASE_URL and the file.", valueName: "url"))
    var url: String?

    @Flag(name: .shortAndLong, help: "More detail on stderr; repeat (-vv) for driver traces.")
    var verbose: Int

    @Flag(name: .shortAndLong, help: "Only errors on stderr.")
    var quiet = false

    @Flag(name: .long, help: "Machine-readable JSON on stdout.")
    var json = false

    public init() {}

    // Parsing no arguments cannot fail; this spells out the fallback anyway.
    static var defaults: GlobalOptions { try! GlobalOptions.parse([]) }

    var logLevel: Logger.Level {
        if quiet { return .error }
        switch verbose {
        case 0: return .warning
        case 1: return .debug
        default: return .trace
        }
    }

    public func validate() throws {
        if quiet && verbose > 0 { throw ValidationError("--quiet and --verbose cannot be used together") }
    }
}

/// A command that carries the global options, so the entry point can set up output before running it.
protocol GlobalOptionsProviding {
    var global: GlobalOptions { get }
}
