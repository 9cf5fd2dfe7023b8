-- Data for test/bench/ledger_bench.sh (psql variable: rows).
--
-- ledger(entry_date, unit, account, amount): :rows entries of a social
-- services department's general ledger, 2017-01-01 .. 2023-12-31 (7 years),
-- appended in date order as a ledger grows, in ledger signs (costs positive):
--
--   units      1..40, unequal sizes (unit 1 has some 10 % of the rows, unit
--              40 under 2 %), each with its own cost level (× 0.6 .. 1.4)
--   accounts   50 cost accounts 4010, 4020 .. 4500 (85 % of the rows, the low
--              numbers more often), 10 income accounts 3010 .. 3100 (15 %,
--              negative amounts)
--   amounts    log-normal in öre: costs median 3 000 kr, σ(log) 1.1, by
--              month × 1.00 0.95 1.00 1.00 1.00 1.05 0.55 0.85 1.00 1.05 1.05
--              1.50 (July low, December high, so a month profile differs from
--              twelfths); income median 15 000 kr, σ(log) 0.8, no season;
--              both growing 3 % a year
--
-- budget(unit, valid_from, amount): for each unit and year 2017..2023 the
-- budget decision dated 1 January (the unit's outcome of the year ± 10 %, in
-- whole tkr), and in 2023 some changes dated June .. August for about a third
-- of the units plus two dated in September (units 3 and 17), which are not in
-- force as of 31 August.
--
-- Every random number is a hash of (id, stream), so the tables are the same on
-- every run and every machine.
\set ON_ERROR_STOP 1
CREATE EXTENSION actionplan;

\ir lib.sql

SELECT clock_timestamp() AS t0 \gset
CREATE TABLE ledger AS
WITH g AS (
  SELECT i,
         -- stratified over the 2 556 days of 2017..2023, in id order
         DATE '2017-01-01' + floor(((i - 1) + pg_temp.u(i, 1)) * 2556 / :rows)::int AS d,
         1 + floor(40 * pg_temp.u(i, 2) ^ 1.6)::int AS unit,
         pg_temp.u(i, 3) < 0.15 AS income,
         pg_temp.u(i, 4) AS v,
         -- a standard normal (Box-Muller)
         sqrt(-2 * ln(pg_temp.u(i, 5))) * cos(2 * pi() * pg_temp.u(i, 6)) AS z
  FROM generate_series(1::bigint, :rows) AS i
)
SELECT d AS entry_date, unit,
       CASE WHEN income THEN 3010 + 10 * floor(v * 10)::int
            ELSE 4010 + 10 * floor(v * v * 50)::int END AS account,
       sek_from_ore(round(100 * (0.6 + 0.8 * pg_temp.u(unit, 11))
                              * 1.03 ^ (extract(year FROM d) - 2017)
                              * CASE WHEN income THEN -15000 * exp(0.8 * z)
                                     ELSE 3000 * exp(1.1 * z)
                                          * ('{1.00,0.95,1.00,1.00,1.00,1.05,0.55,0.85,1.00,1.05,1.05,1.50}'::float8[])
                                            [extract(month FROM d)::int] END)::bigint) AS amount
FROM g;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0')::numeric, 1) AS secs \gset
\echo generated :rows ledger entries in :secs s

-- the yearly budget decisions (1 January) and the changes of 2023
CREATE TABLE budget (unit int, valid_from date, amount sek);
INSERT INTO budget
SELECT unit, make_date(y, 1, 1),
       sek_from_ore((round(sek_ore(s) * (0.9 + 0.2 * pg_temp.u(unit * 10000 + y, 12)) / 100000) * 100000)::bigint)
FROM (SELECT unit, extract(year FROM entry_date)::int AS y, sum(amount) AS s
      FROM ledger GROUP BY 1, 2) t;
INSERT INTO budget
SELECT b.unit, DATE '2023-06-01' + floor(pg_temp.u(b.unit * 10 + k, 14) * 92)::int,
       sek_from_ore((round(sek_ore(b.amount) * (pg_temp.u(b.unit * 10 + k, 15) - 0.4) * 0.1 / 100000) * 100000)::bigint)
