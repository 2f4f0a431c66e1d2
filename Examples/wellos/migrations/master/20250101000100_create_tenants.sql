-- migrate:up
-- The application's tenant table (billing, subdomains); Tenantry reads it through tenants.query.
CREATE TABLE tenants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    subdomain text NOT NULL UNIQUE,
    name text NOT NULL,
    database_name text NOT NULL UNIQUE,
    subscription_tier text NOT NULL DEFAULT 'starter',
    status text NOT NULL DEFAULT 'active',
    created_at timestamptz NOT NULL DEFAULT now()
);

-- migrate:down
DROP TABLE tenants;
