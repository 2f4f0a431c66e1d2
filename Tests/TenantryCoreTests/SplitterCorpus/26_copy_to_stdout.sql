CREATE TABLE copied (id int, name text);
INSERT INTO copied VALUES (1, 'a;b'), (2, 'c');
COPY copied TO STDOUT;
COPY (SELECT id, name FROM copied WHERE name <> ';') TO STDOUT WITH (FORMAT csv, HEADER true);
