CREATE TABLE arrs (a int[], t text);
INSERT INTO arrs VALUES (ARRAY[1, 2, 3, 4], ':not_a_psql_variable;');
SELECT a[2:3], a[:2], a[3:], t::varchar(5), '1'::int + 1 FROM arrs;
SELECT ':x' AS s, ':''y''' AS t, (a)[1]::text FROM arrs;
