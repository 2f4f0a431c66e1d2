CREATE TABLE sales (region text, amount int);
INSERT INTO sales VALUES ('north;', 10), ('north;', 20), ('south', 5);
SELECT region, sum(amount) OVER (PARTITION BY region ORDER BY amount ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
FROM sales;
SELECT region, count(*) FILTER (WHERE amount > 5) FROM sales GROUP BY ROLLUP (region);
