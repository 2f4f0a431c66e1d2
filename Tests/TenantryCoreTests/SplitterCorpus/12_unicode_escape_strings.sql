SELECT U&'d\0061t\+000061;' AS data;
SELECT U&'d!0061t!+000061;' UESCAPE '!' AS data_bang;
CREATE TABLE U&"u\0026;table" (U&"col\003B" int);
INSERT INTO "u&;table" VALUES (1);
SELECT "col;" FROM U&"u\0026;table";
