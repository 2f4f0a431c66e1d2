CREATE TABLE grades (score int);
INSERT INTO grades VALUES (95), (40);
SELECT CASE WHEN score > 50 THEN 'pass;' ELSE 'fail' END FROM grades;
CREATE FUNCTION grade(s int) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RETURN CASE WHEN s > 50 THEN 'pass' ELSE 'fail;' END;
END;
$$;
SELECT grade(10);
