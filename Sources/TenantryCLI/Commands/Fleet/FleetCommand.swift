import Foundation
import TenantryCore
import TenantryPostgres

/// Runs a fleet command (`migrate tenants`, `rollback tenants`, `tenant create --from`) through the ledger:
/// starts a new run (or joins, resumes or retries one), works on it with a `FleetRunner`, prints the summary,
/// and maps the outcome to the exit code (1 when a tenant failed, 2 when interrupted).
struct FleetCommand {
    /// How this runner gets its run.
    enum Start {
        case new([FleetRun.Planned])
        case join(Int64)
        case resume(Int64)
        case retryFailed(Int64?)
    }

    let context: CommandContext
    let kind: FleetRun.Kind
    let options: FleetOptions
    let provisioner: TenantProvisioner
    /// Recorded in `tenantry.runs.options` next to the policy (target version, selection, ...).
    var runOptions: [String: String] = [:]
    /// The registry as the caller read it after preparing it (`migrate` reads it to plan the run): not read again.
    var registered: [Tenant]?
    /// For a new run: the tenants known to have nothing to do, recorded as succeeded before any is claimed.
    /// It throws to refuse the run before it is opened (the files disagree with a tenant's history).
    var alreadyCurrent: (@Sendable ([Tenant]) async throws -> [(id: String, version: String?)])?

    /// - Parameter emit: writes the `--json` document (the caller may wrap the fleet report in its own).
    /// - Parameter job: the work on one tenant, given its id and registry row (nil when it is not registered:
    ///   bulk provisioning registers it itself).
    func execute(_ start: Start, emit: (FleetSummary.Report) -> Void,
                 job: @escaping @Sendable (String, Tenant?) async throws -> FleetRun.Outcome) async throws {
        let registered: [Tenant]
        if let known = self.registered, provisioner.registryPrepared {
            registered = known
        } else {
            let registry = TenantRegistry(master: provisioner.master, logger: context.logger)
            try await registry.prepare()
            registered = try await registry.list()
        }
        // The master database and every database holding tenant schemas serve many tenants each: keep their
        // connections between tenants (tenant databases of the database layout are used once, so not theirs).
        var shared = Set(registered.filter { $0.schemaName != nil }.map(\.databaseName))
        shared.insert(provisioner.master.settings.database)
        if provisioner.layout == .schema { shared.formUnion(provisioner.servers.others.map(\.connector.settings.database)) }
        ConnectionReuse.shared.enable(databases: shared)
        do {
            try await run(start, registered: registered, emit: emit, job: job)
        } catch {
            await ConnectionReuse.shared.closeAll()
            throw error
        }
        await ConnectionReuse.shared.closeAll()
    }

