-- The office's own year-end forecast: record_office_forecast (history and the
-- day's correction, row-level security with two roles, every bad input with
-- its SQLSTATE), refresh_forecasts leaving office rows alone, forecast_change
-- on hand-checked figures, and forecast_contest over a generated history in
-- which the office is, by construction, closer in some months and further
-- off in others.
\set QUIET on
SET client_min_messages = warning;
BEGIN;
SELECT plan(52);

-- A ledger of two units 2016–2023, one entry a month each: a season, a trend
-- and a deterministic wobble the models cannot know.
CREATE TABLE ofc_gl (day date, unit text, amt sek);
INSERT INTO ofc_gl
SELECT m::date, u,
       ((round(1000000 * (CASE u WHEN 'a' THEN 1 ELSE 3 END) * (1 + 0.004 * i + 0.15 * sin(i * pi() / 6)
               + 0.08 * ((i * 7919 + length(u) * 104729) % 1009 - 504) / 504.0)))::text || ' kr')::sek
FROM generate_series(DATE '2016-01-01', DATE '2023-12-01', interval '1 month') WITH ORDINALITY g(m, i),
     unnest(ARRAY['a', 'b']) u;

CREATE ROLE ap_ofc_owner;        -- owns and registers the ledger
CREATE ROLE ap_ofc_ctrl;         -- a controller who may read it
CREATE ROLE ap_ofc_other;        -- a role who may not
ALTER TABLE ofc_gl OWNER TO ap_ofc_owner;
GRANT SELECT ON ofc_gl TO ap_ofc_ctrl;
GRANT INSERT, UPDATE ON forecast_ledger TO ap_ofc_owner;
GRANT INSERT, UPDATE, DELETE ON forecast_snapshot TO ap_ofc_owner, ap_ofc_ctrl, ap_ofc_other;
SET ROLE ap_ofc_owner;
SELECT register_ledger('ofc_gl', 'day', 'amt', '{unit}');
SELECT register_ledger('ofc_gl', 'day', 'amt', '{}');
RESET ROLE;
-- the nightly forecasts at every month end of 2021 and 2022
DO $$
DECLARE
  d date;
BEGIN
  FOR d IN SELECT m::date - 1 FROM generate_series(DATE '2021-02-01', DATE '2023-01-01', interval '1 month') m LOOP
    CALL refresh_forecasts(d);
  END LOOP;
END
$$;
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE method = 'comb' AND forecast IS NOT NULL), 72::bigint,
          'fixture: a comb forecast of each of the three keys at each of the 24 month ends');

-- ---------- recording ----------
SET ROLE ap_ofc_ctrl;
SELECT is(record_office_forecast('ofc_gl', '{"unit": "a"}', '2022-08-31', '13,1 mnkr', 'Två nya placeringar'), 'recorded',
          'a controller who may read the ledger records a forecast');
RESET ROLE;
SELECT is((SELECT (method, forecast, recorded_by, comment, taken_on, outcome)::text FROM forecast_snapshot
           WHERE ledger = 'ofc_gl'::regclass AND method = 'office'),
          (SELECT ('office', '13,1 mnkr'::sek, 'ap_ofc_ctrl'::name, 'Två nya placeringar', current_date, s.outcome)::text
           FROM forecast_snapshot s WHERE s.key = '{"unit": "a"}' AND s.method = 'comb' AND s.as_of = '2022-08-31'),
          'stored as method office with who, when, comment and the year''s outcome so far of the comb snapshot');
SELECT is((SELECT outcome FROM forecast_snapshot WHERE method = 'office'),
          (SELECT sum(amt) FROM ofc_gl WHERE unit = 'a' AND day BETWEEN '2022-01-01' AND '2022-08-31'),
          'that outcome is the ledger''s year so far');
SET ROLE ap_ofc_ctrl;
SELECT is(record_office_forecast('ofc_gl', '{"unit": "a"}', '2022-08-31', '13,3 mnkr', 'Rättad'), 'replaced',
          'recording again the same day replaces the day''s forecast');
