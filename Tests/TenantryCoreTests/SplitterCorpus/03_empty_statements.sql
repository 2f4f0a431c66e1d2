;;
CREATE TABLE empties (id int);;
; ; /* nothing; here */ ;
-- nor here;
;INSERT INTO empties VALUES (1);;;
