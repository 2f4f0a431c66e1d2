CREATE TABLE atomic_t (id int);
CREATE FUNCTION atomic_count() RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
    SELECT count(*) FROM atomic_t;
END;
CREATE PROCEDURE atomic_insert(v int) LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO atomic_t VALUES (v);
    INSERT INTO atomic_t VALUES (v + 1);
END;
CALL atomic_insert(1);
SELECT atomic_count();
