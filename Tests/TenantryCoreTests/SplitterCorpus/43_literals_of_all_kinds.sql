CREATE TABLE lits (b bytea, bits bit(4), vb varbit, n numeric, f float8, iv interval);
INSERT INTO lits VALUES ('\x00ff', B'1010', X'F', 1e3, .5, '1 day; 2 hours');
INSERT INTO lits VALUES (E'\\x41', b'0001', x'1', -1.5E-2, 1., interval '3 minutes');
SELECT 1.5e+2 AS e_plus, .1e-1 AS e_minus, 0.0 AS zero;
