CREATE TABLE "begin" ("end" int, "atomic" int, "case" int);
INSERT INTO "begin" VALUES (1, 2, 3);
SELECT "end", "atomic", "case" FROM "begin";
CREATE FUNCTION uses_begin() RETURNS bigint LANGUAGE sql
BEGIN ATOMIC
    SELECT count("end") FROM "begin";
END;
SELECT uses_begin();
