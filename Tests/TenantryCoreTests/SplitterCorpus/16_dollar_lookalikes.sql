CREATE TABLE money$ (a$b int, "$$" int);
INSERT INTO money$ VALUES (1, 2);
PREPARE pick(int) AS SELECT a$b FROM money$ WHERE a$b = $1;
EXECUTE pick(1);
DEALLOCATE pick;
SELECT '$$ not a quote; $$' AS s, "$$" FROM money$;
SELECT $tag$ contains $$ and $other$; $tag$ AS t;
