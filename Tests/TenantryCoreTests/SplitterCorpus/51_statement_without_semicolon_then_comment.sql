CREATE TABLE last_one (id int);
SELECT id FROM last_one -- the last statement has no semicolon
