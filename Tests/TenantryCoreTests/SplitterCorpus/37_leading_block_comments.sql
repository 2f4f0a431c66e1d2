/* header: block comment before the first statement; */
CREATE TABLE headed (id int);
/* a comment */ /* two comments; */ INSERT INTO headed VALUES (1);
/* multi
   line; */
-- then a line comment
SELECT * FROM headed;
