-- Limits of census and survival_curve: several hundred random and extreme
-- values (from the aggregates over random stays, crafted text, crafted
-- binary), every one that input or recv accepts reads back equal through
-- out -> in and send -> recv; every refusal carries the documented SQLSTATE;
-- buckets partition the period exactly for every width; the server lives on.
-- Binary input goes through server-side COPY files (the suite runs as a
-- superuser, as make test does).
BEGIN;
SELECT plan(32);
SET LOCAL client_min_messages = warning;
SET LOCAL DateStyle = 'ISO, YMD';
SELECT setseed(0.1313);

-- ---------- census values from the aggregate ----------
-- 400 groups: random periods over the whole supported range, and the edges
CREATE TEMP TABLE cl_period AS
SELECT g, daterange(s, s + len) AS period
FROM (SELECT g, len,
             CASE WHEN g % 50 = 0 THEN DATE '0001-01-01'
                  WHEN g % 50 = 1 THEN DATE '10000-01-01' - len
                  ELSE DATE '0001-01-01' + floor(random() * (3652059 - len))::int END AS s
      FROM (SELECT g, CASE WHEN g % 100 < 2 THEN 36525 ELSE 1 + floor(random() * 400)::int END AS len
            FROM generate_series(1, 400) g) l) p;
CREATE TEMP TABLE cl_stay AS
SELECT g, CASE WHEN i % 7 = 0 THEN daterange(lo, NULL)
               WHEN i % 11 = 0 THEN daterange(NULL, hi)
               WHEN i % 13 = 0 THEN 'empty'::daterange
               ELSE daterange(lo, greatest(hi, lo + 1)) END AS stay,
       sek_from_ore(CASE WHEN i % 5 = 0 THEN floor(random() * 1e13)::bigint
                         ELSE floor(random() * 500000)::bigint END) AS cost
FROM (SELECT g, i, lower(period) + floor(random() * (upper(period) - lower(period)))::int - 3 AS lo,
             lower(period) + floor(random() * (upper(period) - lower(period)))::int + 5 AS hi
      FROM cl_period, generate_series(1, 6) i) s
WHERE lo >= DATE '0001-01-01' AND hi < DATE '10000-01-10';
CREATE TEMP TABLE cl_census (id serial, src text, c census);
INSERT INTO cl_census (src, c)
SELECT 'aggregate', census(s.stay, s.cost, p.period)
FROM cl_period p JOIN cl_stay s USING (g) GROUP BY p.g, p.period;
SELECT cmp_ok((SELECT count(*) FROM cl_census), '>=', 390::bigint,
              'the aggregate built a census for (nearly) every random group');

-- ---------- crafted census text ----------
-- random periods (some outside the range, some too long), random run-length
-- arrays (some too short, negative, a cost without persons, huge sums)
CREATE TEMP TABLE cl_text AS
SELECT n, format('[%s,%s) persons=%s cost=%s', to_char(s, 'YYYY-MM-DD'), to_char(s + len, 'YYYY-MM-DD'),
                 persons, costs) AS t
FROM (SELECT n, s, len,
             CASE WHEN n % 9 = 0 THEN '-1' || CASE WHEN len > 1 THEN format(',1*%s', len - 1) ELSE '' END
                  WHEN n % 9 = 1 THEN format('4611686018427387904*%s', len)
                  WHEN n % 9 = 2 THEN format('1*%s', len + 1)
                  ELSE format('%s*%s', p, len) END AS persons,
             CASE WHEN n % 7 = 0 THEN format('9223372036854775807*%s', len)
                  WHEN p = 0 AND n % 2 = 0 THEN format('1*%s', len)
                  ELSE format('%s*%s', floor(random() * 1e9)::bigint, len) END AS costs
      FROM (SELECT n, floor(random() * 3)::int AS p,
                   CASE WHEN n % 40 = 0 THEN 36526 ELSE 1 + floor(random() * 30)::int END AS len,
                   CASE WHEN n % 10 = 0 THEN DATE '10000-01-01' - floor(random() * 40)::int
                        WHEN n % 10 = 1 THEN DATE '0001-01-01' + floor(random() * 40)::int
                        ELSE DATE '0001-01-01' + floor(random() * 3652000)::int END AS s
            FROM generate_series(1, 400) n) r) x;