SELECT is((SELECT array_agg(forecast::text || ' ' || comment) FROM forecast_snapshot WHERE method = 'office'),
          ARRAY['13300000.00 Rättad'], 'one row, with the new amount and comment');
RESET ROLE;
-- the row becomes yesterday's: history
UPDATE forecast_snapshot SET taken_on = current_date - 1, taken_at = now() - interval '1 day' WHERE method = 'office';
SET ROLE ap_ofc_ctrl;
SELECT is(record_office_forecast('ofc_gl', '{"unit": "a"}', '2022-08-31', '13,6 mnkr'), 'recorded',
          'recording on a later day adds a row');
SELECT is((SELECT array_agg(forecast::text ORDER BY taken_at) FROM forecast_snapshot WHERE method = 'office'),
          ARRAY['13300000.00', '13600000.00'], 'and keeps the earlier one as history');
SELECT is((SELECT forecast FROM forecast_latest WHERE method = 'office'), 13600000.00::numeric,
          'forecast_latest shows the newest');
SELECT is((SELECT forecast FROM forecast_change('ofc_gl', '2022-08-31', 'office')), 13600000.00::numeric,
          'forecast_change takes the newest');
-- history is not rewritten, not even by the one who wrote it
UPDATE forecast_snapshot SET forecast = '1 kr' WHERE method = 'office' AND taken_on < current_date;
DELETE FROM forecast_snapshot WHERE method = 'office';
RESET ROLE;
SELECT is((SELECT array_agg(forecast::text ORDER BY taken_at) FROM forecast_snapshot WHERE method = 'office'),
          ARRAY['13300000.00', '13600000.00'],
          'an UPDATE of an earlier day''s office row and a DELETE of office rows change nothing (row-level security)');
SET ROLE ap_ofc_ctrl;
SELECT throws_ok($$INSERT INTO forecast_snapshot (taken_on, ledger, as_of, key, method, forecast, recorded_by)
                   VALUES (current_date, 'ofc_gl', '2022-09-30', '{"unit": "a"}', 'office', '9 mnkr', 'ap_ofc_owner')$$,
                 '42501', NULL, 'a direct INSERT of an office row in another role''s name is refused');
SELECT throws_ok($$INSERT INTO forecast_snapshot (taken_at, taken_on, ledger, as_of, key, method, forecast, recorded_by)
                   VALUES (now() - interval '40 days', current_date, 'ofc_gl', '2022-09-30', '{"unit": "a"}', 'office', '9 mnkr', 'ap_ofc_ctrl')$$,
                 '42501', NULL, 'so is a backdated one');
SELECT throws_ok($$INSERT INTO forecast_snapshot (taken_on, ledger, as_of, key, method, forecast)
                   VALUES (current_date, 'ofc_gl', '2022-09-30', '{"unit": "a"}', 'comb', '9 mnkr')$$,
                 '42501', NULL, 'and a model row by a role that did not register the ledger');
RESET ROLE;
SELECT throws_ok($$INSERT INTO forecast_snapshot (taken_on, ledger, as_of, key, method, forecast, recorded_by)
                   VALUES (current_date, 'ofc_gl', '2022-09-30', '{"unit": "a"}', 'comb', '9 mnkr', 'postgres')$$,
                 '23514', NULL, 'only office rows name a recorder');

-- ---------- the refresh leaves office rows alone ----------
SET ROLE ap_ofc_owner;
SELECT record_office_forecast('ofc_gl', '{}', '2022-08-31', '52 mnkr', 'Helheten') \g /dev/null
RESET ROLE;
CREATE TEMP TABLE office_before AS SELECT * FROM forecast_snapshot WHERE method = 'office';
CALL refresh_forecasts('2022-08-31');
SET ROLE ap_ofc_owner;
CALL refresh_forecasts('2022-08-31');
RESET ROLE;
SELECT set_eq('SELECT * FROM forecast_snapshot WHERE method = ''office''', 'SELECT * FROM office_before',
              'refresh_forecasts again for the same as_of, as superuser and as the registrant: the office rows are untouched');
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE as_of = '2022-08-31' AND method <> 'office'), 12::bigint,
          'and the models'' rows of that as_of are there once');

