-- migrate:up
CREATE TABLE plans (id text PRIMARY KEY, seats int NOT NULL);
-- migrate:down
DROP TABLE plans;
