import ArgumentParser
import Foundation
import TenantryCore
import TenantryPostgres

/// `tenantry runs [show RUN]`: the fleet run ledger.
struct Runs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the fleet runs recorded in tenantry.runs (newest first), or show one with its tenants.",
        subcommands: [RunsList.self, RunsShow.self],
        defaultSubcommand: RunsList.self
    )
}

struct RunsList: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the latest fleet runs.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many runs to show.")
    var limit = 20

    func run() async throws {
        let context = try CommandContext(global)
        let runs = try await RunsLedger.read(context) { ledger in
            try await ledger.markAbandoned(lease: FleetPolicy().lease)
            return try await ledger.list(limit: max(1, limit))
        }
        let output = context.output
        if runs.isEmpty {
            output.result("No fleet runs yet (`tenantry migrate tenants` starts one)")
        } else {
            output.result(TextTable.render(
                header: ["RUN", "KIND", "STATUS", "STARTED", "DURATION", "SUCCEEDED", "FAILED", "SKIPPED", "NOT STARTED", "BY"],
                rows: runs.map { run in
                    [String(run.id), run.kind.rawValue, run.status.rawValue, RunsLedger.timestamp(run.startedAt),
                     run.finishedAt.map { String(format: "%.1f s", $0.timeIntervalSince(run.startedAt)) } ?? "-",
                     String(run.counts.succeeded), String(run.counts.failed), String(run.counts.skipped),
                     String(run.counts.queued + run.counts.running), run.startedBy]
                }))
        }
        output.emitJSON(runs)
    }
}

struct RunsShow: AsyncParsableCommand, GlobalOptionsProviding {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a fleet run and each of its tenants.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The run id (from `tenantry runs`).")
    var id: Int64

    @Option(help: ArgumentHelp("Only tenants with this status: queued, running, succeeded, failed or skipped.", valueName: "status"))
    var status: String?

    func run() async throws {
        let context = try CommandContext(global)
        let filter = try status.map { (text: String) throws(TenantryError) -> FleetRun.TargetStatus in
            guard let value = FleetRun.TargetStatus(rawValue: text.lowercased()) else {
                throw .usage("--status must be one of: \(FleetRun.TargetStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return value
        }
        let (summary, targets) = try await RunsLedger.read(context) { ledger in
            (try await ledger.summary(run: id), try await ledger.targets(run: id, status: filter))
        }
        let output = context.output
        let counts = summary.counts
        output.result("Run \(summary.id) (\(summary.kind.rawValue)): \(summary.status.rawValue), started \(RunsLedger.timestamp(summary.startedAt)) by \(summary.startedBy)")
        output.result("  \(counts.succeeded) succeeded, \(counts.failed) failed, \(counts.skipped) skipped, \(counts.queued) not started, \(counts.running) running (of \(counts.total))")
        if let reason = summary.stopReason { output.result("  stopped: \(reason)") }
        let options = summary.options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        if !options.isEmpty { output.result("  options: \(options)") }
        output.result(TextTable.render(
            header: ["TENANT", "STATUS", "BEFORE", "AFTER", "APPLIED", "ATTEMPTS", "RUNNER", "ERROR"],
            rows: targets.map { target in
                [target.tenantID + (target.canary ? " (canary)" : ""), target.status.rawValue, target.versionBefore ?? "-",
                 target.versionAfter ?? "-", target.applied.map(String.init) ?? "-", String(target.attempts), target.claimedBy ?? "-",
                 target.error.map { String($0.split(separator: "\n").first ?? "") } ?? ""]
            }))
        output.emitJSON(RunDetail(run: summary, targets: targets))
    }

    struct RunDetail: Encodable {
        var run: FleetRun.Summary
        var targets: [FleetRun.Target]
    }
}

/// The ledger of the configured master, on one short connection.
enum RunsLedger {
    static func read<Result: Sendable>(_ context: CommandContext, _ body: (RunLedger) async throws -> Result) async throws -> Result {
        let registry = try await TenantRegistry.open(context)
        try await registry.prepare()
        return try await registry.connector.withConnection { try await body(RunLedger(connection: $0, logger: context.logger)) }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter.string(from: date)
    }
}
