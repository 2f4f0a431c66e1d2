CREATE TABLE fq (id int);
CREATE FUNCTION fq_fill() RETURNS bigint LANGUAGE sql AS '
    INSERT INTO fq VALUES (1);
    INSERT INTO fq VALUES (2);
    SELECT count(*) FROM fq WHERE id::text <> ''; not really'';
';
SELECT fq_fill();
CREATE FUNCTION fq_one() RETURNS text LANGUAGE sql AS 'SELECT ''one;''';
SELECT fq_one();
