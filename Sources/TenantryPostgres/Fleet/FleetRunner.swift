import Foundation
import Logging
import PostgresNIO
import TenantryCore

/// One runner process's part of a fleet run: claims targets from the ledger, works on them concurrently within
/// `policy.concurrency` and each server's connection budget, records each end, and stops scheduling when the
/// policy says so or `shouldStop` turns true (SIGINT). In-flight tenants always finish and are recorded.
///
/// Connections: one to the master for the ledger (claims, heartbeats, results), counted against the master's
/// server budget; each tenant's work opens its own on the tenant's server.
public struct FleetRunner: Sendable {
    public enum Event: Sendable {
        case started(tenant: String)
        case finished(tenant: String, outcome: FleetRun.Outcome)
        case failed(tenant: String, error: TenantryError)
        /// A lock timeout: the tenant goes to the back of the run and is tried again after `delay`.
        case retrying(tenant: String, attempt: Int, of: Int, delay: Duration, error: TenantryError)
        case stopping(reason: String)
    }

    /// What this runner did, and the run as it stands when the runner stops.
    public struct Report: Sendable {
        public var succeeded: [String] = []
        public var failed: [String] = []
        /// Lock-timeout retries per tenant (see `FleetPolicy.lockRetries`).
        public var retries: [String: Int] = [:]
        public var runStatus: FleetRun.Status = .running
        public var interrupted = false
    }

    public let master: PostgresConnector
    public let servers: TenantServers
    public let run: Int64
    /// `user@host:pid`, unique per process.
    public let runnerID: String
    public let policy: FleetPolicy
    public let logger: Logger
    /// The work on one tenant; its error is recorded for that tenant only.
    public let job: @Sendable (String) async throws -> FleetRun.Outcome
    public let shouldStop: @Sendable () -> Bool
    /// Connections the run keeps on the master's server besides the tenants' work, counted against its budget: the
    /// ledger's, and a `SharedConnection` for registrations when the caller has one.
    public var reservedOnMaster = 1

    public init(master: PostgresConnector, servers: TenantServers, run: Int64, runnerID: String, policy: FleetPolicy,
                logger: Logger, shouldStop: @escaping @Sendable () -> Bool = { false },
                job: @escaping @Sendable (String) async throws -> FleetRun.Outcome) {
        self.master = master
        self.servers = servers
        self.run = run
        self.runnerID = runnerID
        self.policy = policy
        self.logger = logger
        self.shouldStop = shouldStop
        self.job = job
    }

    public func work(onEvent: @escaping @Sendable (Event) -> Void = { _ in }) async throws -> Report {
        try await withTaskExecutorPreference(ClientLoop.shared) { try await work(inLoop: onEvent) }
    }

    private func work(inLoop onEvent: @escaping @Sendable (Event) -> Void) async throws -> Report {
        try await master.withConnection { connection in
            let ledger = RunLedger(connection: connection, logger: logger)
            let heartbeat = Task {
                let period = policy.lease / 3
                while !Task.isCancelled {
                    try? await Task.sleep(for: period)
                    try? await ledger.heartbeat(run: run, runner: runnerID)
                }
            }
            // The heartbeat ends before the ledger's connection is given back.
            let scheduled: Result<Report, any Error>
            do {
                scheduled = .success(try await schedule(ledger, onEvent: onEvent))
            } catch {
                scheduled = .failure(error)
            }
            heartbeat.cancel()
            await heartbeat.value
            var report = try scheduled.get()
            if report.interrupted {
                // Left queued: `--resume` finishes the run. Another runner still working keeps it running.
                try await ledger.stop(run: run, status: .interrupted, reason: "interrupted (SIGINT/SIGTERM) by \(runnerID)")
            }
            report.runStatus = try await ledger.finalize(run: run)
            return report
        }
    }

    /// Tenants in flight per server (registry value, `""` for the master's).
    private struct Slots {
        var budgets: [String: Int]
        var used: [String: Int] = [:]
        var total = 0

        func budget(_ server: String) -> Int { budgets[server] ?? TenantServers.defaultBudget }
        func inUse(_ server: String) -> Int { used[server] ?? 0 }
        func free(_ server: String) -> Int { budget(server) - inUse(server) }
    }

    /// Claimed by this runner, not started yet, per server: claims come in batches, so most tenants start without
    /// a round trip to the ledger. The heartbeat keeps them; stopping gives them back.
    private struct Backlog {
        var byServer: [String: [String]] = [:]
        var count: Int { byServer.values.reduce(0) { $0 + $1.count } }
        var all: [String] { byServer.values.flatMap { $0 } }

        func count(on server: String) -> Int { byServer[server]?.count ?? 0 }