CREATE TEMP TABLE cl_outcome (kind text, sqlstate text);
DO $$
DECLARE
  r record;
  v census;
BEGIN
  FOR r IN SELECT t FROM cl_text ORDER BY n LOOP
    BEGIN
      v := r.t::census;
      INSERT INTO cl_census (src, c) VALUES ('text', v);
      INSERT INTO cl_outcome VALUES ('census text', 'accepted');
    EXCEPTION WHEN OTHERS THEN
      INSERT INTO cl_outcome VALUES ('census text', SQLSTATE);
    END;
  END LOOP;
END $$;
SELECT cmp_ok((SELECT count(*) FROM cl_outcome WHERE kind = 'census text' AND sqlstate = 'accepted'),
              '>=', 100::bigint, 'many crafted census texts are valid');
SELECT is((SELECT count(DISTINCT sqlstate) FROM cl_outcome WHERE kind = 'census text' AND sqlstate <> 'accepted'),
          3::bigint, 'crafted census texts are refused with three distinct SQLSTATEs');
SELECT is((SELECT array_agg(DISTINCT sqlstate ORDER BY sqlstate) FROM cl_outcome
           WHERE kind = 'census text' AND sqlstate <> 'accepted'),
          ARRAY['22003', '22008', '22P02'],
          'refused census text: 22P02 (malformed), 22008 (outside the dates), 22003 (sums beyond bigint)');

-- ---------- crafted census binary ----------
-- start day anywhere from 4714 BC to beyond 10000, day counts around the
-- limits, payloads of the announced or another length, random counts
CREATE TEMP TABLE cl_bin AS
SELECT n, int4send(start) || int4send(ndays) ||
          coalesce((SELECT string_agg(int8send(CASE WHEN n % 8 = 0 AND k = 1 THEN -1
                                                   WHEN n % 8 = 1 THEN 4611686018427387904 + k % 2
                                                   WHEN n % 3 = 2 THEN 1
                                                   ELSE floor(random() * 3)::bigint END), ''::bytea ORDER BY k)
                    FROM generate_series(1, least(greatest(body, 0), 40)) k), ''::bytea) AS b
FROM (SELECT n, start, ndays,
             CASE WHEN n % 6 = 0 THEN 2 * ndays - 1 WHEN n % 6 = 1 THEN 2 * ndays + 1
                  ELSE 2 * ndays END AS body
      FROM (SELECT n,
                   CASE WHEN n % 5 = 0 THEN -730119 - floor(random() * 3)::int
                        WHEN n % 5 = 1 THEN 2921940 - floor(random() * 25)::int
                        WHEN n % 5 = 2 THEN floor(random() * 2147483647)::int - 1073741823
                        ELSE -730119 + floor(random() * 3652059)::int END AS start,
                   CASE WHEN n % 17 = 0 THEN -1 WHEN n % 19 = 0 THEN 0
                        ELSE 1 + floor(random() * 20)::int END AS ndays
            FROM generate_series(1, 300) n) r) x;
-- a few byte strings cut short: every length below the 8-byte header
INSERT INTO cl_bin SELECT 1000 + k, substr('\x000020d100000001'::bytea, 1, k) FROM generate_series(0, 7) k;
DO $$
DECLARE
  r record;
  f text := '/tmp/actionplan_census_limits_' || pg_backend_pid() || '.bin';
