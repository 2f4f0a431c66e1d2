-- With standard_conforming_strings on (the default), a backslash is an ordinary character in ''.
SHOW standard_conforming_strings;
CREATE TABLE windows_paths (id int, path text);
INSERT INTO windows_paths VALUES (1, 'C:\data\'), (2, '\');
INSERT INTO windows_paths VALUES (3, 'a\''b;c');
SELECT path FROM windows_paths WHERE path = '\';
