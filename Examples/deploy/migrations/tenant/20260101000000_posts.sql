-- migrate:up
CREATE TABLE posts (id bigserial PRIMARY KEY, title text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
-- migrate:down
DROP TABLE posts;
