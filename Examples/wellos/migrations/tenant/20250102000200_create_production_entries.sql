-- migrate:up
CREATE TABLE production_entries (
    id bigserial PRIMARY KEY,
    well_id uuid NOT NULL REFERENCES wells (id) ON DELETE CASCADE,
    produced_on date NOT NULL,
    oil_bbl numeric(12, 2) NOT NULL DEFAULT 0,
    gas_mcf numeric(12, 2) NOT NULL DEFAULT 0,
    water_bbl numeric(12, 2) NOT NULL DEFAULT 0,
    UNIQUE (well_id, produced_on)
);

-- migrate:down
DROP TABLE production_entries;
