CREATE TABLE docs (body jsonb);
INSERT INTO docs VALUES ('{"a;": 1, "b": "x;y", "c": [1, 2]}');
SELECT body ->> 'a;', body -> 'c' ->> 0, body ? 'b', body ?| ARRAY['a;', 'z'] FROM docs;
SELECT jsonb_path_query(body, '$.c[*] ? (@ > 1)') FROM docs;
