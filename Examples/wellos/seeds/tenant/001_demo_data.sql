-- Demo data for every operator; ${tenant.id} and ${tenant.name} become quoted literals.
INSERT INTO users (email, name, role)
VALUES (${tenant.id} || '-admin@wellos.example', ${tenant.name} || ' Admin', 'admin');

INSERT INTO wells (api_number, name, latitude, longitude) VALUES
    ('42-501-20130', 'Permian 1H', 31.845600, -102.367600),
    ('42-501-20131', 'Permian 2H', 31.846100, -102.368200);

INSERT INTO production_entries (well_id, produced_on, oil_bbl, gas_mcf, water_bbl)
SELECT id, date '2025-01-01' + day, 120 + day, 300 + 2 * day, 40
FROM wells, generate_series(0, 29) AS day;

INSERT INTO equipment (well_id, kind, serial_number, installed_on)
SELECT id, 'pump jack', 'PJ-' || api_number, date '2024-06-01' FROM wells;
