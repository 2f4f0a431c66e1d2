-- Lines starting with a backslash inside literals are not psql meta-commands.
CREATE FUNCTION digits_only(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT regexp_replace(t, '
\D', '', 'g')
$$;
SELECT 'first line
\set not_a_meta_command 1' AS s;
SELECT E'\\c not_a_database;' AS t, $q$
\i not_a_file.sql
$q$ AS u;
SELECT "back\slash" FROM (SELECT 1 AS "back\slash") AS x;
