CREATE TABLE quotes (id int, body text);
INSERT INTO quotes VALUES (1, 'a;b'), (2, 'it''s; fine'), (3, ';'), (4, '''');
INSERT INTO quotes VALUES (5, '/* not a comment; */'), (6, '-- not a comment either;');
SELECT body FROM quotes WHERE body LIKE '%;%' ORDER BY id;
