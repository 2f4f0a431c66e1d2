-- Statements PostgreSQL refuses in a transaction block; psql runs each in autocommit.
CREATE TABLE concurrent_t (id int, v int);
CREATE INDEX CONCURRENTLY concurrent_v ON concurrent_t (v);
REINDEX INDEX CONCURRENTLY concurrent_v;
VACUUM (ANALYZE) concurrent_t;
ANALYZE concurrent_t;
DROP INDEX CONCURRENTLY concurrent_v;
CREATE INDEX concurrent_id ON concurrent_t (id);
REINDEX TABLE concurrent_t;