FROM budget b, generate_series(1, 2) k
WHERE b.valid_from = '2023-01-01' AND pg_temp.u(b.unit * 10 + k, 13) < 0.2;
-- after as_of: the day after, and later in September
INSERT INTO budget
SELECT unit, d, sek_from_ore((round(sek_ore(amount) * 0.05 / 100000) * 100000)::bigint)
FROM budget JOIN (VALUES (3, DATE '2023-09-01'), (17, DATE '2023-09-20')) c(unit, d) USING (unit)
WHERE valid_from = '2023-01-01';
DO $$BEGIN
  IF (SELECT count(*) FROM budget WHERE valid_from > '2023-01-01' AND valid_from <= '2023-08-31') = 0
     OR (SELECT count(*) FROM budget WHERE valid_from > '2023-08-31') <> 2
     OR (SELECT count(DISTINCT unit) FROM budget WHERE valid_from = '2023-01-01') <> 40
  THEN RAISE EXCEPTION 'bench: the budget table is not as planned';
  END IF;
END$$;

-- 2 workers for any ROWS (a small table gets fewer from its size alone)
ALTER TABLE ledger SET (parallel_workers = 2);

-- frozen and all-visible, so no query pays for visibility checks; a VACUUM
-- right after loading can leave pages behind while a background worker's
-- snapshot (pg_cron's launcher) still covers them, so do it twice
VACUUM (FREEZE, ANALYZE) ledger, budget;
SELECT pg_sleep(2) \g /dev/null
VACUUM (FREEZE) ledger, budget;
DO $$BEGIN
  IF EXISTS (SELECT FROM pg_class WHERE relname IN ('ledger', 'budget') AND relallvisible < relpages)
  THEN RAISE EXCEPTION 'bench: ledger or budget is not all-visible after VACUUM';
  END IF;
END$$;

-- what the data looks like
SELECT count(*) AS n, min(entry_date) AS first, max(entry_date) AS last,
       count(DISTINCT unit) AS units, count(DISTINCT account) AS accounts,
       count(DISTINCT account) FILTER (WHERE account < 4000) AS income_accounts,
       count(*) FILTER (WHERE entry_date >= '2023-01-01') AS n2023,
       round(100.0 * count(*) FILTER (WHERE amount < '0'::sek) / count(*), 1) AS neg_pct,
       pg_size_pretty(pg_table_size('ledger')) AS size,
       (SELECT relpages FROM pg_class WHERE relname = 'ledger') AS pages
FROM ledger \gset
\echo data: :n entries :first .. :last, :units units, :accounts accounts (:income_accounts income, :neg_pct % of the rows negative), table :size (:pages pages); 2023: :n2023 entries
SELECT min(n) AS lo, max(n) AS hi
FROM (SELECT count(*) AS n FROM ledger WHERE entry_date >= '2023-01-01' GROUP BY unit) t \gset
\echo entries per unit in 2023: :lo .. :hi
SELECT string_agg(to_char(c / 1e8, 'FM99990.0'), ' ' ORDER BY m) AS costs
FROM (SELECT extract(month FROM entry_date) AS m, sum(sek_ore(amount)) AS c FROM ledger
      WHERE entry_date >= '2023-01-01' AND amount > '0'::sek GROUP BY 1) t \gset
\echo costs 2023 by month, mnkr: :costs
SELECT count(*) FILTER (WHERE valid_from = make_date(extract(year FROM valid_from)::int, 1, 1)) AS decisions,
       count(*) FILTER (WHERE valid_from > '2023-01-01' AND valid_from <= '2023-08-31') AS changes,
       count(DISTINCT unit) FILTER (WHERE valid_from > '2023-01-01' AND valid_from <= '2023-08-31') AS changed_units,
       count(*) FILTER (WHERE valid_from > '2023-08-31') AS later,
       to_char(sum(sek_ore(amount)) FILTER (WHERE valid_from >= '2023-01-01' AND valid_from <= '2023-08-31') / 1e8,
               'FM999990.0') AS total
FROM budget \gset
\echo budget: :decisions yearly decisions 2017-2023; 2023: :changes changes (:changed_units units) June-August, :later in September (not in force as of 31 August); in force at 31 August :total mnkr