BEGIN
  CREATE TEMP TABLE cl_recv (c census);
  FOR r IN SELECT n FROM cl_bin ORDER BY n LOOP
    EXECUTE format('COPY (SELECT b FROM cl_bin WHERE n = %s) TO %L WITH (FORMAT binary)', r.n, f);
    BEGIN
      EXECUTE format('COPY cl_recv FROM %L WITH (FORMAT binary)', f);
      INSERT INTO cl_outcome VALUES ('census binary', 'accepted');
    EXCEPTION WHEN OTHERS THEN
      INSERT INTO cl_outcome VALUES ('census binary', SQLSTATE);
    END;
  END LOOP;
  INSERT INTO cl_census (src, c) SELECT 'binary', c FROM cl_recv;
END $$;
SELECT cmp_ok((SELECT count(*) FROM cl_outcome WHERE kind = 'census binary' AND sqlstate = 'accepted'),
              '>=', 20::bigint, 'some crafted binary censuses are valid');
SELECT is((SELECT array_agg(DISTINCT sqlstate ORDER BY sqlstate) FROM cl_outcome WHERE kind = 'census binary'),
          ARRAY['22P03', 'accepted'], 'every refused binary census is 22P03 (never 08P01 or a crash)');

-- ---------- round trips of every accepted census ----------
SELECT cmp_ok((SELECT count(*) FROM cl_census), '>=', 500::bigint, 'at least 500 census values to check');
SELECT is((SELECT count(*) FROM cl_census WHERE c::text::census::text IS DISTINCT FROM c::text
                                              OR census_send(c::text::census) IS DISTINCT FROM census_send(c)),
          0::bigint, 'every accepted census reads back from its text equal (out -> in)');
DO $$
DECLARE
  f text := '/tmp/actionplan_census_limits_' || pg_backend_pid() || '.bin';
BEGIN
  EXECUTE format('COPY cl_census (id, c) TO %L WITH (FORMAT binary)', f);
  CREATE TEMP TABLE cl_back (id int, c census);
  EXECUTE format('COPY cl_back FROM %L WITH (FORMAT binary)', f);
  EXECUTE format('COPY cl_census (id, c) TO %L', f);
  CREATE TEMP TABLE cl_back_text (id int, c census);
  EXECUTE format('COPY cl_back_text FROM %L', f);
END $$;
SELECT is((SELECT count(*) FROM cl_census a JOIN cl_back b USING (id) WHERE census_send(a.c) = census_send(b.c)),
          (SELECT count(*) FROM cl_census), 'every census comes back equal through send -> recv (binary COPY)');
SELECT is((SELECT count(*) FROM cl_census a JOIN cl_back_text b USING (id) WHERE census_send(a.c) = census_send(b.c)),
          (SELECT count(*) FROM cl_census), 'every census comes back equal through a text COPY (as pg_restore reads it)');

-- ---------- accessors and buckets over every value ----------
-- buckets partition the period: their care days and cost add up to the whole
CREATE TEMP TABLE cl_width (w interval);
INSERT INTO cl_width VALUES ('1 day'), ('3 days'), ('1 week'), ('2 weeks'), ('1 month'), ('3 months'),
  ('6 months'), ('1 year'), ('2147483647 days'), ('306783378 weeks'), ('0 days'), ('-1 day'),
  ('-1 month'), ('5 months'), ('2 years'), ('1 month 1 day'), ('1 day 1 second'), ('178956970 years');
DO $$
DECLARE
  r record;
  w interval;
  n bigint;
  days numeric;
  cost numeric;
BEGIN
  FOR r IN SELECT id, c FROM cl_census WHERE id % 3 = 0 LOOP
    FOR w IN SELECT cl_width.w FROM cl_width LOOP
      BEGIN
        SELECT count(*), sum(b.care_days), sum(sek_ore(b.cost)) INTO n, days, cost
        FROM census_buckets(r.c, w) b;
        IF n < 1 OR n > upper(period(r.c)) - lower(period(r.c))
           OR days <> care_days(r.c) OR cost <> sek_ore(cost(r.c)) THEN
          INSERT INTO cl_outcome VALUES ('buckets', 'wrong');
        ELSE
          INSERT INTO cl_outcome VALUES ('buckets', 'accepted');
        END IF;
      EXCEPTION WHEN OTHERS THEN
        INSERT INTO cl_outcome VALUES ('buckets', SQLSTATE);
      END;
    END LOOP;
  END LOOP;
