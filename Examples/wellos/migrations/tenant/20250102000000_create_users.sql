-- migrate:up
CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL UNIQUE,
    name text NOT NULL,
    role text NOT NULL DEFAULT 'operator' CHECK (role IN ('admin', 'manager', 'operator')),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- migrate:down
DROP TABLE users;
