CREATE FUNCTION sign_word(x int) RETURNS text LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT CASE WHEN x > 0 THEN 'positive;' WHEN x < 0 THEN 'negative' ELSE 'zero' END;
END;
SELECT sign_word(-3), sign_word(0);
CREATE OR REPLACE FUNCTION sign_word(x int) RETURNS text LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT CASE
        WHEN x > 0 THEN CASE WHEN x > 100 THEN 'big' ELSE 'small' END
        ELSE 'other'
    END;
END;
SELECT sign_word(500);
