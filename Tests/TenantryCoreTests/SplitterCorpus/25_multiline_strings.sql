CREATE TABLE ml (body text);
INSERT INTO ml VALUES ('first line;
second line;
third line');
SELECT 'adjacent'
    'literals; are concatenated'
    ' across lines' AS joined;
INSERT INTO ml VALUES (E'escaped\n
and real newline;');
