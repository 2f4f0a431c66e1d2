-- Windows line endings throughout
CREATE TABLE crlf (
    id int,
    note text
);
INSERT INTO crlf VALUES (1, 'line one;
line two');
CREATE FUNCTION crlf_f() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    RETURN 1;
END;
$$;
SELECT crlf_f();
