/* outer /* inner; still inner */ still outer; */
CREATE TABLE nested_comments (id int /* a; /* b; */ c; */);
SELECT 1 /* x; /* y */ z; */ + id FROM nested_comments;
/*
 * Multi-line; with stars * and slashes /
 */
SELECT /**/ 2;
