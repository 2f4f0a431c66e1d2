-- tenantry:no-transaction
-- migrate:up
CREATE INDEX CONCURRENTLY IF NOT EXISTS production_entries_produced_on_idx ON production_entries (produced_on);

-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS production_entries_produced_on_idx;
