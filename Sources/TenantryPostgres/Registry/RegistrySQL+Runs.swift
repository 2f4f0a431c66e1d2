// The run ledger (internal migration 3). Frozen once released, like the rest of `RegistrySQL`.
extension RegistrySQL {
    static let createRuns = """
        CREATE TABLE tenantry.runs (
            id bigserial PRIMARY KEY,
            kind text NOT NULL CHECK (kind IN ('migrate', 'rollback', 'provision')),
            status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'stopped', 'interrupted')),
            started_at timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz,
            started_by text NOT NULL,
            options jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(options) = 'object'),
            stop_reason text
        );

        CREATE TABLE tenantry.run_targets (
            run_id bigint NOT NULL REFERENCES tenantry.runs (id) ON DELETE CASCADE,
            tenant_id text NOT NULL,
            position int NOT NULL,
            canary boolean NOT NULL DEFAULT false,
            server text,
            status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'skipped')),
            version_before text,
            version_after text,
            applied int,
            error text,
            sqlstate text,
            claimed_by text,
            claimed_at timestamptz,
            heartbeat_at timestamptz,
            attempts int NOT NULL DEFAULT 0,
            started_at timestamptz,
            finished_at timestamptz,
            PRIMARY KEY (run_id, tenant_id)
        );

        CREATE INDEX run_targets_claim_idx ON tenantry.run_targets (run_id, status, position);

        COMMENT ON TABLE tenantry.runs IS 'One row per fleet run (migrate tenants, rollback tenants, tenant create --from). Written by tenantry; read it with tenantry runs.';
        COMMENT ON COLUMN tenantry.runs.kind IS 'migrate, rollback or provision.';
        COMMENT ON COLUMN tenantry.runs.status IS 'running; succeeded (no target failed); failed (some target failed); stopped (--fail-fast, --max-failures or a canary stopped it); interrupted (SIGINT/SIGTERM).';
        COMMENT ON COLUMN tenantry.runs.started_by IS 'user@host and process id of the runner that started it.';
        COMMENT ON COLUMN tenantry.runs.options IS 'The options the run was started with (concurrency, failure policy, target version, selection).';
        COMMENT ON COLUMN tenantry.runs.stop_reason IS 'Why scheduling stopped before the end, when it did.';
        COMMENT ON TABLE tenantry.run_targets IS 'One row per (run, tenant): claimed by runners with FOR UPDATE SKIP LOCKED, kept alive by heartbeat_at.';
        COMMENT ON COLUMN tenantry.run_targets.position IS 'Scheduling order (canaries first).';
        COMMENT ON COLUMN tenantry.run_targets.canary IS 'Migrated before the others; a failure stops the run.';
        COMMENT ON COLUMN tenantry.run_targets.server IS 'The tenant''s server at the start of the run (NULL: the master''s).';
        COMMENT ON COLUMN tenantry.run_targets.status IS 'queued, running, succeeded, failed or skipped (suspended, other engine).';
        COMMENT ON COLUMN tenantry.run_targets.applied IS 'How many migrations this run applied (or reverted) on the tenant.';
        COMMENT ON COLUMN tenantry.run_targets.sqlstate IS 'SQLSTATE of the failure, when the server gave one.';
        COMMENT ON COLUMN tenantry.run_targets.claimed_by IS 'The runner working on it (user@host:pid#n).';
        COMMENT ON COLUMN tenantry.run_targets.heartbeat_at IS 'Refreshed while the claim is alive; a stale claim is taken over by another runner or --resume.';
        """
}
