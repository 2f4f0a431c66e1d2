-- migrate:up
CREATE TABLE equipment (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    well_id uuid REFERENCES wells (id) ON DELETE SET NULL,
    kind text NOT NULL,
    serial_number text,
    installed_on date
);

-- migrate:down
DROP TABLE equipment;
