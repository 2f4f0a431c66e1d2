CREATE TABLE inside (
    -- first column;
    id int,
    /* second column; */
    name text
    -- closing;
);
SELECT
    id, -- one;
    name /* two; */
FROM inside
-- where;
WHERE id > 0
;
