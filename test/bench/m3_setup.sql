-- Tables and scoring functions of the M3 monthly benchmark (m3_bench.sh loads
-- the CSV files into them with \copy; the database is a throwaway one).

CREATE TABLE m3_train (series_id text, t integer, value float8, PRIMARY KEY (series_id, t));
CREATE TABLE m3_test (series_id text, t integer, value float8, PRIMARY KEY (series_id, t));

-- every method's forecasts, h = 1..18 after the end of m3_train; NULL
-- intervals where a method has none (the anchors)
CREATE TABLE m3_fc (
  method text, series_id text, h integer,
  point float8, lo80 float8, hi80 float8, lo95 float8, hi95 float8,
  PRIMARY KEY (method, series_id, h));

-- R's seconds per series and method (fit + forecast of that series)
CREATE TABLE m3_r_time (method text, series_id text, seconds float8, PRIMARY KEY (method, series_id));

-- whole-query seconds of a method over a set of series: 'all' (the 1428) or
-- 'r' (the series R ran on)
CREATE TABLE m3_time (method text, subset text, n_series integer, seconds float8, PRIMARY KEY (method, subset));

-- Per series: its length and the MASE scale (in-sample mean |x_t - x_{t-12}|);
-- filled by m3_prepare() after the load.
CREATE TABLE m3_series (series_id text PRIMARY KEY, n integer, last_t integer, scale float8);

-- The series R ran on (all of them when R ran on all).
CREATE TABLE m3_rsub (series_id text PRIMARY KEY);

-- Month index t (1-based) of a forecast period as the benchmark dates them:
-- t = 1 is 2000-01-01.
CREATE FUNCTION m3_t(period date) RETURNS integer LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT ((extract(year FROM period)::integer - 2000) * 12 + extract(month FROM period)::integer) $$;

-- Check the load, fill m3_series, and compute the two plain-SQL anchors:
-- 'snaive' (the same month a year before the origin) and 'naive2' (M3's
-- NAIVE2: the last value, seasonally adjusted by classical multiplicative
-- decomposition when the series passes the 90 % lag-12 autocorrelation test,
-- then reseasonalised).
CREATE FUNCTION m3_prepare() RETURNS void LANGUAGE plpgsql AS $f$
DECLARE bad bigint;
BEGIN
  INSERT INTO m3_series
  SELECT series_id, count(*), max(t),
         avg(abs(value - lag12)) FILTER (WHERE lag12 IS NOT NULL)
  FROM (SELECT series_id, t, value, lag(value, 12) OVER (PARTITION BY series_id ORDER BY t) AS lag12
        FROM m3_train) x
  GROUP BY series_id;
  SELECT count(*) INTO bad FROM m3_series WHERE n <> last_t OR n < 24 OR NOT scale > 0;  -- 24: TRAIN_MONTHS cuts them
  IF bad > 0 OR (SELECT count(*) FROM m3_series) <> 1428 THEN
    RAISE EXCEPTION 'm3: train.csv is not the 1428 M3 monthly series (% series with gaps or no scale)', bad;
  END IF;
  SELECT count(*) INTO bad FROM m3_series s
  WHERE (SELECT count(*) FROM m3_test x WHERE x.series_id = s.series_id AND x.t BETWEEN s.n + 1 AND s.n + 18) <> 18;
  IF bad > 0 OR (SELECT count(*) FROM m3_test) <> 1428 * 18 THEN
    RAISE EXCEPTION 'm3: test.csv does not hold months n+1..n+18 of every series (% series differ)', bad;
  END IF;

  INSERT INTO m3_fc (method, series_id, h, point)
  SELECT 'snaive', s.series_id, h, x.value
  FROM m3_series s CROSS JOIN generate_series(1, 18) h
  JOIN m3_train x ON x.series_id = s.series_id AND x.t = s.n - 12 + (h - 1) % 12 + 1;

  INSERT INTO m3_fc (method, series_id, h, point)
  WITH d AS (
    SELECT series_id, t, value, value - avg(value) OVER (PARTITION BY series_id) AS dev FROM m3_train),
  c0 AS (SELECT series_id, sum(dev * dev) AS c0, count(*) AS n FROM d GROUP BY series_id),
  -- autocorrelations r_1..r_12 as R's acf()
  acf AS (
    SELECT a.series_id, k, sum(a.dev * b.dev) / min(c0.c0) AS r
    FROM d a CROSS JOIN generate_series(1, 12) k
    JOIN d b ON b.series_id = a.series_id AND b.t = a.t + k
    JOIN c0 ON c0.series_id = a.series_id
    GROUP BY a.series_id, k),
  -- seasonal when |r_12| > 1.645 sqrt((1 + 2 sum_{k<12} r_k^2) / n)
  seasonal AS (
    SELECT acf.series_id,
           abs(max(r) FILTER (WHERE k = 12))
             > 1.645 * sqrt((1 + 2 * sum(r * r) FILTER (WHERE k < 12)) / min(c0.n)) AS yes
    FROM acf JOIN c0 USING (series_id) GROUP BY acf.series_id),
  -- centred 2x12 moving average
  ma AS (
    SELECT series_id, t, value,
           (sum(value) OVER (p ROWS BETWEEN 5 PRECEDING AND 5 FOLLOWING)
            + 0.5 * (lag(value, 6) OVER p + lead(value, 6) OVER p)) / 12 AS trend
    FROM m3_train WINDOW p AS (PARTITION BY series_id ORDER BY t)),
  si0 AS (
    SELECT series_id, (t - 1) % 12 AS pos, avg(value / trend) AS si
    FROM ma WHERE trend IS NOT NULL GROUP BY series_id, (t - 1) % 12),
  si AS (SELECT series_id, pos, si / avg(si) OVER (PARTITION BY series_id) AS si FROM si0)
  SELECT 'naive2', s.series_id, h,
         CASE WHEN z.yes THEN x.value / a.si * b.si ELSE x.value END
  FROM m3_series s CROSS JOIN generate_series(1, 18) h
  JOIN m3_train x ON x.series_id = s.series_id AND x.t = s.n
  JOIN seasonal z ON z.series_id = s.series_id
  JOIN si a ON a.series_id = s.series_id AND a.pos = (s.n - 1) % 12
  JOIN si b ON b.series_id = s.series_id AND b.pos = (s.n + h - 1) % 12;
  RAISE NOTICE 'naive2: % of 1428 series seasonal by the lag-12 test',
    (SELECT count(*) FROM m3_series s WHERE
       (SELECT point FROM m3_fc f WHERE f.method = 'naive2' AND f.series_id = s.series_id AND h = 1)
       IS DISTINCT FROM (SELECT value FROM m3_train x WHERE x.series_id = s.series_id AND x.t = s.n));
