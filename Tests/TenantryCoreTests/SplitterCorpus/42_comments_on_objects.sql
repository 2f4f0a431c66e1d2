CREATE TABLE described (id int);
COMMENT ON TABLE described IS 'A table; with a semicolon';
COMMENT ON COLUMN described.id IS $c$The id; 'quoted'$c$;
COMMENT ON TABLE described IS E'Line one;\nLine two';
