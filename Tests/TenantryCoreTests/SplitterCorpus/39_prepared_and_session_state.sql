CREATE TABLE session_t (id int);
SET search_path = public;
PREPARE ins(int) AS INSERT INTO session_t VALUES ($1);
EXECUTE ins(1);
EXECUTE ins(2);
DEALLOCATE ins;
SELECT set_config('application_name', 'corpus; test', false);
SHOW application_name;
RESET search_path;
