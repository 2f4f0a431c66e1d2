CREATE TABLE readings (id int, value float8);
INSERT INTO readings VALUES (1, 2.5);
SELECT count(*) FROM readings