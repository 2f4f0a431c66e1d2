CREATE TABLE "semi;colon" ("a;b" int, "say ""hi"";" text, "--not a comment" int, "/*nor this*/" int);
INSERT INTO "semi;colon" VALUES (1, 'x', 2, 3);
SELECT "a;b", "say ""hi"";", "--not a comment", "/*nor this*/" FROM "semi;colon";
CREATE VIEW "v;"";" AS SELECT "a;b" FROM "semi;colon";
