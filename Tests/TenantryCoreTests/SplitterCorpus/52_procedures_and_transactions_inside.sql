CREATE TABLE proc_t (id int);
CREATE PROCEDURE fill(n int) LANGUAGE plpgsql AS $$
DECLARE
    i int;
BEGIN
    FOR i IN 1..n LOOP
        INSERT INTO proc_t VALUES (i);
    END LOOP;
END;
$$;
CALL fill(3);