-- ---------- row-level security: a role that may not read the ledger ----------
SET ROLE ap_ofc_other;
SELECT throws_ok($$SELECT record_office_forecast('ofc_gl', '{"unit": "a"}', '2022-09-30', '13 mnkr')$$,
                 '42501', NULL, 'a role that may not read the ledger cannot record a forecast of it');
SELECT throws_ok($$INSERT INTO forecast_snapshot (taken_on, ledger, as_of, key, method, forecast, recorded_by)
                   VALUES (current_date, 'ofc_gl', '2022-09-30', '{"unit": "a"}', 'office', '9 mnkr', 'ap_ofc_other')$$,
                 '42501', NULL, 'nor insert one directly');
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE method = 'office'), 0::bigint, 'nor see the office''s forecasts');
SELECT throws_ok($$SELECT * FROM forecast_change('ofc_gl', '2022-08-31', 'office')$$, '42501', NULL,
                 'forecast_change of a ledger it may not read: 42501');
SELECT throws_ok($$SELECT * FROM forecast_contest('ofc_gl', 2021, 2022)$$, '42501', NULL,
                 'forecast_contest likewise');
SELECT is((SELECT count(*) FROM forecast_accuracy() WHERE method = 'office'), 0::bigint,
          'forecast_accuracy shows it none');
RESET ROLE;
SET ROLE ap_ofc_ctrl;
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE method = 'office'), 3::bigint,
          'the controller who may read it sees all three office rows');
RESET ROLE;
REVOKE SELECT ON ofc_gl FROM ap_ofc_ctrl;
SET ROLE ap_ofc_ctrl;
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE method = 'office'), 0::bigint,
          'and none once its SELECT on the ledger is revoked');
RESET ROLE;
GRANT SELECT ON ofc_gl TO ap_ofc_ctrl;

-- ---------- bad input ----------
SET ROLE ap_ofc_ctrl;
SELECT throws_ok($$SELECT record_office_forecast(NULL, '{"unit": "a"}', '2022-09-30', '13 mnkr')$$, '22004', NULL, 'a NULL ledger is 22004');
RESET ROLE;
CREATE TABLE ofc_unregistered (day date, unit text, amt sek);
GRANT SELECT ON ofc_unregistered TO ap_ofc_ctrl;
SET ROLE ap_ofc_ctrl;
SELECT throws_ok($$SELECT record_office_forecast('ofc_unregistered', '{"unit": "a"}', '2022-09-30', '13 mnkr')$$, '42704',
                 'public.ofc_unregistered is not a registered ledger', 'a ledger not registered is 42704');
SELECT throws_ok($$SELECT record_office_forecast('ofc_gl', NULL, '2022-09-30', '13 mnkr')$$, '22023', NULL, 'a NULL key is 22023');
SELECT throws_ok($$SELECT record_office_forecast('ofc_gl', '["a"]', '2022-09-30', '13 mnkr')$$, '22023', NULL, 'a key that is not an object is 22023');
SELECT throws_ok($$SELECT record_office_forecast('ofc_gl', '{"unit": "a", "acct": 4010}', '2022-09-30', '13 mnkr')$$, '22023',
                 'key {"acct": 4010, "unit": "a"} does not have the key columns of any registration of public.ofc_gl',
                 'a key of other columns than a registration''s is 22023');
SELECT throws_ok($$SELECT record_office_forecast('ofc_gl', '{"unit": "a"}', NULL, '13 mnkr')$$, '22004', 'as_of needs a date, not NULL', 'a NULL as_of is 22004');
SELECT throws_ok($$SELECT record_office_forecast('ofc_gl', '{"unit": "a"}', 'infinity', '13 mnkr')$$, '22008', NULL, 'an infinite as_of is 22008');
SELECT throws_ok($$SELECT record_office_forecast('ofc_gl', '{"unit": "a"}', '10000-01-31', '13 mnkr')$$, '22008',
                 'as_of must be a finite date between 0001-01-01 and 9999-12-31, not 10000-01-31', 'an as_of after the year 9999 is 22008');
