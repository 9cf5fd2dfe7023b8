-- Round trips of every type: whatever text input or binary input accepts,
-- output writes and input reads back equal (out -> in gives the same text,
-- send -> recv the same bytes).  Property test over random values (fixed
-- seed) and the extremes: sek and estimate at their limits, census at year 1
-- and 9999-12, survival curves seen in BC and in year 10000+, forecast
-- models with subnormal, huge, infinite-criterion and -0 doubles.  Binary
-- input is reached through a binary COPY file of the send() bytes, as a
-- client or pg_restore would send them.
BEGIN;
SELECT plan(13);
SELECT setseed(0.1304);

CREATE TEMP TABLE vals (typ text, v text);
-- sek: limits, ±1 öre, random öre over the whole range
INSERT INTO vals SELECT 'sek', sek_from_ore(o)::text FROM unnest(ARRAY[9223372036854775807, -9223372036854775807, 1, -1, 0]::bigint[]) o;
INSERT INTO vals SELECT 'sek', sek_from_ore(((random() - 0.5) * 1.8e19)::bigint)::text FROM generate_series(1, 200);
INSERT INTO vals SELECT 'sek', sek_from_ore((random() * 1e6)::bigint - 500000)::text FROM generate_series(1, 100);
-- estimate: limits and random ordered pairs
INSERT INTO vals SELECT 'estimate', estimate(sek_from_ore(a), sek_from_ore(b))::text
FROM (VALUES (-9223372036854775807, 9223372036854775807), (9223372036854775807, 9223372036854775807),
             (-9223372036854775807, -9223372036854775807), (0, 0), (-1, 1)) v(a, b);
INSERT INTO vals SELECT 'estimate', estimate(sek_from_ore(least(a, b)), sek_from_ore(greatest(a, b)))::text
FROM (SELECT ((random() - 0.5) * 1.8e19)::bigint, ((random() - 0.5) * 1.8e19)::bigint FROM generate_series(1, 200)) s(a, b);
-- census: random stays over random periods, and the edges of the supported range
INSERT INTO vals
SELECT 'census', census(daterange(p0 + (r1 * len)::int, p0 + (r1 * len)::int + (r2 * 400)::int + 1), sek_from_ore((r3 * 1e8)::bigint),
                        daterange(p0, p0 + len))::text
FROM (SELECT g, date '0001-01-01' + (random() * 3600000)::int AS p0, 1 + (random() * 800)::int AS len
      FROM generate_series(1, 60) g) p,
     LATERAL (SELECT random() AS r1, random() AS r2, random() AS r3 FROM generate_series(1, 1 + g % 9) WHERE p.g > 0) s
GROUP BY g, p0, len;
INSERT INTO vals VALUES
  ('census', (SELECT census(daterange('0001-01-01', NULL), '1 kr', daterange('0001-01-01', '0001-03-01')))::text),
  ('census', (SELECT census(daterange('9999-12-01', NULL), sek_from_ore(922337203685477), daterange('9999-12-01', '10000-01-01')))::text),
  ('census', (SELECT census(daterange('2023-01-01', '2023-01-02'), sek_from_ore(9223372036854775807), daterange('2023-01-01', '2023-01-02')))::text);
-- survival curves: random stays seen at random dates from 4713 BC to year 200000
INSERT INTO vals
SELECT 'survival_curve', stay_survival(daterange(a, CASE WHEN r2 < 0.2 THEN NULL ELSE a + (r2 * 2000)::int END), as_of)::text
FROM (SELECT g, date '4713-01-01 BC' + (random() * 74000000)::int AS as_of FROM generate_series(1, 60) g) p,
     LATERAL (SELECT as_of - (random() * 3000)::int AS a, random() AS r2 FROM generate_series(1, 1 + g % 13) WHERE p.g > 0) s
GROUP BY g, as_of;
INSERT INTO vals VALUES
  ('survival_curve', (SELECT stay_survival(daterange('4713-01-01 BC', NULL), date '4713-12-31 BC'))::text),
  ('survival_curve', (SELECT stay_survival(daterange('10000-01-01', '12000-01-01'), date '20000-01-01'))::text),
  ('survival_curve', (SELECT stay_survival(daterange('5874890-01-01', NULL), date '5874897-12-31'))::text);
-- forecast models: fitted on random series of ordinary, tiny and huge scale, and crafted extremes
CREATE TEMP TABLE series AS
SELECT g, (date '2010-01-01' + make_interval(months => t))::date AS d, t,
       (1000 + g * 7 * t + 300 * cos(2 * pi() * t / 12 + g) + 80 * random()) AS v
