-- Data for test/bench/sek_bench.sh (psql variables: rows, dir).
-- One table, the same amount three ways: bigint öre, numeric kronor (scale 2),
-- sek.  Fixed-width columns first so that reading s deforms no varlena.
-- Amounts: a multiplicative hash of i picks a magnitude of 1 kr .. 10 Mkr and
-- a value below it; about one in nine is negative.  Deterministic.
\set ON_ERROR_STOP 1
CREATE EXTENSION actionplan;

CREATE TABLE bench (b bigint NOT NULL, s sek NOT NULL, n numeric NOT NULL);
INSERT INTO bench (b, s, n)
SELECT ore, sek_from_ore(ore), ore * 0.01
FROM (SELECT (h % (10::bigint ^ (2 + (h / 7) % 8))::bigint)
             * CASE WHEN h % 9 = 0 THEN -1 ELSE 1 END AS ore
      FROM (SELECT (i * 2654435761) % 4294967291 AS h
            FROM generate_series(1::bigint, :rows) AS i) AS g) AS a;
VACUUM ANALYZE bench;

-- the three columns must hold the same amounts
DO $$BEGIN
  IF EXISTS (SELECT FROM bench WHERE b <> sek_ore(s) OR n <> s::numeric)
     OR (SELECT sum(b) <> sek_ore(sum(s)) OR sum(n) <> sum(s)::numeric FROM bench)
  THEN RAISE EXCEPTION 'bench: the bigint, numeric and sek columns disagree';
  END IF;
END$$;
SELECT count(*) AS n, min(s), max(s), sum(s),
       round(100.0 * count(*) FILTER (WHERE b < 0) / count(*), 1) AS neg,
       pg_size_pretty(pg_table_size('bench')) AS size
FROM bench \gset
\echo data: :n rows (:size), :min .. :max kr, :neg % negative, sum :sum kr; columns agree

-- COPY input: plain '12345.67' (numeric and sek) and Swedish '12 345,67 kr' (sek)
\set plain :dir '/bench_plain.txt'
\set swedish :dir '/bench_swedish.txt'
COPY (SELECT n FROM bench) TO :'plain';
COPY (SELECT sek_format(s, 'kr', 2) FROM bench) TO :'swedish';
CREATE UNLOGGED TABLE t_num (v numeric);
CREATE UNLOGGED TABLE t_sek (v sek);