SELECT throws_ok($$SELECT record_office_forecast('ofc_gl', '{"unit": "a"}', '2022-09-30', NULL)$$, '22004', NULL, 'a NULL forecast is 22004');
SELECT throws_ok($$SELECT record_office_forecast('ofc_gl', '{"unit": "a"}', '2022-09-30', '1 000 000 mnkr')$$, '22003', NULL,
                 'a forecast of 1 000 000 mnkr is 22003');
SELECT throws_ok($$SELECT record_office_forecast('ofc_gl', '{"unit": "a"}', '2022-09-30', '13 000 mnkr')$$, '22003', NULL,
                 'one a thousand times the models'' (tkr read as kr) is 22003');
SELECT throws_ok($$SELECT record_office_forecast('ofc_gl', '{"unit": "a"}', '2022-09-30', '-13 mnkr')$$, '22023', NULL,
                 'one of the report''s sign (costs negative) in a ledger of costs is 22023');
SELECT throws_ok($$SELECT * FROM forecast_change('ofc_gl', '2022-08-31', 'guess')$$, '22023', NULL, 'forecast_change: an unknown method is 22023');
SELECT throws_ok($$SELECT * FROM forecast_change('ofc_gl', NULL)$$, '22004', NULL, 'forecast_change: a NULL as_of is 22004');
SELECT throws_ok($$SELECT * FROM forecast_change('ofc_gl', '-infinity')$$, '22008', NULL, 'forecast_change: an infinite as_of is 22008');
SELECT throws_ok($$SELECT * FROM forecast_contest('ofc_gl', 2021, 2022, 'office')$$, '22023', NULL,
                 'forecast_contest: the office against itself is 22023');
SELECT throws_ok($$SELECT * FROM forecast_contest('ofc_gl', 2022, 2021)$$, '22023', NULL, 'forecast_contest: year_from after year_to is 22023');
SELECT throws_ok($$SELECT * FROM forecast_contest('ofc_gl', NULL, 2021)$$, '22004', NULL, 'forecast_contest: a NULL year is 22004');
RESET ROLE;

-- ---------- forecast_change, by hand ----------
-- the office's forecasts of unit b in 2023: 12,5 mnkr on 31 July, 12,8 on
-- 15 August, 13,1 on 31 August; in January 2023 one with no month before in
-- the year
SET ROLE ap_ofc_ctrl;
SELECT record_office_forecast('ofc_gl', '{"unit": "b"}', d::date, f::sek)
FROM (VALUES ('2023-01-31', '40 mnkr'), ('2023-07-31', '42,5 mnkr'), ('2023-08-15', '42,8 mnkr'), ('2023-08-31', '43,1 mnkr')) v(d, f) \g /dev/null
SELECT is((SELECT (as_of, forecast, prev_as_of, prev_forecast, change)::text FROM forecast_change('ofc_gl', '2023-08-31', 'office')
           WHERE key = '{"unit": "b"}'),
          '(2023-08-31,43100000.00,2023-07-31,42500000.00,600000.00)', 'August''s 43,1 mnkr (July 42,5 mnkr): +0,6 mnkr');
SELECT is((SELECT (as_of, forecast, prev_as_of, prev_forecast, change)::text FROM forecast_change('ofc_gl', '2023-08-20', 'office')
           WHERE key = '{"unit": "b"}'),
          '(2023-08-15,42800000.00,2023-07-31,42500000.00,300000.00)', 'as of 20 August: the 15th''s 42,8 mnkr, +0,3 mnkr');
SELECT is((SELECT (as_of, forecast, prev_as_of, prev_forecast, change)::text FROM forecast_change('ofc_gl', '2023-01-31', 'office')
           WHERE key = '{"unit": "b"}'),
          '(2023-01-31,40000000.00,,,)', 'January: no month before in the year, no change');
