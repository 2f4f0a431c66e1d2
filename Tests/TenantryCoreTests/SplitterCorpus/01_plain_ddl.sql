-- A plain migration: the shape most files have.
CREATE TABLE wells (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    depth_m numeric(8, 2)
);

CREATE INDEX wells_name ON wells (name);

INSERT INTO wells (name, depth_m) VALUES ('north', 120.5), ('south', 98);
