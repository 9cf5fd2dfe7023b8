-- sum, avg, min, max over sek: exact, NULLs skipped, overflow an error,
-- and an exact inverse for moving window frames.
\set SHOW_CONTEXT never

CREATE TABLE outcome (month int, unit text, amount sek);
INSERT INTO outcome VALUES
  (1, 'barn', '-5,6 mnkr'), (1, 'vuxen', '-1,1 mnkr'), (1, 'ungdom', '19,4 mnkr'),
  (2, 'barn', '-6,0 mnkr'), (2, 'vuxen', '-1,4 mnkr'), (2, 'ungdom', '19,7 mnkr'),
  (3, 'barn', NULL),        (3, 'vuxen', '0,01'),      (3, 'ungdom', '0,02');

SELECT sum(amount), avg(amount), min(amount), max(amount), count(amount)
FROM outcome;
SELECT unit, sum(amount), avg(amount), min(amount), max(amount)
FROM outcome GROUP BY unit ORDER BY unit;
-- no rows and only NULLs give NULL, as for sum(numeric)
SELECT sum(amount), avg(amount), min(amount), max(amount) FROM outcome WHERE false;
SELECT sum(amount), avg(amount) FROM outcome WHERE amount IS NULL;
-- avg rounds to the öre, halves away from zero
SELECT avg(x) AS third, avg(-x) AS neg_third
FROM (VALUES ('0,01'::sek), ('0,00'), ('0,00')) v(x);
SELECT avg(x) AS half, avg(-x) AS neg_half
FROM (VALUES ('0,01'::sek), ('0,00')) v(x);
-- exact where float8 would not be: 10^17 öre + 1 öre
SELECT sum(x) FROM (VALUES ('900 000 000 000 000 kr'::sek), ('0,01'), ('-0,01'), ('0,01')) v(x);
-- avg has an int128 sum, so intermediate totals beyond sek's range are fine
SELECT avg(x) FROM (VALUES ('92 233 720 368 547 758 kr'::sek), ('92 233 720 368 547 758 kr')) v(x);
-- sum overflow is an error, not a wrap
SELECT sum(x) FROM (VALUES ('92 233 720 368 547 758 kr'::sek), ('1 kr')) v(x);

-- moving sums use the inverse transition; compare with a frame-by-frame sum
CREATE TABLE series AS
  SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE sek_from_ore((i * 7919) % 200001 - 100000) END AS amount
  FROM generate_series(1, 500) i;
SELECT count(*) AS rows,
       count(*) FILTER (WHERE moving IS DISTINCT FROM direct) AS mismatches,
       count(*) FILTER (WHERE moving_avg IS DISTINCT FROM direct_avg) AS avg_mismatches
FROM (
  SELECT i,
         sum(amount) OVER w AS moving, avg(amount) OVER w AS moving_avg,
         (SELECT sum(s.amount) FROM series s WHERE s.i BETWEEN o.i - 3 AND o.i) AS direct,
         (SELECT avg(s.amount) FROM series s WHERE s.i BETWEEN o.i - 3 AND o.i) AS direct_avg
  FROM series o
  WINDOW w AS (ORDER BY i ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)
) t;
-- a frame of only NULLs gives NULL again after non-NULL rows left it
SELECT i, sum(amount) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, '5 kr'::sek), (2, NULL), (3, NULL), (4, '7 kr')) v(i, amount);
-- RANGE frames by amount (btree in_range support)
SELECT amount, count(*) OVER (ORDER BY amount RANGE BETWEEN '1 tkr' PRECEDING AND '1 tkr' FOLLOWING)
FROM (VALUES ('0'::sek), ('500 kr'), ('1 tkr'), ('1 500 kr'), ('5 tkr')) v(amount);
SELECT count(*) OVER (ORDER BY amount RANGE BETWEEN '-1 kr' PRECEDING AND CURRENT ROW)
FROM (VALUES ('0'::sek)) v(amount);
-- a running total per unit (cumulative frame)
SELECT month, unit, sum(amount) OVER (PARTITION BY unit ORDER BY month) AS to_date
FROM outcome WHERE unit = 'ungdom' ORDER BY month;

DROP TABLE outcome, series;
