-- Data for test/bench/sek_bench.sh (psql variables: rows, dir).
-- Three one-column tables holding the same amounts as bigint öre, numeric
-- kronor (scale 2) and sek, so each aggregate reads the first (only) column
-- of its table and none pays for deforming another type's column.
-- Amounts: a multiplicative hash of i picks a magnitude of 1 kr .. 10 Mkr and
-- a value below it; about one in nine is negative.  Deterministic.
\set ON_ERROR_STOP 1
CREATE EXTENSION actionplan;

CREATE TABLE t_bigint AS
SELECT (h % (10::bigint ^ (2 + (h / 7) % 8))::bigint)
       * CASE WHEN h % 9 = 0 THEN -1 ELSE 1 END AS v
FROM (SELECT (i * 2654435761) % 4294967291 AS h
      FROM generate_series(1::bigint, :rows) AS i) AS g;
CREATE TABLE t_numeric AS SELECT v * 0.01 AS v FROM t_bigint;
CREATE TABLE t_sek AS SELECT sek_from_ore(v) AS v FROM t_bigint;
-- frozen and all-visible alike, so no table pays for visibility checks; a
-- VACUUM right after loading can leave pages behind while a background
-- worker's snapshot (pg_cron's launcher) still covers them, so do it twice
VACUUM (FREEZE, ANALYZE) t_bigint, t_numeric, t_sek;
SELECT pg_sleep(2) \g /dev/null
VACUUM (FREEZE) t_bigint, t_numeric, t_sek;
DO $$BEGIN
  IF EXISTS (SELECT FROM pg_class WHERE relname IN ('t_bigint', 't_numeric', 't_sek')
             AND relallvisible < relpages)
  THEN RAISE EXCEPTION 'bench: a table is not all-visible after VACUUM';
  END IF;
END$$;

-- the three tables must hold the same amounts
DO $$BEGIN
  IF (SELECT (count(*), sum(v), sum(abs(v)), min(v), max(v)) FROM t_bigint)
     IS DISTINCT FROM
     (SELECT (count(*), sum(sek_ore(v)), sum(abs(sek_ore(v))), min(sek_ore(v)), max(sek_ore(v))) FROM t_sek)
     OR (SELECT (count(*), sum(v), sum(abs(v))) FROM t_numeric)
     IS DISTINCT FROM
     (SELECT (count(*), sum(v)::numeric, sum(abs(v))::numeric) FROM t_sek)
  THEN RAISE EXCEPTION 'bench: the bigint, numeric and sek tables disagree';
  END IF;
END$$;
SELECT count(*) AS n, min(v), max(v), sum(v),
       round(100.0 * count(*) FILTER (WHERE v < '0') / count(*), 1) AS neg,
       pg_size_pretty(pg_table_size('t_bigint')) AS size_b,
       pg_size_pretty(pg_table_size('t_numeric')) AS size_n,
       pg_size_pretty(pg_table_size('t_sek')) AS size_s
FROM t_sek \gset
\echo data: :n rows, :min .. :max kr, :neg % negative, sum :sum kr; tables agree
\echo sizes: bigint :size_b, numeric :size_n, sek :size_s

-- COPY input: plain '12345.67' (numeric and sek) and Swedish '12 345,67 kr' (sek)
\set plain :dir '/bench_plain.txt'
\set swedish :dir '/bench_swedish.txt'
COPY (SELECT v FROM t_numeric) TO :'plain';
COPY (SELECT sek_format(v, 'kr', 2) FROM t_sek) TO :'swedish';
CREATE UNLOGGED TABLE copy_num (v numeric);
CREATE UNLOGGED TABLE copy_sek (v sek);