END $$;
SELECT is((SELECT array_agg(DISTINCT sqlstate ORDER BY sqlstate) FROM cl_outcome WHERE kind = 'buckets'),
          ARRAY['22023', 'accepted'], 'buckets of every width add up to the census exactly, or the width is refused (22023)');
SELECT cmp_ok((SELECT count(*) FROM cl_outcome WHERE kind = 'buckets'), '>=', 2500::bigint,
              'thousands of (census, width) cases ran');
-- sums of every value are exact: care days and cost against numeric sums
SELECT is((SELECT count(*) FROM cl_census
           WHERE care_days(c) <> (SELECT sum(b.care_days) FROM census_buckets(c, '1 day') b)
              OR peak(c) <> (SELECT max(b.peak) FROM census_buckets(c, '1 day') b)
              OR persons_per_day(c) IS NULL OR occupancy(c, 1) IS NULL
              OR (care_days(c) > 0) <> (cost_per_care_day(c) IS NOT NULL)),
          0::bigint, 'care_days, peak, persons_per_day, occupancy and cost_per_care_day agree on every value');

-- the extremes, each with its SQLSTATE
SELECT throws_ok($$SELECT census(s, 1::sek, daterange('0002-01-01 BC', '0002-03-01 BC')) FROM (VALUES ('[2023-01-01,2023-02-01)'::daterange)) v(s)$$,
                 '22008', NULL, 'a BC period is refused by the aggregate');
SELECT throws_ok($$SELECT census(s, 1::sek, daterange('9999-12-01', '10000-01-02')) FROM (VALUES ('[2023-01-01,2023-02-01)'::daterange)) v(s)$$,
                 '22008', NULL, 'a period past 10000-01-01 is refused by the aggregate');
SELECT throws_ok($$SELECT census(s, 1::sek, daterange('5874897-12-01', '5874897-12-31')) FROM (VALUES ('[2023-01-01,2023-02-01)'::daterange)) v(s)$$,
                 '22008', NULL, 'a period at the last PostgreSQL date is refused by the aggregate');
SELECT throws_ok($$SELECT census(s, 1::sek, '[-infinity,2023-01-01)') FROM (VALUES ('[2023-01-01,2023-02-01)'::daterange)) v(s)$$,
                 '22023', NULL, 'an unbounded period is refused by the aggregate');
SELECT throws_ok($$SELECT census(s, 92233720368547758.07::sek, '[2023-01-01,2023-01-03)') FROM (VALUES ('[2023-01-01,2023-01-02)'::daterange), ('[2023-01-02,2023-01-03)'::daterange)) v(s)$$,
                 '22003', NULL, 'an aggregate whose total cost exceeds a bigint is 22003, not a value that cannot be read back');
SELECT throws_ok($$SELECT rollup(c) FROM (VALUES ('[2023-01-01,2023-01-02) persons=1 cost=9223372036854775807'::census), ('[2023-01-02,2023-01-03) persons=1 cost=9223372036854775807'::census)) v(c)$$,
                 '22003', NULL, 'a rollup whose total cost exceeds a bigint is 22003');
SELECT throws_ok($$SELECT care_days('[2023-01-01,2023-01-03) persons=1,2 cost=0,0'::census, '[2022-12-31,2023-01-02)')$$,
                 '22023', NULL, 'a sub-period outside the census is 22023');
SELECT throws_ok($$SELECT cost('[2023-01-01,2023-01-03) persons=1,2 cost=0,0'::census, '[2023-01-01,infinity)')$$,
                 '22023', NULL, 'an unbounded sub-period is 22023');
SELECT is(care_days('[4714-11-24 BC,5874897-12-31)'::daterange, '[2023-01-01,)'::daterange),
          ('5874897-12-31'::date - '2023-01-01'::date), 'care_days of the widest stay is exact');

