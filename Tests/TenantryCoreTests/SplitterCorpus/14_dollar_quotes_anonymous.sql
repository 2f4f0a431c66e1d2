CREATE FUNCTION add_one(x int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    -- a comment; inside the body
    RETURN x + 1; /* and a block; comment */
END;
$$;
SELECT add_one(41);
SELECT $$a string; with 'quotes' and "doubles"$$ AS text;
