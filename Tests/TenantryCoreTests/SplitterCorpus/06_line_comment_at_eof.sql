CREATE TABLE eof_comment (id int);
SELECT 1;
-- done; no newline after this comment