CREATE SCHEMA inventory
    CREATE TABLE parts (id int, label text DEFAULT 'x;y')
    CREATE VIEW part_labels AS SELECT label FROM parts
    CREATE INDEX parts_id ON parts (id);
SET search_path = inventory, public;
INSERT INTO parts VALUES (1);
RESET search_path;
