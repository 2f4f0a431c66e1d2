CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + b;
CREATE FUNCTION greet(who text) RETURNS text LANGUAGE sql RETURN 'hi; ' || who;
SELECT add(1, 2), greet('you');
