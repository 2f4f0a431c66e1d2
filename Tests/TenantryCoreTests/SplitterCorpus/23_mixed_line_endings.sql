CREATE TABLE mixed (id int);
INSERT INTO mixed
VALUES (1);

-- comment with CRLF
SELECT id
FROM mixed;
