-- sek arithmetic against numeric on thousands of random values: exact sums,
-- the documented rounding rule (nearest öre, halves away from zero, which is
-- numeric's round()), text and display round trips.
BEGIN;
SELECT plan(14);
SELECT setseed(0.42);

-- x / y rounded half away from zero, computed exactly with integer division
CREATE FUNCTION pg_temp.round_div(x numeric, y numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
  SELECT div(x, y) + CASE WHEN 2 * abs(x - div(x, y) * y) >= abs(y)
                          THEN sign(x) * sign(y) ELSE 0 END
$$;

CREATE TEMP TABLE r AS
SELECT sek_from_ore(a) AS a, sek_from_ore(b) AS b, a AS a_ore, b AS b_ore, n, f
FROM (
  SELECT (CASE WHEN i % 10 = 0 THEN (random() * 2 - 1) * 9e18
               WHEN i % 3 = 0 THEN (random() * 2 - 1) * 1e6
               ELSE (random() * 2 - 1) * 1e11 END)::bigint AS a,
         ((random() * 2 - 1) * 1e12)::bigint AS b,
         (floor(random() * 2000) - 1000)::int AS n,
         round((random() * 4 - 2)::numeric, (i % 7)) AS f
  FROM generate_series(1, 20000) i
) s;
-- extremes and ties
INSERT INTO r VALUES
  (sek_from_ore(9223372036854775807), '0', 9223372036854775807, 0, 1, 1),
  (sek_from_ore(-9223372036854775807), '0', -9223372036854775807, 0, -1, -1),
  ('0,05', '-0,05', 5, -5, 2, 0.5), ('-0,05', '0,05', -5, 5, -2, -0.5),
  ('0,01', '0,01', 1, 1, 2, 0.5), ('-0,01', '-0,01', -1, -1, 2, 0.5);

SELECT is((SELECT count(*) FROM r WHERE a::text::sek <> a), 0::bigint,
          'text output round-trips for every value');
SELECT is((SELECT count(*) FROM r WHERE a::numeric <> a_ore::numeric * 0.01), 0::bigint,
          'sek::numeric is exact');
SELECT is((SELECT count(*) FROM r WHERE a::numeric::sek <> a), 0::bigint,
          'numeric round trip is exact');
SELECT is((SELECT count(*) FROM r
           WHERE abs(a_ore::numeric + b_ore) < 9223372036854775807
             AND (a + b)::numeric <> a::numeric + b::numeric), 0::bigint,
          'sek + sek equals numeric addition');
SELECT is((SELECT count(*) FROM r
           WHERE abs(a_ore::numeric * n) < 9223372036854775807
             AND (a * n)::numeric <> a::numeric * n), 0::bigint,
          'sek * integer equals numeric multiplication');
SELECT is((SELECT count(*) FROM r
           WHERE n <> 0 AND (a / n)::numeric <> pg_temp.round_div(a_ore, n) * 0.01), 0::bigint,
          'sek / integer rounds like numeric round(): halves away from zero');
SELECT is((SELECT count(*) FROM r
           WHERE abs(a_ore::numeric * f) < 9e18
             AND (a * f)::numeric <> round(a::numeric * f, 2)), 0::bigint,
          'sek * numeric rounds like numeric round()');
SELECT is((SELECT count(*) FROM r
           WHERE f <> 0 AND abs(a_ore::numeric / f) < 9e18
             AND (a / f)::numeric <> pg_temp.round_div(a_ore, f) * 0.01), 0::bigint,
          'sek / numeric rounds like numeric round() on the exact quotient');
-- binary fractions are exact in float8, so the product can be checked exactly
SELECT is((SELECT count(*) FROM r
           WHERE abs(a_ore::numeric * n / 64) < 9e18
             AND (a * (n / 64.0)::float8)::numeric <> round(a::numeric * n / 64, 2)), 0::bigint,
          'sek * float8 is the exact product rounded once');
SELECT is((SELECT count(*) FROM r
           WHERE n <> 0 AND abs(a_ore::numeric * 64 / n) < 9e18
             AND (a / (n / 64.0)::float8)::numeric <> pg_temp.round_div(a_ore * 64::numeric, n) * 0.01), 0::bigint,
          'sek / float8 is the exact quotient rounded once');
SELECT is((SELECT sum(a)::numeric FROM r WHERE abs(a_ore) < 1e15),
          (SELECT sum(a_ore::numeric) / 100 FROM r WHERE abs(a_ore) < 1e15),
          'sum(sek) equals sum(numeric)');
SELECT is((SELECT avg(a)::numeric FROM r),
          (SELECT pg_temp.round_div(sum(a_ore::numeric), count(*)) * 0.01 FROM r),
          'avg(sek) equals round(avg(numeric)) even where the sum exceeds int64');
SELECT is((SELECT count(*) FROM r
           WHERE sek_format(a, 'tkr', 5, '')::sek <> a
              OR sek_format(a, 'kr', 2)::sek <> a
              OR sek_format(a, 'mdkr', 11, ' ')::sek <> a), 0::bigint,
          'Swedish display at full precision parses back to the same amount');
SELECT is((SELECT count(*) FROM r
           WHERE sek_format(a, 'mnkr', 1)::sek::numeric <> round(a::numeric / 1e6, 1) * 1e6), 0::bigint,
          'display rounding to 0,1 mnkr is half away from zero');

SELECT * FROM finish();
ROLLBACK;
