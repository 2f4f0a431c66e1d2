CREATE TABLE audit (msg text);
CREATE FUNCTION risky(x int) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
    result text := 'start;';
BEGIN
    BEGIN
        IF x = 0 THEN
            RAISE EXCEPTION 'zero; not allowed';
        END IF;
        result := result || ' ok';
    EXCEPTION WHEN OTHERS THEN
        INSERT INTO audit VALUES (SQLERRM);
        result := 'failed; ' || $$quoted$$;
    END;
    RETURN result;
END;
$fn$;
SELECT risky(0), risky(1);
