CREATE TABLE escapes (id int, body text);
INSERT INTO escapes VALUES (1, E'it\'s; escaped'), (2, E'back\\slash;'), (3, e'tab\there;');
INSERT INTO escapes VALUES (4, E'\\'), (5, E'quote\'; still in the string'), (6, E'\x41\101\u0042;');
SELECT E'a\'b' || ';' AS joined;
