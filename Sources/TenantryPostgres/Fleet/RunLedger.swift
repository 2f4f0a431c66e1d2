import Foundation
import Logging
import PostgresNIO
import TenantryCore

/// `tenantry.runs` and `tenantry.run_targets`: what makes a fleet run resumable, shareable by several runner
/// processes, and retryable. Every statement here is one round trip with bound values.
///
/// Runners claim queued targets (or targets whose claim went stale: no heartbeat for `lease`) with
/// `FOR UPDATE SKIP LOCKED`, so two runners never claim the same tenant at once; the migration engine's
/// per-target lock and history make a taken-over tenant safe even if its first runner is still alive.
public struct RunLedger: Sendable {
    public let connection: PostgresConnection
    public let logger: Logger

    public init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Starts a run with its targets (queued, or skipped with their reason) in one transaction.
    public func create(kind: FleetRun.Kind, startedBy: String, options: [String: String], targets: [FleetRun.Planned]) async throws -> Int64 {
        let optionsJSON = try RegistryJSON.encode(options)
        try await connection.execute("BEGIN", logger: logger)
        do {
            let id = try await connection.query("""
                INSERT INTO tenantry.runs (kind, status, started_by, options) VALUES (\(kind.rawValue), 'running', \(startedBy), \(optionsJSON)::jsonb)
                RETURNING id
                """, logger: logger).collect().first!.decode(Int64.self)
            // One statement for the whole fleet: arrays unnested server-side ("" stands for NULL: arrays of
            // optionals cannot be bound, and neither a server name nor a skip reason is ever empty).
            let ids = targets.map(\.tenantID), servers = targets.map { $0.server ?? "" }, canaries = targets.map(\.canary)
            let statuses = targets.map { $0.skipReason == nil ? "queued" : "skipped" }, reasons = targets.map { $0.skipReason ?? "" }
            _ = try await connection.query("""
                INSERT INTO tenantry.run_targets (run_id, tenant_id, position, server, canary, status, error, finished_at)
                SELECT \(id), t.tenant_id, t.position::int, nullif(t.server, ''), t.canary, t.status, nullif(t.reason, ''),
                       CASE WHEN t.status = 'skipped' THEN now() END
                FROM unnest(\(ids)::text[], \(servers)::text[], \(canaries)::bool[], \(statuses)::text[], \(reasons)::text[])
                     WITH ORDINALITY AS t(tenant_id, server, canary, status, reason, position)
                """, logger: logger).collect()
            try await connection.execute("COMMIT", logger: logger)
            return id
        } catch {
            try? await connection.execute("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// Claims up to `limit` queued targets of a running run, in position order, on the given servers only
    /// (registry values, `""` for the master's). With `canariesFirst`, only canaries are claimed (the runner
    /// asks while some canary has not succeeded).
    public func claim(run: Int64, runner: String, limit: Int, servers: [String], canariesFirst: Bool) async throws -> [String] {
        try await claim(run: run, runner: runner, limit: limit, servers: servers, status: "queued", canariesFirst: canariesFirst, lease: nil)
    }

    /// Takes over targets whose runner stopped sending heartbeats for `lease` (killed, or cut off).
    public func claimStale(run: Int64, runner: String, limit: Int, servers: [String], lease: Duration) async throws -> [String] {
        try await claim(run: run, runner: runner, limit: limit, servers: servers, status: "running", canariesFirst: false, lease: lease)
    }

    /// Both claims: targets of `status` (with a heartbeat older than `lease` when given), locked `FOR UPDATE SKIP
    /// LOCKED` so two runners never take the same one. The pick walks the (run_id, status, position) index and
    /// stops after `limit`; the update goes straight to the picked rows by their `ctid` (stable: they are locked).
    /// Neither grows with the fleet: a join on the pick, planned from a new run's missing statistics, once scanned
    /// every target of the run on each claim.
    private func claim(run: Int64, runner: String, limit: Int, servers: [String], status: String, canariesFirst: Bool,
                       lease: Duration?) async throws -> [String] {
        try connection.ensureOpen()
        let seconds = lease.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 } ?? 0
        return try await claimed(connection.query("""
            WITH picked AS (
                SELECT t.ctid FROM tenantry.run_targets t
                WHERE t.run_id = \(run) AND t.status = \(status) AND coalesce(t.server, '') = ANY(\(servers)::text[])
                  AND (t.canary OR NOT \(canariesFirst))
                  AND (NOT \(lease != nil) OR t.heartbeat_at < now() - make_interval(secs => \(seconds)))
                  AND EXISTS (SELECT 1 FROM tenantry.runs r WHERE r.id = \(run) AND r.status = 'running')
                ORDER BY t.position
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            )
            UPDATE tenantry.run_targets t
            SET status = 'running', claimed_by = \(runner), claimed_at = now(), heartbeat_at = now(),
                attempts = t.attempts + 1, started_at = coalesce(t.started_at, now())
            WHERE t.ctid = ANY(ARRAY(SELECT ctid FROM picked))
            RETURNING t.tenant_id, t.position
            """, logger: logger).collect())
    }

    /// Whether some canary of the run has not succeeded yet (non-canaries wait for them).
    public func canariesPending(run: Int64) async throws -> Bool {
        try connection.ensureOpen()
        let rows = try await connection.query("""
            SELECT EXISTS (SELECT 1 FROM tenantry.run_targets WHERE run_id = \(run) AND canary AND status <> 'succeeded')
            """, logger: logger).collect()
        return try rows.first?.decode(Bool.self) ?? false
    }

    private func claimed(_ rows: [PostgresRow]) throws -> [String] {
        try rows.map { try $0.decode((String, Int).self) }.sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// Keeps this runner's claims alive.
    public func heartbeat(run: Int64, runner: String) async throws {
        try connection.ensureOpen()
        _ = try await connection.query("""
            UPDATE tenantry.run_targets SET heartbeat_at = now()
            WHERE run_id = \(run) AND claimed_by = \(runner) AND status = 'running'
            """, logger: logger).collect()
    }

    /// One target's end, as `finish` records it.
    public struct Finished: Sendable {
        public var tenant: String
        public var outcome: FleetRun.Outcome?
        public var error: TenantryError?

        public init(tenant: String, outcome: FleetRun.Outcome?, error: TenantryError?) {
            self.tenant = tenant
            self.outcome = outcome
            self.error = error
        }
    }

    /// Records the ends of several targets in one statement, each only if this runner still holds its claim (a
    /// taken-over claim belongs to the new runner), and each tenant's `track_version` with it (see
    /// `TenantRegistry.recordedTrackVersions`). `""` and -1 stand for NULL: arrays of optionals cannot be bound.
    public func finish(run: Int64, runner: String, _ finished: [Finished]) async throws {
        guard !finished.isEmpty else { return }
        try connection.ensureOpen()
        let tenants = finished.map(\.tenant), statuses = finished.map { $0.error == nil ? "succeeded" : "failed" }
        let before = finished.map { $0.outcome?.versionBefore ?? "" }, after = finished.map { $0.outcome?.versionAfter ?? "" }
        let applied = finished.map { $0.outcome?.applied ?? -1 }, sqlStates = finished.map { $0.error?.sqlState ?? "" }
        let messages = finished.map { item in
            item.error.map { [$0.message, $0.hint.map { "hint: \($0)" }].compactMap { $0 }.joined(separator: "\n") } ?? ""
        }
        // The tenants' recorded versions follow (a failure leaves a tenant's version unknown; a success that reports
        // no version, such as an ACTIVE tenant listed again for provisioning, keeps the one recorded), in the same statement.
        // A failed job reports no versions: its version before is the one recorded for it until now (the
        // statement reads `tenants` as it was before the update below).
        _ = try await connection.query("""
            WITH ended AS (
                UPDATE tenantry.run_targets t
                SET status = f.status,
                    version_before = CASE WHEN f.status = 'failed' AND f.before = ''
                                          THEN (SELECT track_version FROM tenantry.tenants WHERE id = f.tenant_id)
                                          ELSE nullif(f.before, '') END,
                    version_after = nullif(f.after, ''),
                    applied = nullif(f.applied, -1), error = nullif(f.error, ''), sqlstate = nullif(f.sqlstate, ''), finished_at = now()
                FROM unnest(\(tenants)::text[], \(statuses)::text[], \(before)::text[], \(after)::text[], \(applied)::int[],
                            \(messages)::text[], \(sqlStates)::text[]) AS f(tenant_id, status, before, after, applied, error, sqlstate)
                WHERE t.run_id = \(run) AND t.tenant_id = f.tenant_id AND t.claimed_by = \(runner) AND t.status = 'running'
                RETURNING t.tenant_id, t.status, t.version_after
            )
            UPDATE tenantry.tenants SET track_version = CASE WHEN ended.status = 'succeeded' THEN coalesce(ended.version_after, tenants.track_version) END
            FROM ended WHERE tenants.id = ended.tenant_id
              AND tenants.track_version IS DISTINCT FROM (CASE WHEN ended.status = 'succeeded' THEN coalesce(ended.version_after, tenants.track_version) END)
            """, logger: logger).collect()
    }

    /// One more attempt of a claimed target, tried again after a lock timeout (`attempts` counts them).
    public func countAttempt(run: Int64, tenant: String) async throws {
        try connection.ensureOpen()
        _ = try await connection.query("""
            UPDATE tenantry.run_targets SET attempts = attempts + 1 WHERE run_id = \(run) AND tenant_id = \(tenant)
            """, logger: logger).collect()
    }

    /// Gives back claims this runner took but never started (it stops scheduling): queued again, as if never claimed.
    public func release(run: Int64, runner: String, tenants: [String]) async throws {
        guard !tenants.isEmpty else { return }
        try connection.ensureOpen()
        _ = try await connection.query("""
            UPDATE tenantry.run_targets
            SET status = 'queued', claimed_by = NULL, claimed_at = NULL, heartbeat_at = NULL, attempts = attempts - 1,
                started_at = CASE WHEN attempts <= 1 THEN NULL ELSE started_at END
            WHERE run_id = \(run) AND tenant_id = ANY(\(tenants)::text[]) AND claimed_by = \(runner) AND status = 'running'
            """, logger: logger).collect()
    }

    /// Stops scheduling for every runner of the run (`--fail-fast`, `--max-failures`, a failed canary).
    public func stop(run: Int64, status: FleetRun.Status, reason: String) async throws {
        _ = try await connection.query("""
            UPDATE tenantry.runs SET status = \(status.rawValue), stop_reason = \(reason) WHERE id = \(run) AND status = 'running'
            """, logger: logger).collect()
    }

    /// Runs still `running` that nobody works on any more (their runners were killed: no target of theirs has had
    /// a heartbeat for `lease`) become `interrupted`, so they stop looking alive; `--resume RUN` still finishes them.
    /// Returns their ids.
    @discardableResult
    public func markAbandoned(lease: Duration) async throws -> [Int64] {
        try connection.ensureOpen()
        let seconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
        let rows = try await connection.query("""
            UPDATE tenantry.runs r
            SET status = 'interrupted',
                stop_reason = 'abandoned: no runner has worked on it for ' || \(Int(seconds))::text || ' s (killed?)'
            WHERE r.status = 'running' AND r.started_at < now() - make_interval(secs => \(seconds))
              AND NOT EXISTS (SELECT 1 FROM tenantry.run_targets t
                              WHERE t.run_id = r.id AND t.status = 'running'
                                AND coalesce(t.heartbeat_at, t.claimed_at) > now() - make_interval(secs => \(seconds)))
            RETURNING r.id
            """, logger: logger).collect()
        return try rows.map { try $0.decode(Int64.self) }
    }

    /// Marks the run succeeded or failed once nothing is queued or running, and stamps `finished_at` on a run
    /// stopped earlier once its last target has ended. Returns the run's status afterwards.
    @discardableResult
    public func finalize(run: Int64) async throws -> FleetRun.Status {
        let rows = try await connection.query("""
            WITH open AS (
                SELECT count(*) FILTER (WHERE status IN ('queued', 'running')) AS pending,
                       count(*) FILTER (WHERE status = 'running') AS running,
                       count(*) FILTER (WHERE status = 'failed') AS failed
                FROM tenantry.run_targets WHERE run_id = \(run)
            ), updated AS (
                UPDATE tenantry.runs r
                SET status = CASE WHEN r.status = 'running' THEN (CASE WHEN open.failed > 0 THEN 'failed' ELSE 'succeeded' END)
                                  ELSE r.status END,
                    finished_at = now()
                FROM open
                WHERE r.id = \(run) AND r.finished_at IS NULL
                  AND ((r.status = 'running' AND open.pending = 0) OR (r.status <> 'running' AND open.running = 0))
                RETURNING r.status
            )
            SELECT status FROM updated UNION ALL SELECT status FROM tenantry.runs WHERE id = \(run) AND NOT EXISTS (SELECT 1 FROM updated)
            """, logger: logger).collect()
        guard let text = try rows.first?.decode(String.self), let status = FleetRun.Status(rawValue: text) else {
            throw RunLedgerFailure.unknownRun(run)
        }
        return status
    }

    /// Targets per status.
    public func counts(run: Int64) async throws -> FleetRun.Counts {
        let rows = try await connection.query("""
            SELECT status, count(*)::int FROM tenantry.run_targets WHERE run_id = \(run) GROUP BY status
            """, logger: logger).collect()
        var counts = FleetRun.Counts()
        for row in rows {
            let (status, count) = try row.decode((String, Int).self)
            if let known = FleetRun.TargetStatus(rawValue: status) { counts[known] = count }
        }
        return counts
    }

    /// Whether a target of the run may still be claimed later (queued, or running under some claim).
    public func hasOpenTargets(run: Int64) async throws -> Bool {
        let rows = try await connection.query("""
            SELECT EXISTS (SELECT 1 FROM tenantry.run_targets WHERE run_id = \(run) AND status IN ('queued', 'running'))
               AND EXISTS (SELECT 1 FROM tenantry.runs WHERE id = \(run) AND status = 'running')
            """, logger: logger).collect()
        return try rows.first?.decode(Bool.self) ?? false
    }

    /// Reopens a stopped or interrupted run (`--resume`); a finished run stays as it is.
    public func reopen(run: Int64) async throws {
        _ = try await connection.query("""
            UPDATE tenantry.runs SET status = 'running', stop_reason = NULL, finished_at = NULL
            WHERE id = \(run) AND status IN ('stopped', 'interrupted')
              AND EXISTS (SELECT 1 FROM tenantry.run_targets WHERE run_id = \(run) AND status IN ('queued', 'running'))
            """, logger: logger).collect()
    }
}

enum RunLedgerFailure {
    static func unknownRun(_ id: Int64) -> TenantryError {
        .usage("there is no run \(id) in tenantry.runs", hint: "`tenantry runs` lists the runs")
    }
}

extension RunLedger {
    /// Records queued tenants found current by a bulk read as succeeded with nothing applied, without claiming
    /// them: checking an up-to-date fleet costs a few queries, not a connection per tenant.
    public func markCurrent(run: Int64, tenants: [(id: String, version: String?)], runner: String) async throws {
        guard !tenants.isEmpty else { return }
        try connection.ensureOpen()
        let ids = tenants.map(\.id), versions = tenants.map { $0.version ?? "" }
        _ = try await connection.query("""
            WITH ended AS (
                UPDATE tenantry.run_targets t
                SET status = 'succeeded', version_before = nullif(c.version, ''), version_after = nullif(c.version, ''), applied = 0,
                    claimed_by = \(runner), started_at = now(), finished_at = now()
                FROM unnest(\(ids)::text[], \(versions)::text[]) AS c(tenant_id, version)
                WHERE t.run_id = \(run) AND t.tenant_id = c.tenant_id AND t.status = 'queued'
                RETURNING t.tenant_id, t.version_after
            )
            UPDATE tenantry.tenants SET track_version = ended.version_after
            FROM ended WHERE tenants.id = ended.tenant_id AND tenants.track_version IS DISTINCT FROM ended.version_after
            """, logger: logger).collect()
    }
}
