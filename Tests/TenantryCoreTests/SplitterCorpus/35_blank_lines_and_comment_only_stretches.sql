


-- only comments here;
/* and here; */


CREATE TABLE spaced (id int);



-- more;
-- comments;


INSERT INTO spaced VALUES (1);