-- ---------- survival_curve ----------
-- curves from stay_survival over random stays, as_of anywhere PostgreSQL has dates
CREATE TEMP TABLE cl_surv (id serial, src text, s survival_curve);
INSERT INTO cl_surv (src, s)
SELECT 'aggregate', stay_survival(stay, as_of)
FROM (SELECT g, as_of,
             CASE WHEN i % 4 = 0 THEN daterange(as_of - len, NULL)
                  ELSE daterange(as_of - len, as_of - len + 1 + floor(random() * len)::int) END AS stay
      FROM (SELECT g, i, as_of,
                   least(as_of - DATE '4714-11-24 BC',
                         CASE WHEN i % 9 = 0 THEN 2147483647 ELSE floor(random() * 100000)::int END)::int AS len
            FROM (SELECT g, CASE WHEN g % 20 = 0 THEN DATE '4714-11-24 BC' + (g % 3)
                                 WHEN g % 20 = 1 THEN DATE '5874897-12-31' - (g % 3)
                                 ELSE DATE '4714-11-24 BC' + floor(random() * 2147000000)::int END AS as_of
                  FROM generate_series(1, 200) g) a, generate_series(1, 5) i) b) c
GROUP BY g, as_of;
SELECT cmp_ok((SELECT count(*) FROM cl_surv), '=', 200::bigint, 'stay_survival built 200 curves over the whole date range');
-- crafted text: as_of anywhere (BC, five- and seven-digit years), random points
DO $$
DECLARE
  t text;
  v survival_curve;
BEGIN
  FOR t IN
    SELECT format('%s|%s', d::text,
                  (SELECT string_agg(format('%s:%s/%s', k::bigint * step, (k * 7 + n) % 3, (k + n) % 2), ',')
                   FROM generate_series(CASE WHEN n % 5 = 0 THEN 0 ELSE 1 END, n % 6) k))
    FROM (SELECT n, CASE WHEN n % 4 = 0 THEN 1 + floor(random() * 1e9)::int ELSE 1 + n END AS step,
                 DATE '4714-11-24 BC' + CASE WHEN n % 10 = 0 THEN n % 3
                                             WHEN n % 10 = 1 THEN 2147483493 - n % 3
                                             ELSE floor(random() * 2147483494)::int END AS d
          FROM generate_series(1, 300) n) x
  LOOP
    BEGIN
      v := t::survival_curve;
      INSERT INTO cl_surv (src, s) VALUES ('text', v);
      INSERT INTO cl_outcome VALUES ('survival text', 'accepted');
    EXCEPTION WHEN OTHERS THEN
      INSERT INTO cl_outcome VALUES ('survival text', SQLSTATE);
    END;
  END LOOP;
END $$;
SELECT cmp_ok((SELECT count(*) FROM cl_outcome WHERE kind = 'survival text' AND sqlstate = 'accepted'),
              '>=', 100::bigint, 'many crafted survival_curve texts are valid');
SELECT is((SELECT array_agg(DISTINCT sqlstate ORDER BY sqlstate) FROM cl_outcome WHERE kind = 'survival text'),
          ARRAY['22P02', 'accepted'], 'refused survival_curve text is 22P02');
-- crafted binary: version, as_of, count, points; cut short or of another length
CREATE TEMP TABLE cl_sbin AS
SELECT n, substr(b, 1, CASE WHEN n % 7 = 0 THEN floor(random() * length(b))::int ELSE length(b) END) AS b
FROM (SELECT n, '\x01'::bytea || int4send(as_of) || int4send(np + CASE WHEN n % 11 = 0 THEN 1 ELSE 0 END) ||
             coalesce((SELECT string_agg(int4send(k * 10) || int8send((k + n) % 2) || int8send(CASE WHEN n % 13 = 0 THEN -1 ELSE 1 END), ''::bytea)
                       FROM generate_series(1, np) k), ''::bytea) AS b
      FROM (SELECT n, np,
                   CASE WHEN n % 5 = 0 THEN -2451545 + floor(random() * 100)::int - 50
                        WHEN n % 5 = 1 THEN 2145031948 - floor(random() * 100)::int + 50
                        ELSE floor(random() * 2147483647)::int - 1073741823 END AS as_of
            FROM (SELECT n, floor(random() * 5)::int AS np FROM generate_series(1, 300) n) a) b) c;