    private func run(_ start: Start, registered: [Tenant], emit: (FleetSummary.Report) -> Void,
                     job: @escaping @Sendable (String, Tenant?) async throws -> FleetRun.Outcome) async throws {
        var policy = try options.policy(context.project.config)
        let runnerID = Self.runnerID()
        let tenants = Dictionary(registered.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var current: [(id: String, version: String?)] = []
        if case .new(let planned) = start, let alreadyCurrent {
            current = try await alreadyCurrent(planned.filter { $0.skipReason == nil }.compactMap { tenants[$0.tenantID] })
        }
        let run = try await provisioner.master.withConnection { connection in
            try await open(start, ledger: RunLedger(connection: connection, logger: context.logger), policy: &policy, runnerID: runnerID)
        }
        if !current.isEmpty {
            try await provisioner.master.withConnection { connection in
                try await RunLedger(connection: connection, logger: context.logger).markCurrent(run: run, tenants: current, runner: runnerID)
            }
        }
        let summary = try await provisioner.master.withConnection { try await RunLedger(connection: $0, logger: context.logger).summary(run: run) }
        let progress = try FleetProgress(output: context.output, run: run, total: summary.counts.queued + summary.counts.running,
                                         eventsFile: options.events.map(Self.absolute))
        // `--events` has a line for every tenant, those found current included.
        for tenant in current {
            progress.writeEvent(tenant: tenant.id, status: "succeeded",
                                outcome: FleetRun.Outcome(versionBefore: tenant.version, versionAfter: tenant.version, applied: 0), error: nil)
        }
        let currentNote = current.isEmpty ? "" : ", \(current.count) already current"
        context.output.note("Run \(run) (\(kind.rawValue)): \(summary.counts.total) tenant\(summary.counts.total == 1 ? "" : "s")\(currentNote), "
                            + "concurrency \(policy.concurrency), runner \(runnerID)")
        let stop = StopSignal { _ in context.output.note("\nStopping: finishing the tenants in flight (again to quit at once)") }
        defer { stop.restore() }
        var runner = FleetRunner(master: provisioner.master, servers: provisioner.servers, run: run, runnerID: runnerID, policy: policy,
                                 logger: context.logger, shouldStop: { stop.isRequested }) { id in
            try await job(id, tenants[id])
        }
        runner.reservedOnMaster = provisioner.sharedStatements == nil ? 1 : 2
        let report = try await runner.work(onEvent: progress.handle)
        progress.finish()
        try await FleetSummary.print(run: run, runner: report, context: context, master: provisioner.master, emit: emit)
    }

    /// Creates the run, or checks and reopens the one named; the policy of an existing run is the run's own.
    private func open(_ start: Start, ledger: RunLedger, policy: inout FleetPolicy, runnerID: String) async throws -> Int64 {
        let abandoned = try await ledger.markAbandoned(lease: policy.lease)
        if !abandoned.isEmpty {
            let ids = abandoned.map(String.init).joined(separator: ", ")
            context.output.note("Run\(abandoned.count == 1 ? "" : "s") \(ids): abandoned by \(abandoned.count == 1 ? "its runner" : "their runners") (killed?), now interrupted; "
                                + FleetSummary.next(kind, resume: abandoned[0]))
        }
        switch start {
        case .new(let planned):
            return try await ledger.create(kind: kind, startedBy: runnerID, options: recorded(policy), targets: planned)
        case .join(let id):
            let summary = try await existing(id, ledger: ledger)
            guard summary.status == .running else {
                throw TenantryError.usage("run \(id) is \(summary.status.rawValue); only a running run can be joined",
                                          hint: summary.status == .succeeded ? nil : "`--resume \(id)` continues it")
            }
            policy = Self.policy(from: summary.options, concurrency: policy.concurrency)
            return id
        case .resume(let id):
            let summary = try await existing(id, ledger: ledger)
            try await ledger.reopen(run: id)
            policy = Self.policy(from: summary.options, concurrency: policy.concurrency)
            return id
        case .retryFailed(let source):
            var latest = source
            if latest == nil { latest = try await ledger.latestWithFailures(kind: kind) }
            guard let id = latest else {
                throw TenantryError.usage("no \(kind.rawValue) run has failed tenants; nothing to retry")
            }
            _ = try await existing(id, ledger: ledger)
            let failed = try await ledger.targets(run: id, status: .failed)
            guard !failed.isEmpty else { throw TenantryError.usage("run \(id) has no failed tenants; nothing to retry") }
            context.output.note("Retrying the \(failed.count) failed tenant\(failed.count == 1 ? "" : "s") of run \(id)")
            var options = recorded(policy)
            options["retry_of"] = String(id)
            return try await ledger.create(kind: kind, startedBy: runnerID, options: options,
                                           targets: failed.map { FleetRun.Planned(tenantID: $0.tenantID, server: $0.server) })
        }
    }

    private func existing(_ id: Int64, ledger: RunLedger) async throws -> FleetRun.Summary {
        let summary = try await ledger.summary(run: id)
        guard summary.kind == kind else {
            throw TenantryError.usage("run \(id) is a \(summary.kind.rawValue) run, not a \(kind.rawValue) run")
        }
        return summary
    }

    private func recorded(_ policy: FleetPolicy) -> [String: String] {
        var options = runOptions
        options["concurrency"] = String(policy.concurrency)
        options["lease_seconds"] = String(policy.lease.components.seconds)
        if policy.failFast { options["fail_fast"] = "true" }
        if let threshold = policy.maxFailures { options["max_failures"] = threshold.description }
        if let canary = self.options.canary { options["canary"] = String(canary) }
        if !self.options.selection.tenants.isEmpty { options["tenants"] = self.options.selection.tenants.joined(separator: ",") }
        if !self.options.selection.filters.isEmpty { options["where"] = self.options.selection.filters.joined(separator: ",") }
        return options
    }

    /// Joined and resumed runs follow the failure policy and lease they were started with.
    static func policy(from options: [String: String], concurrency: Int) -> FleetPolicy {
        FleetPolicy(concurrency: concurrency, failFast: options["fail_fast"] == "true",
                    maxFailures: options["max_failures"].flatMap { try? FleetPolicy.Threshold(parsing: $0) },
                    lease: .seconds(Int64(options["lease_seconds"] ?? "") ?? 30))
    }

    /// `user@host:pid`: who is working, in the ledger and in messages.
    static func runnerID() -> String {
        let user = ConnectionResolver.currentOSUser()
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
        return "\(user)@\(host):\(getpid())"
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
