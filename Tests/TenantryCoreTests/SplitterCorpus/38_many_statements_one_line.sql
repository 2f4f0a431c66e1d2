CREATE TABLE one_line (id int); INSERT INTO one_line VALUES (1); INSERT INTO one_line VALUES (2);SELECT count(*) FROM one_line;SELECT 'x;y';
