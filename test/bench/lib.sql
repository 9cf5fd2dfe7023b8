-- SQL helpers shared by the benchmarks (\ir from their setup, \i from their
-- result checks); session-local (pg_temp).

-- a uniform number in (0, 1) from (id, stream): 52 bits of a 64-bit hash, so
-- generated tables are the same on every run and every machine
CREATE FUNCTION pg_temp.u(i bigint, s bigint) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ((hashint8extended(i, s) & 4503599627370495)::float8 + 0.5) / 4503599627370496.0::float8 $$;

-- two result tables hold the same rows (as multisets), or the benchmark stops
CREATE FUNCTION pg_temp.same(a text, b text, what text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE n bigint; m bigint; k bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM %I', a) INTO n;
  EXECUTE format('SELECT count(*) FROM %I', b) INTO m;
  EXECUTE format('SELECT count(*) FROM ((TABLE %I EXCEPT ALL TABLE %I) UNION ALL (TABLE %I EXCEPT ALL TABLE %I)) x',
                 a, b, b, a) INTO k;
  IF n = 0 OR n <> m OR k <> 0 THEN
    RAISE EXCEPTION 'bench: WRONG RESULTS: % (% has % rows, % has % rows, % differ)', what, a, n, b, m, k;
  END IF;
  RAISE NOTICE 'same: % (% rows)', what, n;
END$$;