        /// The next tenant on a server with a free slot, in claim order per server.
        mutating func take(where hasRoom: (String) -> Bool) -> (tenant: String, server: String)? {
            for server in byServer.keys.sorted() where hasRoom(server) {
                if var queue = byServer[server], !queue.isEmpty {
                    let tenant = queue.removeFirst()
                    byServer[server] = queue
                    return (tenant, server)
                }
            }
            return nil
        }
    }

    /// Ends recorded together: one statement per batch instead of one per tenant. A failure is recorded at once
    /// (the stop policies count failures in the ledger), the rest at least every half second.
    private struct Pending {
        var finished: [RunLedger.Finished] = []
        var nextFlush = ContinuousClock.now + .milliseconds(500)

        var isDue: Bool { finished.count >= 64 || ContinuousClock.now >= nextFlush }
    }

    private func flush(_ pending: inout Pending, _ ledger: RunLedger) async throws {
        pending.nextFlush = ContinuousClock.now + .milliseconds(500)
        guard !pending.finished.isEmpty else { return }
        try await ledger.finish(run: run, runner: runnerID, pending.finished)
        pending.finished = []
    }

    private func schedule(_ ledger: RunLedger, onEvent: @escaping @Sendable (Event) -> Void) async throws -> Report {
        let serverOf = try await serverIndex(ledger)
        var slots = Slots(budgets: budgets(for: Set(serverOf.values)))
        var backlog = Backlog()
        var pending = Pending()
        var report = Report()
        var gate = ClaimGate()
        var retries = LockRetries(limit: policy.lockRetries, firstDelay: policy.lockRetryDelay)
        return try await withThrowingTaskGroup(of: (String, FleetRun.Outcome?, TenantryError?).self) { group in
            var stopping = false
            while true {
                if !stopping && shouldStop() {
                    stopping = true
                    report.interrupted = true
                    onEvent(.stopping(reason: "interrupted: finishing the tenants in flight"))
                }
                if stopping, backlog.count > 0 {
                    try await ledger.release(run: run, runner: runnerID, tenants: backlog.all)
                    backlog = Backlog()
                }
                if !stopping {
                    func startFromBacklog() {
                        while slots.total < policy.concurrency,
                              let (tenant, server) = retries.takeReady(where: { slots.free($0) > 0 }) ?? backlog.take(where: { slots.free($0) > 0 }) {
                            slots.used[server, default: 0] += 1
                            slots.total += 1
                            onEvent(.started(tenant: tenant))
                            group.addTask { await perform(tenant) }
                        }
                    }
                    // Free slots take from the backlog first, so the claim's round trip runs beside their work; the
                    // backlog is refilled at half depth, so a claim brings a batch rather than the one target just finished.
                    startFromBacklog()
                    if backlog.count <= Self.backlogDepth(policy.concurrency) / 2 {
                        for tenant in try await claimMore(ledger, slots: slots, backlog: backlog, gate: &gate) {
                            backlog.byServer[serverOf[tenant] ?? "", default: []].append(tenant)
                        }
                        startFromBacklog()
                    }
                    if slots.total == 0 {
                        // Our own recorded ends must be in the ledger before asking what is left.
                        try await flush(&pending, ledger)
                        guard try await ledger.hasOpenTargets(run: run) else { break }
                        // Others hold the remaining claims (or canaries are still running elsewhere): wait for them.
                        try await Task.sleep(for: .milliseconds(200))
                        continue
                    }
                }
                guard slots.total > 0, let (tenant, outcome, error) = try await group.next() else { break }
                let server = serverOf[tenant] ?? ""
                slots.used[server, default: 1] -= 1
                slots.total -= 1
                if !stopping, let error, let retry = retries.retry(tenant, on: server, after: error) {
                    try await ledger.countAttempt(run: run, tenant: tenant)
                    onEvent(.retrying(tenant: tenant, attempt: retry.attempt, of: policy.lockRetries, delay: retry.delay, error: error))
                    continue
                }
                pending.finished.append(RunLedger.Finished(tenant: tenant, outcome: outcome, error: error))
                if error != nil || pending.isDue { try await flush(&pending, ledger) }
                if let error {
                    report.failed.append(tenant)
                    onEvent(.failed(tenant: tenant, error: error))
                    if !stopping, let reason = try await stopReason(ledger, tenant: tenant, error: error) {
                        stopping = true
                        try await ledger.stop(run: run, status: .stopped, reason: reason)
                        onEvent(.stopping(reason: reason))
                    }
                } else if let outcome {
                    report.succeeded.append(tenant)
                    onEvent(.finished(tenant: tenant, outcome: outcome))
                }
                if stopping && slots.total == 0 { break }
            }
            // Claimed but not started (a stop): queued again, for `--resume`.
            let unstarted = backlog.all + retries.all
            if !unstarted.isEmpty { try await ledger.release(run: run, runner: runnerID, tenants: unstarted) }
            try await flush(&pending, ledger)
            report.retries = retries.attempts
            return report
        }
    }