RESET ROLE;
SELECT set_eq($$SELECT key, forecast, prev_forecast, change FROM forecast_change('ofc_gl', '2022-08-31')$$,
  $$SELECT a.key, a.forecast::numeric AS f, j.forecast::numeric AS p, (a.forecast - j.forecast)::numeric AS c
    FROM forecast_snapshot a JOIN forecast_snapshot j ON j.key = a.key AND j.method = 'comb' AND j.as_of = '2022-07-31'
    WHERE a.method = 'comb' AND a.as_of = '2022-08-31'$$,
  'forecast_change of comb, 31 August 2022: each key''s comb snapshot of the day and of 31 July and their difference');

-- ---------- whose forecasts were closer ----------
-- The office's forecast of each key at each month end of 2021 and 2022 is
-- the year's outcome plus k times the comb forecast's error: k = 0.5 in
-- January–June (closer than comb), 2 in July–November (further off), 1 in
-- December (a tie).  Recorded as the ledger's owner.
DELETE FROM forecast_snapshot WHERE method = 'office';
CREATE TEMP TABLE ofc_k AS SELECT m, CASE WHEN m <= 6 THEN 0.5 WHEN m <= 11 THEN 2 ELSE 1 END AS k FROM generate_series(1, 12) m;
CREATE TEMP TABLE ofc_final AS
SELECT k.key, extract(year FROM g.day)::int AS y, sum(g.amt) AS final
FROM ofc_gl g, LATERAL (VALUES (jsonb_build_object('unit', g.unit)), ('{}'::jsonb)) k(key)
GROUP BY 1, 2;
GRANT SELECT ON ofc_k, ofc_final TO ap_ofc_owner;
SET ROLE ap_ofc_owner;
SELECT count(record_office_forecast('ofc_gl', s.key, s.as_of,
             round(f.final::numeric + k.k * (s.forecast::numeric - f.final::numeric), 2)::sek))
FROM forecast_snapshot s JOIN ofc_final f ON f.key = s.key AND f.y = extract(year FROM s.as_of)
JOIN ofc_k k ON k.m = extract(month FROM s.as_of)
WHERE s.method = 'comb' \g /dev/null
RESET ROLE;
SELECT is((SELECT count(*) FROM forecast_contest('ofc_gl', 2021, 2022)), 36::bigint, 'a row per key and month before year end');
SELECT is((SELECT count(*) FROM forecast_contest('ofc_gl', 2021, 2022) c JOIN ofc_k k ON k.m = 12 - c.months_before_end
           WHERE c.closer = CASE WHEN k.k < 1 THEN 'office' WHEN k.k > 1 THEN 'comb' ELSE 'tie' END AND c.n = 2),
          36::bigint, 'the verdict of each key and month is the one built in: office in January–June, comb in July–November, a tie in December');
SELECT set_eq($$SELECT key, months_before_end, office_mae, model_mae, difference FROM forecast_contest('ofc_gl', 2021, 2022)$$,
  $$SELECT c.key, 12 - extract(month FROM c.as_of)::int AS mb, round(avg(abs(o.forecast::numeric - f.final::numeric)), 2) AS oe,
           round(avg(abs(c.forecast::numeric - f.final::numeric)), 2) AS me,
           round(avg(abs(o.forecast::numeric - f.final::numeric)), 2) - round(avg(abs(c.forecast::numeric - f.final::numeric)), 2) AS d
    FROM forecast_snapshot c JOIN forecast_snapshot o ON o.key = c.key AND o.as_of = c.as_of AND o.method = 'office'
    JOIN ofc_final f ON f.key = c.key AND f.y = extract(year FROM c.as_of)
    WHERE c.method = 'comb' GROUP BY 1, 2$$,
  'each side''s mean absolute error equals plain SQL''s over the snapshots and the ledger''s year totals');
SELECT is((SELECT count(*) FROM forecast_contest('ofc_gl', 2022, 2022) WHERE n = 1), 36::bigint, 'one year: one pair per key and month');
SELECT set_eq($$SELECT key, months_before_end, mean_abs_error FROM forecast_accuracy() WHERE ledger = 'ofc_gl'::regclass AND method = 'office'$$,
              $$SELECT key, months_before_end, office_mae FROM forecast_contest('ofc_gl', 2021, 2022)$$,
              'forecast_accuracy lists the office as a method of its own, with the same mean absolute errors');

SELECT * FROM finish();
ROLLBACK;