END
$f$;

-- Move a method's raw result (series_id, period, point, lo80, hi80, lo95,
-- hi95, as forecast() returns it) into m3_fc as h = 1..18; returns what is
-- wrong with it ('' when nothing).
CREATE FUNCTION m3_take(method text, raw regclass) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE n_rows bigint; n_out bigint; n_dup bigint; n_series bigint; n_short bigint; msg text := '';
BEGIN
  EXECUTE format($q$
    CREATE TEMP TABLE m3_take_tmp ON COMMIT DROP AS
    SELECT r.series_id, m3_t(r.period) - s.n AS h, r.point, r.lo80, r.hi80, r.lo95, r.hi95
    FROM %s r JOIN m3_series s USING (series_id)$q$, raw);
  SELECT count(*), count(*) FILTER (WHERE h NOT BETWEEN 1 AND 18), count(DISTINCT series_id)
    INTO n_rows, n_out, n_series FROM m3_take_tmp;
  SELECT count(*) INTO n_dup FROM (SELECT 1 FROM m3_take_tmp GROUP BY series_id, h HAVING count(*) > 1) d;
  IF n_out > 0 THEN
    msg := msg || format('%s rows dated outside the 18 months after the last training month; ', n_out);
  END IF;
  IF n_dup > 0 THEN msg := msg || format('%s duplicate (series, month) rows; ', n_dup); END IF;
  IF n_series <> 1428 THEN msg := msg || format('forecasts for %s of 1428 series; ', n_series); END IF;
  SELECT count(*) INTO n_short FROM (SELECT 1 FROM m3_take_tmp GROUP BY series_id HAVING count(*) <> 18) d;
  IF n_short > 0 THEN msg := msg || format('%s series without exactly 18 rows; ', n_short); END IF;
  INSERT INTO m3_fc
  SELECT DISTINCT ON (series_id, h) method, series_id, h, point, lo80, hi80, lo95, hi95
  FROM m3_take_tmp WHERE h BETWEEN 1 AND 18 ORDER BY series_id, h;
  DROP TABLE m3_take_tmp;
  RETURN rtrim(msg, '; ');
END
$f$;

-- true when x is a finite number
CREATE FUNCTION m3_finite(x float8) RETURNS boolean LANGUAGE sql IMMUTABLE
  AS $$ SELECT x IS NOT NULL AND x <> 'NaN'::float8 AND x <> 'Infinity'::float8 AND x <> '-Infinity'::float8 $$;