    private func perform(_ tenant: String) async -> (String, FleetRun.Outcome?, TenantryError?) {
        do {
            return (tenant, try await job(tenant), nil)
        } catch {
            let described = (error as? TenantryError) ?? PostgresErrorDescriber.queryError(error, doing: "tenant \(tenant)")
            return (tenant, nil, described)
        }
    }

    /// How many claimed targets wait beside `width` running ones: at least 32, so a small concurrency does not
    /// claim a target or two at a time (a claim costs the ledger a round trip and an index walk).
    static func backlogDepth(_ width: Int) -> Int { max(2 * width, 32) }

    /// Claims on every server with room, enough for `concurrency` running plus a full backlog, and on each server
    /// as much for what it may run at once: queued targets first (canaries only while a canary has not succeeded),
    /// then, at most once a second, stale claims of others.
    private func claimMore(_ ledger: RunLedger, slots: Slots, backlog: Backlog, gate: inout ClaimGate) async throws -> [String] {
        let depth = { (width: Int) in width + Self.backlogDepth(width) }
        var free = depth(policy.concurrency) - slots.total - backlog.count
        guard free > 0 else { return [] }
        if gate.canariesPending { gate.canariesPending = try await ledger.canariesPending(run: run) }
        // While canaries are pending only they are claimed: one at a time per free slot, never a backlog of them.
        let canariesOnly = gate.canariesPending
        let room = { (server: String) in
            canariesOnly ? min(policy.concurrency - slots.total, slots.free(server)) - backlog.count(on: server)
                                 : depth(min(policy.concurrency, slots.budget(server))) - slots.inUse(server) - backlog.count(on: server)
        }
        var claimed: [String] = []
        for server in slots.budgets.keys.sorted() where room(server) > 0 && free > 0 {
            let got = try await ledger.claim(run: run, runner: runnerID, limit: min(free, room(server)),
                                             servers: [server], canariesFirst: gate.canariesPending)
            claimed += got
            free -= got.count
        }
        if free > 0 && ContinuousClock.now >= gate.nextStaleCheck {
            gate.nextStaleCheck = ContinuousClock.now + .seconds(1)
            for server in slots.budgets.keys.sorted() where room(server) > 0 && free > 0 {
                let got = try await ledger.claimStale(run: run, runner: runnerID, limit: min(free, room(server)),
                                                      servers: [server], lease: policy.lease)
                claimed += got
                free -= got.count
            }
        }
        return claimed
    }

    /// What the claim loop remembers between claims.
    private struct ClaimGate {
        /// Once every canary has succeeded this stays false (a succeeded target never changes again).
        var canariesPending = true
        var nextStaleCheck = ContinuousClock.now
    }

    /// Connection budgets of the servers in the run; the ledger's own connection counts against the master's.
    private func budgets(for used: Set<String>) -> [String: Int] {
        var budgets: [String: Int] = [:]
        for server in used {
            budgets[server] = server.isEmpty ? max(1, servers.master.budget - reservedOnMaster) : servers.budget(of: server)
        }
        return budgets
    }

    /// The server of each target of the run (URL-named servers get the default budget under their own key).
    private func serverIndex(_ ledger: RunLedger) async throws -> [String: String] {
        let rows = try await ledger.connection.query("""
            SELECT tenant_id, coalesce(server, '') FROM tenantry.run_targets WHERE run_id = \(run)
            """, logger: logger).collect()
        return try Dictionary(rows.map { try $0.decode((String, String).self) }, uniquingKeysWith: { first, _ in first })
    }

    /// Why scheduling must stop after this failure, if it must.
    private func stopReason(_ ledger: RunLedger, tenant: String, error: TenantryError) async throws -> String? {
        // The files disagree with a history: every tenant with that history would stop the same way.
        if error.code == .integrity { return "the migration files disagree with \(tenant)'s history; fix the files, then run again" }
        let canaryRows = try await ledger.connection.query("""
            SELECT canary FROM tenantry.run_targets WHERE run_id = \(run) AND tenant_id = \(tenant)
            """, logger: logger).collect()
        if try canaryRows.first?.decode(Bool.self) == true { return "canary \(tenant) failed" }
        if policy.failFast { return "--fail-fast: \(tenant) failed" }
        if let threshold = policy.maxFailures {
            let counts = try await ledger.counts(run: run)
            if threshold.isExceeded(failed: counts.failed, total: counts.total) {
                return "--max-failures \(threshold): \(counts.failed) of \(counts.total) tenants failed"
            }
        }
        return nil
    }
}
