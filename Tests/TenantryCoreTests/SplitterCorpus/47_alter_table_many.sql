CREATE TABLE altered (id int);
ALTER TABLE altered
    ADD COLUMN name text DEFAULT ';',
    ADD COLUMN price numeric CHECK (price >= 0),
    ALTER COLUMN id SET NOT NULL,
    ADD CONSTRAINT altered_pk PRIMARY KEY (id);
ALTER TABLE altered RENAME COLUMN name TO "label;";
