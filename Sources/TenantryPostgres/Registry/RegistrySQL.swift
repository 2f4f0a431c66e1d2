/// The SQL of the registry's internal migrations (see `RegistryMigrations`).
///
/// Frozen once released: each text's SHA-256 is its recorded checksum, so an edit would make every existing
/// registry refuse to migrate. Names are fixed literals here, never built from input.
enum RegistrySQL {
    /// The status list is spelled out (not generated from `TenantStatus`) so that this text never changes;
    /// a new status needs a new migration, which a test enforces.
    static let createTenants = """
        CREATE SCHEMA IF NOT EXISTS tenantry;
        COMMENT ON SCHEMA tenantry IS 'Tenantry''s registry of the fleet''s tenants. Created and upgraded by Tenantry''s own migrations (history in tenantry.tenantry_migrations); safe to query, change it only through tenantry.';

        CREATE TABLE tenantry.tenants (
            id text PRIMARY KEY,
            display_name text NOT NULL,
            status text NOT NULL
                CHECK (status IN ('PROVISIONING', 'ACTIVE', 'FAILED', 'SUSPENDED', 'DROPPING', 'DELETED')),
            layout text NOT NULL CHECK (layout IN ('database', 'schema')),
            database_name text NOT NULL,
            schema_name text,
            server text,
            engine text NOT NULL DEFAULT 'postgresql',
            tier text,
            metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            deleted_at timestamptz,
            CONSTRAINT tenants_schema_name_matches_layout CHECK ((layout = 'schema') = (schema_name IS NOT NULL))
        );

        -- Two live tenants can never share a database (or a schema in one); a DELETED tenant frees its name.
        CREATE UNIQUE INDEX tenants_location_key ON tenantry.tenants
            (coalesce(server, ''), database_name, coalesce(schema_name, ''))
            WHERE status <> 'DELETED';

        COMMENT ON TABLE tenantry.tenants IS 'One row per tenant of the fleet, DELETED ones included (soft delete keeps their events). Written by tenantry tenant create/drop/suspend/resume/retry.';
        COMMENT ON COLUMN tenantry.tenants.id IS 'The tenant''s slug: its id in the CLI, the events and name patterns.';
        COMMENT ON COLUMN tenantry.tenants.display_name IS 'Human name (tenant create --name).';
        COMMENT ON COLUMN tenantry.tenants.status IS 'PROVISIONING, ACTIVE, FAILED, SUSPENDED, DROPPING or DELETED; every change is logged in tenantry.tenant_events.';
        COMMENT ON COLUMN tenantry.tenants.layout IS 'database: the tenant has its own database; schema: its own schema in a shared database.';
        COMMENT ON COLUMN tenantry.tenants.database_name IS 'The tenant''s database (layout database) or the shared database holding its schema (layout schema).';
        COMMENT ON COLUMN tenantry.tenants.schema_name IS 'The tenant''s schema (layout schema); NULL for layout database.';
        COMMENT ON COLUMN tenantry.tenants.server IS 'Name of the server (servers: in the config) holding the tenant; NULL for the master''s server.';
        COMMENT ON COLUMN tenantry.tenants.engine IS 'postgresql; tenants of other engines are registered but skipped by fleet commands.';
        COMMENT ON COLUMN tenantry.tenants.tier IS 'Free-form tier (tenant create --tier), available to seeds as ${tenant.tier}.';
        COMMENT ON COLUMN tenantry.tenants.metadata IS 'A JSON object of string values (tenant create --metadata k=v).';
        COMMENT ON COLUMN tenantry.tenants.created_at IS 'When the tenant was registered (or registered again after being DELETED).';
        COMMENT ON COLUMN tenantry.tenants.updated_at IS 'When the row last changed.';
        COMMENT ON COLUMN tenantry.tenants.deleted_at IS 'When the tenant became DELETED; NULL otherwise.';
        COMMENT ON INDEX tenantry.tenants_location_key IS 'No two tenants that are not DELETED share a (server, database, schema).';
        """

    static let createTenantEvents = """
        CREATE TABLE tenantry.tenant_events (
            id bigserial PRIMARY KEY,
            tenant_id text NOT NULL REFERENCES tenantry.tenants (id),
            at timestamptz NOT NULL DEFAULT now(),
            from_status text,
            to_status text NOT NULL,
            error text,
            details jsonb
        );

        CREATE INDEX tenant_events_tenant_id_at_idx ON tenantry.tenant_events (tenant_id, at);

        COMMENT ON TABLE tenantry.tenant_events IS 'Every status change of every tenant, oldest first by (at, id); never updated or deleted by Tenantry.';
        COMMENT ON COLUMN tenantry.tenant_events.id IS 'Order of writing; breaks ties in at.';
        COMMENT ON COLUMN tenantry.tenant_events.tenant_id IS 'The tenant (tenantry.tenants.id).';
        COMMENT ON COLUMN tenantry.tenant_events.at IS 'When the change was written.';
        COMMENT ON COLUMN tenantry.tenant_events.from_status IS 'Status before the change; NULL when the tenant was first registered.';
        COMMENT ON COLUMN tenantry.tenant_events.to_status IS 'Status after the change.';
        COMMENT ON COLUMN tenantry.tenant_events.error IS 'Why the change happened when it is a failure (e.g. the failed migration''s error); NULL otherwise.';
        COMMENT ON COLUMN tenantry.tenant_events.details IS 'A JSON object of string values with context (e.g. the step that failed); NULL when there is none.';
        """
}
