SELECT 2 - -1 AS minus_minus;
SELECT 2 -- -1 is a comment here;
    + 3 AS plus;
SELECT 10 / 2 AS div, 3 * 4 AS mul, 7 % 3 AS modulo;
SELECT 1 /* comment */ + /* another; */ 1 AS sum;
SELECT 'a' || 'b' AS cat, 5 <> 6 AS ne, 2 ^ 3 AS pow;
