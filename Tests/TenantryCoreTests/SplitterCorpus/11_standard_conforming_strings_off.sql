-- Turning standard_conforming_strings off changes what \' means in '' strings; PostgreSQL's parser (and so
-- Tenantry) always splits as if it were on, so a file that turns it off must avoid \' in plain strings.
-- psql tracks the setting, which is why this file keeps to what both read the same way.
SET standard_conforming_strings = off;
SET escape_string_warning = off;
CREATE TABLE scs_off (id int, body text);
INSERT INTO scs_off VALUES (1, 'it''s; doubled'), (2, E'it\'s; escaped'), (3, 'two\\backslashes;');
RESET escape_string_warning;
RESET standard_conforming_strings;
SELECT body FROM scs_off ORDER BY id;