-- Scores of every method over a set of series ('all' or 'r'): sMAPE (M3:
-- mean over series and horizons of 200|y-f|/(|y|+|f|)), MASE (per series
-- mean|y-f| / scale, averaged over series), coverage of the 80 % and 95 %
-- intervals (% of test points inside), MSIS (mean scaled interval score of the
-- 95 % interval, as in M4), the mean 95 % width in % of the actual, seconds
-- per series, test points without a finite forecast, and rows whose
-- intervals are not nested around the point (lo95 <= lo80 <= point <= hi80 <= hi95).
-- R's methods appear only when R ran on every series of the set.
CREATE FUNCTION m3_score(subset text)
RETURNS TABLE (method text, series bigint, smape float8, mase float8, cover80 float8, cover95 float8,
               msis float8, width95 float8, sec_per_series float8, missing bigint, not_nested bigint)
LANGUAGE sql STABLE AS $f$
  WITH s AS (
    SELECT * FROM m3_series WHERE subset = 'all' OR series_id IN (SELECT series_id FROM m3_rsub)),
  -- R's methods only over the series R ran on
  m AS (SELECT DISTINCT method FROM m3_fc
        WHERE method NOT LIKE 'R %' OR (SELECT count(*) FROM s) = (SELECT count(*) FROM m3_rsub)),
  pts AS (
    SELECT m.method, s.series_id, s.scale, y.value AS y,
           CASE WHEN m3_finite(f.point) THEN f.point END AS f,
           CASE WHEN m3_finite(f.lo80) AND m3_finite(f.hi80) THEN f.lo80 END AS l80,
           CASE WHEN m3_finite(f.lo80) AND m3_finite(f.hi80) THEN f.hi80 END AS u80,
           CASE WHEN m3_finite(f.lo95) AND m3_finite(f.hi95) THEN f.lo95 END AS l95,
           CASE WHEN m3_finite(f.lo95) AND m3_finite(f.hi95) THEN f.hi95 END AS u95
    FROM m CROSS JOIN s
    JOIN m3_test y ON y.series_id = s.series_id AND y.t BETWEEN s.n + 1 AND s.n + 18
    LEFT JOIN m3_fc f ON f.method = m.method AND f.series_id = s.series_id AND f.h = y.t - s.n),
  per_series AS (
    SELECT method, series_id,
           avg(abs(y - f)) / min(scale) AS mase,
           avg((u95 - l95) + 40 * greatest(l95 - y, 0) + 40 * greatest(y - u95, 0)) / min(scale) AS msis
    FROM pts GROUP BY method, series_id),
  per_method AS (
    SELECT method, count(DISTINCT series_id) AS series,
           avg(200 * abs(y - f) / (abs(y) + abs(f))) AS smape,
           100 * avg(CASE WHEN y BETWEEN l80 AND u80 THEN 1.0 WHEN l80 IS NOT NULL THEN 0.0 END) AS cover80,
           100 * avg(CASE WHEN y BETWEEN l95 AND u95 THEN 1.0 WHEN l95 IS NOT NULL THEN 0.0 END) AS cover95,
           100 * avg((u95 - l95) / abs(y)) AS width95,
           count(*) FILTER (WHERE f IS NULL) AS missing,
           count(*) FILTER (WHERE NOT (l95 <= l80 AND l80 <= f AND f <= u80 AND u80 <= u95)) AS not_nested
    FROM pts GROUP BY method),
  secs AS (
    SELECT 'R ' || method AS method, avg(seconds) AS sec
    FROM m3_r_time WHERE series_id IN (SELECT series_id FROM s) GROUP BY method
    UNION ALL
    SELECT method, seconds / n_series FROM m3_time
    WHERE subset = $1 OR (subset = 'all' AND NOT EXISTS (SELECT FROM m3_time t2 WHERE t2.method = m3_time.method AND t2.subset = $1)
                                             AND (SELECT count(*) FROM s) = 1428))
  SELECT p.method, p.series, p.smape, a.mase, p.cover80, p.cover95, a.msis, p.width95, secs.sec,
         p.missing, p.not_nested
  FROM per_method p
  JOIN (SELECT method, avg(mase) AS mase, avg(msis) AS msis FROM per_series GROUP BY method) a USING (method)
  LEFT JOIN secs USING (method)
  ORDER BY CASE WHEN p.method LIKE 'ap %' THEN 0 WHEN p.method LIKE 'R %' THEN 1 ELSE 2 END, p.smape
$f$;
