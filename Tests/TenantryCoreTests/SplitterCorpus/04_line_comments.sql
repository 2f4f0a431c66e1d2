-- leading comment; with a semicolon
-- and another one
CREATE TABLE commented ( -- the table; really
    id int, -- identifier;
    -- a whole line; in the middle
    note text
);
INSERT INTO commented VALUES (1, '-- not a comment; inside a string'); -- trailing; comment
SELECT note -- what we want;
FROM commented;
