-- migrate:up
CREATE TABLE wells (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    api_number text NOT NULL UNIQUE,
    name text NOT NULL,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'plugged')),
    latitude numeric(9, 6),
    longitude numeric(9, 6),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- migrate:down
DROP TABLE wells;
