CREATE TABLE orders (id int, status text);
INSERT INTO orders VALUES (1, 'open;'), (2, 'closed');
CREATE VIEW open_orders AS
    WITH o AS (SELECT * FROM orders WHERE status = 'open;')
    SELECT id FROM o;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5)
SELECT sum(i) FROM n;
