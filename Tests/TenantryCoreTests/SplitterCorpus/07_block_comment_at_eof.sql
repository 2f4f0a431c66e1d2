CREATE TABLE eof_block (id int);
/* the end;
   no newline after it */