FROM generate_series(1, 8) g, generate_series(0, 29 + g * 3) t;
INSERT INTO vals
SELECT 'forecast_model', forecast_fit(d, v * f, meth)::text
FROM series, unnest(ARRAY['ets', 'theta', 'damped', 'comb']) meth, unnest(ARRAY[1, -1, 1e-300, 1e140, 5e-310]) f
GROUP BY g, meth, f;
-- (crafted text in canonical form first: the property is about what output writes)
INSERT INTO vals SELECT 'forecast_model', m::forecast_model::text FROM (VALUES
  ('method=ets first=2021-01 last=2023-08 n=32 ytd_months=8 ytd=5e-324 | kind=ets model=ANN n=32 alpha=0.5 beta=0 gamma=0 phi=1 level=-2.2250738585072e-310 slope=0 drift=0 offset=-0 sigma2=1.7976931348623157e+308 aicc=-Infinity season=0,0,0,0,0,0,0,0,0,0,0,0'),
  ('method=ets first=0001-01 last=0001-12 n=12 ytd_months=12 ytd=-1.7976931348623157e+308 | kind=ets model=ANA n=12 alpha=1 beta=0 gamma=1 phi=1 level=1.7976931348623157e+308 slope=0 drift=0 offset=0 sigma2=0 aicc=Infinity season=5e-324,-5e-324,0,-0,1,1,1,1,1,1,1,1e308'),
  ('method=damped first=9990-01 last=9999-12 n=120 ytd_months=12 ytd=1 | kind=damped model=AAdM n=120 alpha=4.9e-324 beta=0 gamma=0 phi=4.9e-324 level=1 slope=1 drift=0 offset=0 sigma2=0 aicc=1 season=1,1,1,1,1,1,1,1,1,1,1,4.9e-324')) c(m);

SELECT cmp_ok((SELECT count(DISTINCT typ) FROM vals), '=', 5::bigint, 'values of all five types generated');
SELECT cmp_ok((SELECT count(*) FROM vals WHERE typ = t), '>=', 20::bigint, format('at least 20 %s values', t))
FROM unnest(ARRAY['sek', 'estimate', 'census', 'survival_curve', 'forecast_model']) t;

-- text: out -> in -> out gives the same text
CREATE FUNCTION pg_temp.text_mismatches(t text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM vals WHERE typ = %L AND (v::%s)::text IS DISTINCT FROM v', t, t) INTO n;
  RETURN n;
END $$;
SELECT is(pg_temp.text_mismatches('sek') + pg_temp.text_mismatches('estimate') + pg_temp.text_mismatches('census'),
          0::bigint, 'sek, estimate and census: out -> in -> out is the same text');
SELECT is(pg_temp.text_mismatches('survival_curve') + pg_temp.text_mismatches('forecast_model'),
          0::bigint, 'survival_curve and forecast_model (subnormal, huge, -0 doubles; BC and 10000+ dates): out -> in -> out is the same text');

-- binary: send -> recv (through a binary COPY file) gives the same bytes and text
CREATE TEMP TABLE sink_sek (i int, v sek);
CREATE TEMP TABLE sink_estimate (i int, v estimate);
CREATE TEMP TABLE sink_census (i int, v census);
CREATE TEMP TABLE sink_survival_curve (i int, v survival_curve);
CREATE TEMP TABLE sink_forecast_model (i int, v forecast_model);
CREATE FUNCTION pg_temp.binary_mismatches(t text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint; path text := current_setting('data_directory') || '/roundtrip_' || t || '.bin';
BEGIN
  EXECUTE format('COPY (SELECT row_number() OVER (ORDER BY v)::int, %s_send(v::%s) FROM vals WHERE typ = %L) TO %L (FORMAT binary)', t, t, t, path);
  EXECUTE format('COPY sink_%s FROM %L (FORMAT binary)', t, path);
  EXECUTE format($q$SELECT count(*) FROM (SELECT row_number() OVER (ORDER BY v)::int AS i, v FROM vals WHERE typ = %L) a
                   FULL JOIN sink_%s b USING (i)
                   WHERE %s_send(a.v::%s) IS DISTINCT FROM %s_send(b.v) OR a.v IS DISTINCT FROM b.v::text$q$, t, t, t, t, t) INTO n;
  RETURN n;
END $$;
SELECT is(pg_temp.binary_mismatches(t), 0::bigint, format('%s: send -> recv gives the same bytes and text', t))
FROM unnest(ARRAY['sek', 'estimate', 'census', 'survival_curve', 'forecast_model']) t;

SELECT * FROM finish();
ROLLBACK;
