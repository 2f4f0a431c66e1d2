import ArgumentParser
import TenantryCore
import TenantryPostgres

/// Which tenants a fleet command works on.
struct TenantSelection: ParsableArguments, Sendable {
    @Option(name: .customLong("tenant"), help: ArgumentHelp("Only this tenant; repeatable.", valueName: "id"))
    var tenants: [String] = []

    @Option(name: .customLong("where"), help: ArgumentHelp(
        "Only tenants matching key=value (tier, server, status, layout, or metadata.KEY); repeatable, all must match.",
        valueName: "key=value"))
    var filters: [String] = []

    init() {}
}

/// Which tenants a fleet run works on, and how it schedules them.
struct FleetOptions: ParsableArguments, Sendable {
    @OptionGroup var selection: TenantSelection

    @Option(help: ArgumentHelp("Tenants worked on at once (default: migrate.concurrency, else 8); each server's connection budget bounds it too.",
                               valueName: "n"))
    var concurrency: Int?

    @Flag(help: "Stop scheduling after the first failure (tenants in flight finish).")
    var failFast = false

    @Option(help: ArgumentHelp("Stop scheduling once more than this many (or this share, like 5%) have failed.", valueName: "n|n%"))
    var maxFailures: String?

    @Option(help: ArgumentHelp("Migrate the first N tenants first (or migrate.canary_tenants / canary_tier); stop if any fails.",
                               valueName: "n"))
    var canary: Int?

    @Option(help: ArgumentHelp("Work on an existing run too (another runner, maybe on another machine, started it).", valueName: "run"))
    var join: Int64?

    @Option(help: ArgumentHelp("Seconds without a heartbeat after which a claimed tenant is taken over by another runner (default 30).",
                               valueName: "seconds"))
    var lease: Int?

    @Option(help: ArgumentHelp("Also write one JSON line per tenant to this file as it finishes.", valueName: "file"))
    var events: String?

    init() {}

    func validate() throws {
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let canary, canary < 1 { throw ValidationError("--canary must be at least 1") }
        if let lease, lease < 1 { throw ValidationError("--lease must be at least 1 second") }
        if failFast && maxFailures != nil { throw ValidationError("--fail-fast and --max-failures cannot be used together") }
    }

    func policy(_ config: Config) throws(TenantryError) -> FleetPolicy {
        FleetPolicy(concurrency: concurrency ?? config.migrate.concurrency, failFast: failFast,
                    maxFailures: try maxFailures.map { (text: String) throws(TenantryError) in try FleetPolicy.Threshold(parsing: text) },
                    lease: .seconds(lease ?? 30), lockRetries: config.migrate.lockRetries,
                    lockRetryDelay: .milliseconds(Int64(config.migrate.lockRetryDelaySeconds * 1000)))
    }
}
