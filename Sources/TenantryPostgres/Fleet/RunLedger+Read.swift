import Foundation
import PostgresNIO
import TenantryCore

// Reading the ledger: `tenantry runs`, `runs show`, `--retry-failed`.
extension RunLedger {
    /// The latest runs, newest first, with their counts.
    public func list(limit: Int = 20) async throws -> [FleetRun.Summary] {
        let rows = try await connection.query("""
            SELECT \(unescaped: Self.summaryColumns) FROM tenantry.runs r ORDER BY r.id DESC LIMIT \(limit)
            """, logger: logger).collect()
        return try rows.map(Self.summary)
    }

    public func summary(run: Int64) async throws -> FleetRun.Summary {
        let rows = try await connection.query("""
            SELECT \(unescaped: Self.summaryColumns) FROM tenantry.runs r WHERE r.id = \(run)
            """, logger: logger).collect()
        guard let row = rows.first else { throw RunLedgerFailure.unknownRun(run) }
        return try Self.summary(row)
    }

    /// The run's targets in scheduling order.
    public func targets(run: Int64, status: FleetRun.TargetStatus? = nil) async throws -> [FleetRun.Target] {
        let rows = try await connection.query("""
            SELECT tenant_id, position, canary, server, status, version_before, version_after, applied, error, sqlstate,
                   claimed_by, attempts, started_at, finished_at
            FROM tenantry.run_targets WHERE run_id = \(run) AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
            ORDER BY position
            """, logger: logger).collect()
        return try rows.map { row in
            let (tenant, position, canary, server, status, before, after, applied, error, sqlState, claimedBy, attempts, started, finished) =
                try row.decode((String, Int, Bool, String?, String, String?, String?, Int?, String?, String?, String?, Int, Date?, Date?).self)
            return FleetRun.Target(tenantID: tenant, position: position, canary: canary, server: server,
                                   status: FleetRun.TargetStatus(rawValue: status) ?? .queued, versionBefore: before, versionAfter: after,
                                   applied: applied, error: error, sqlState: sqlState, claimedBy: claimedBy, attempts: attempts,
                                   startedAt: started, finishedAt: finished)
        }
    }

    /// The latest run of `kind` with a failed target (for `--retry-failed` without an id).
    public func latestWithFailures(kind: FleetRun.Kind) async throws -> Int64? {
        let rows = try await connection.query("""
            SELECT r.id FROM tenantry.runs r
            WHERE r.kind = \(kind.rawValue) AND EXISTS (SELECT 1 FROM tenantry.run_targets t WHERE t.run_id = r.id AND t.status = 'failed')
            ORDER BY r.id DESC LIMIT 1
            """, logger: logger).collect()
        return try rows.first?.decode(Int64.self)
    }

    static let summaryColumns = """
        r.id, r.kind, r.status, r.started_at, r.finished_at, r.started_by, r.options::text, r.stop_reason,
        (SELECT coalesce(jsonb_object_agg(s.status, s.n), '{}')::text FROM
            (SELECT status, count(*) AS n FROM tenantry.run_targets WHERE run_id = r.id GROUP BY status) s)
        """

    static func summary(_ row: PostgresRow) throws -> FleetRun.Summary {
        let (id, kind, status, started, finished, startedBy, options, stopReason, countsJSON) =
            try row.decode((Int64, String, String, Date, Date?, String, String, String?, String).self)
        var counts = FleetRun.Counts()
        let perStatus = try JSONDecoder().decode([String: Int].self, from: Data(countsJSON.utf8))
        for (name, count) in perStatus {
            if let known = FleetRun.TargetStatus(rawValue: name) { counts[known] = count }
        }
        return FleetRun.Summary(id: id, kind: FleetRun.Kind(rawValue: kind) ?? .migrate, status: FleetRun.Status(rawValue: status) ?? .running,
                                startedAt: started, finishedAt: finished, startedBy: startedBy,
                                options: try RegistryJSON.decode(options, column: "tenantry.runs.options"),
                                stopReason: stopReason, counts: counts)
    }
}
