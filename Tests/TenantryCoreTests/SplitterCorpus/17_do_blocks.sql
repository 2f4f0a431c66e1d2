CREATE TABLE do_log (msg text);
DO $$
BEGIN
    INSERT INTO do_log VALUES ('first; block');
END
$$;
DO LANGUAGE plpgsql $do$
DECLARE
    i int;
BEGIN
    FOR i IN 1..3 LOOP
        INSERT INTO do_log VALUES ('row ' || i || ';');
    END LOOP;
END;
$do$;
SELECT count(*) FROM do_log;
