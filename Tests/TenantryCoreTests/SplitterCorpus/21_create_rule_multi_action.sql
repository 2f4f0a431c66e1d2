CREATE TABLE rule_src (id int);
CREATE TABLE rule_log (id int, what text);
CREATE RULE log_insert AS ON INSERT TO rule_src DO ALSO (
    INSERT INTO rule_log VALUES (NEW.id, 'inserted;');
    INSERT INTO rule_log VALUES (NEW.id * 10, 'twice')
);
CREATE RULE no_delete AS ON DELETE TO rule_src DO INSTEAD NOTHING;
INSERT INTO rule_src VALUES (7);
SELECT * FROM rule_log ORDER BY id;