DO $$
DECLARE
  r record;
  f text := '/tmp/actionplan_census_limits_' || pg_backend_pid() || '.bin';
BEGIN
  CREATE TEMP TABLE cl_srecv (s survival_curve);
  FOR r IN SELECT n FROM cl_sbin ORDER BY n LOOP
    EXECUTE format('COPY (SELECT b FROM cl_sbin WHERE n = %s) TO %L WITH (FORMAT binary)', r.n, f);
    BEGIN
      EXECUTE format('COPY cl_srecv FROM %L WITH (FORMAT binary)', f);
      INSERT INTO cl_outcome VALUES ('survival binary', 'accepted');
    EXCEPTION WHEN OTHERS THEN
      INSERT INTO cl_outcome VALUES ('survival binary', SQLSTATE);
    END;
  END LOOP;
  INSERT INTO cl_surv (src, s) SELECT 'binary', s FROM cl_srecv;
END $$;
SELECT cmp_ok((SELECT count(*) FROM cl_outcome WHERE kind = 'survival binary' AND sqlstate = 'accepted'),
              '>=', 50::bigint, 'many crafted binary survival curves are valid');
SELECT is((SELECT array_agg(DISTINCT sqlstate ORDER BY sqlstate) FROM cl_outcome WHERE kind = 'survival binary'),
          ARRAY['22P03', 'accepted'], 'every refused binary survival curve is 22P03 (never 08P01 or a crash)');
SELECT cmp_ok((SELECT count(*) FROM cl_surv), '>=', 400::bigint, 'at least 400 survival curves to check');
SELECT is((SELECT count(*) FROM cl_surv WHERE s::text::survival_curve::text IS DISTINCT FROM s::text
                                            OR survival_curve_send(s::text::survival_curve) IS DISTINCT FROM survival_curve_send(s)),
          0::bigint, 'every accepted survival curve reads back from its text equal (out -> in)');
DO $$
DECLARE
  f text := '/tmp/actionplan_census_limits_' || pg_backend_pid() || '.bin';
BEGIN
  EXECUTE format('COPY cl_surv (id, s) TO %L WITH (FORMAT binary)', f);
  CREATE TEMP TABLE cl_sback (id int, s survival_curve);
  EXECUTE format('COPY cl_sback FROM %L WITH (FORMAT binary)', f);
END $$;
SELECT is((SELECT count(*) FROM cl_surv a JOIN cl_sback b USING (id)
           WHERE survival_curve_send(a.s) = survival_curve_send(b.s)),
          (SELECT count(*) FROM cl_surv), 'every survival curve comes back equal through send -> recv (binary COPY)');
-- accessors over every curve with extreme arguments: a number, NULL or 22023
SELECT is((SELECT count(*) FROM cl_surv
           WHERE stay_count(s) < event_count(s)
              OR expected_remaining_days(s, 2147483647, 2147483647) < 0
              OR survival(s, 2147483647) NOT BETWEEN 0 AND 1
              OR median_stay(s) < 0),
          0::bigint, 'accessors of every curve stay in range at the largest durations');

-- the scratch file of the COPYs above goes (no SQL function removes a
-- server file, so a COPY to a program; the suite runs as a superuser)
DO $$
DECLARE
  f text := '/tmp/actionplan_census_limits_' || pg_backend_pid() || '.bin';
BEGIN
  EXECUTE format('COPY (SELECT WHERE false) TO PROGRAM %L', 'rm -f ' || f);
END $$;
SELECT ok((SELECT pg_stat_file('/tmp/actionplan_census_limits_' || pg_backend_pid() || '.bin', true) IS NULL),
          'the scratch file is removed');

SELECT * FROM finish();
ROLLBACK;
