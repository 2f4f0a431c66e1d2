import Foundation
import TenantryCore
import TenantryPostgres

/// The end of a fleet command: counts that add up to the fleet, the failed tenants with their errors, the JSON
/// report, and the exit code (1 when a tenant failed or the run stopped early, 2 when interrupted).
enum FleetSummary {
    struct Report: Encodable {
        struct Failure: Encodable {
            var tenant: String
            var error: String?
            var sqlstate: String?
        }

        var run: Int64
        var kind: String
        var status: String
        var stopReason: String?
        var succeeded: Int
        var failed: Int
        var skipped: Int
        /// Queued when the run stopped: never started.
        var notStarted: Int
        /// Claimed by a runner that is still working (another process).
        var running: Int
        var total: Int
        /// What this runner itself did.
        var runner: [String: Int]
        var failures: [Failure]
    }

    /// What to run next: migrations resume and retry through the ledger; provisioning is simply run again.
    static func next(_ kind: FleetRun.Kind, resume run: Int64? = nil, retry: Int64? = nil) -> String {
        switch kind {
        case .migrate:
            run.map { "`tenantry migrate tenants --resume \($0)` finishes it" } ?? "`tenantry migrate tenants --retry-failed \(retry ?? 0)` reruns only those"
        case .rollback:
            "run `tenantry rollback tenants` again with --tenant for the ones left"
        case .provision:
            "run the same `tenantry tenant create --from FILE` again: it resumes each tenant where it stopped"
        }
    }

    static func print(run: Int64, runner: FleetRunner.Report, context: CommandContext, master: PostgresConnector,
                      emit: (Report) -> Void) async throws {
        let (summary, failed) = try await master.withConnection { connection in
            let ledger = RunLedger(connection: connection, logger: context.logger)
            return (try await ledger.summary(run: run), try await ledger.targets(run: run, status: .failed))
        }
        let counts = summary.counts
        let output = context.output
        var line = "Run \(run): \(counts.succeeded) succeeded, \(counts.failed) failed, \(counts.skipped) skipped, "
            + "\(counts.queued) not started"
        if counts.running > 0 { line += ", \(counts.running) still running elsewhere" }
        line += " (of \(counts.total)); \(summary.status.rawValue)"
        if let finished = summary.finishedAt {
            line += String(format: " in %.1f s", finished.timeIntervalSince(summary.startedAt))
        }
        output.result(line)
        if let reason = summary.stopReason { output.result("Stopped: \(reason)") }
        if !runner.retries.isEmpty {
            let retried = runner.retries.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value)×)" }
            output.result("Retried after a lock timeout: \(retried.prefix(20).joined(separator: ", "))\(retried.count > 20 ? ", …" : "")")
        }
        for target in failed.prefix(20) {
            // The whole error (its detail says which row, which key), the hint only once below.
            let lines = (target.error ?? "failed").split(separator: "\n").map(String.init).filter { !$0.hasPrefix("hint: ") }
            output.result("  \(target.tenantID): \(lines.first ?? "failed")")
            for line in lines.dropFirst().prefix(4) { output.result("    \(line.trimmingCharacters(in: .whitespaces))") }
        }
        if failed.count > 20 { output.result("  ... and \(failed.count - 20) more (tenantry runs show \(run))") }
        emit(Report(run: run, kind: summary.kind.rawValue, status: summary.status.rawValue, stopReason: summary.stopReason,
                               succeeded: counts.succeeded, failed: counts.failed, skipped: counts.skipped, notStarted: counts.queued,
                               running: counts.running, total: counts.total,
                               runner: ["succeeded": runner.succeeded.count, "failed": runner.failed.count,
                                        "retriedAfterLockTimeout": runner.retries.count],
                               failures: failed.map { Report.Failure(tenant: $0.tenantID, error: $0.error, sqlstate: $0.sqlState) }))
        if runner.interrupted {
            throw TenantryError.setup("run \(run) was interrupted; \(counts.queued) tenant\(counts.queued == 1 ? "" : "s") not started",
                                      hint: next(summary.kind, resume: run))
        }
        if counts.failed > 0 {
            throw TenantryError.failed("\(counts.failed) of \(counts.total) tenants failed in run \(run)",
                                       hint: "fix the cause, then " + next(summary.kind, retry: run))
        }
        if summary.status == .stopped {
            throw TenantryError.failed("run \(run) stopped before the end: \(summary.stopReason ?? "stopped")",
                                       hint: next(summary.kind, resume: run))
        }
    }
}
