-- Data set for the robustness runs (test/robustness/sqlsmith.sh, valgrind.sh):
-- the extension, tables with sek/estimate columns holding NULLs, zero, ±1 öre,
-- placements, monthly series and fitted forecast models with edge values,
-- the extremes ±9223372036854775807 öre, NaN/infinite factors; and the
-- shadow catalog smith.pg_proc for sqlsmith's focused phase.
-- Run as superuser in an empty database: psql -v ON_ERROR_STOP=1 -f setup.sql
CREATE EXTENSION actionplan;
-- amounts in öre: NULL, zero, ±1 öre, halves, ordinary sums, extremes
CREATE TABLE ore_values (ore bigint);
INSERT INTO ore_values VALUES (NULL), (0), (1), (-1), (50), (-50), (99), (100),
  (-100), (123456789), (-1500000000), (8150000000), (4611686018427387904),
  (-4611686018427387904), (9223372036854775806), (9223372036854775807),
  (-9223372036854775807);
CREATE TABLE amounts (id serial PRIMARY KEY, amount sek, budget sek,
  factor float8, ratio numeric, n integer, big bigint, note text);
INSERT INTO amounts (amount, budget, factor, ratio, n, big, note)
SELECT sek_from_ore(a_ore), sek_from_ore(b_ore),
       (ARRAY[0.5, -1, 0, 1e300, 'NaN', '-Infinity', 1e-300, NULL]::float8[])[1 + r % 8],
       (ARRAY[0.01, -2.5, 0, 1e20, 0.005, NULL]::numeric[])[1 + r % 6],
       (ARRAY[0, 1, -1, 2147483647, -2147483648, NULL]::integer[])[1 + r % 6],
       (ARRAY[0, -1, 9223372036854775807, -9223372036854775808, NULL]::bigint[])[1 + r % 5],
       (ARRAY['12 345,67 kr', '-15 000 tkr', '1,234 kr', 'ca 2-3 mkr', '', NULL])[1 + r % 6]
FROM (SELECT a.ore, b.ore, row_number() OVER ()
      FROM ore_values a CROSS JOIN ore_values b) s(a_ore, b_ore, r);
CREATE INDEX ON amounts (amount);
CREATE INDEX ON amounts USING hash (budget);
CREATE TABLE effects (id serial PRIMARY KEY, effect estimate, outcome sek, label text);
INSERT INTO effects (effect, outcome, label)
SELECT CASE WHEN a.ore IS NOT NULL AND b.ore IS NOT NULL
            THEN estimate(sek_from_ore(least(a.ore, b.ore)), sek_from_ore(greatest(a.ore, b.ore))) END,
       sek_from_ore(b.ore), 'ca ' || coalesce(a.ore::text, '') || ' kr'
FROM ore_values a CROSS JOIN ore_values b;
INSERT INTO effects (effect, label) VALUES ('ca 2-3 mkr', 'text'), ('ingen effekt', 'zero'),
  ('500 tkr - 1 mkr', 'mixed'), ('-15 000 tkr', 'neg');
CREATE INDEX ON effects (effect);
CREATE INDEX ON effects USING hash (effect);
CREATE TABLE ledger (amount sek, effect estimate, month date) PARTITION BY HASH (amount);
CREATE TABLE ledger_0 PARTITION OF ledger FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE ledger_1 PARTITION OF ledger FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO ledger SELECT amount, effect, date '2025-01-01' + (e.id % 12) * interval '1 month'
FROM amounts a JOIN effects e USING (id) WHERE amount IS NOT NULL;
CREATE VIEW plan_summary AS
SELECT month, sum(amount) AS total, avg(amount) AS mean, min(amount), max(amount),
       sum(effect) AS effects
FROM ledger GROUP BY month;
-- ledger entries for the accounts functions: ordinary, edge and infinite
-- dates, extreme amounts, budgets and 12-month profiles (some invalid)
CREATE TABLE entries (entry_date date, unit text, amount sek, budget sek, as_of date,
  key text, method text, profile float8[]);
INSERT INTO entries
SELECT (ARRAY[date '2023-01-01', '2023-08-31', '2023-12-31', '2024-02-29', 'infinity',
              '-infinity', '4713-01-01 BC', '5874897-12-31', NULL]::date[])[1 + r % 9],
       'unit ' || r % 3, a.amount, a.budget,
       (ARRAY[date '2023-08-31', '2023-01-01', '2024-02-29', 'infinity', NULL]::date[])[1 + r % 5],
       (ARRAY['months', 'days', 'weeks', '', NULL])[1 + r % 5],
       (ARRAY['runrate', 'profile', 'median', NULL])[1 + r % 4],
       CASE r % 6 WHEN 0 THEN '{1,1,1,1,1,1,1,1,1,1,1,1}'::float8[] WHEN 1 THEN '{0,0,0,0,0,0,0,0,0,0,0,0}'
                  WHEN 2 THEN '{1,2,3}' WHEN 3 THEN '{1,1,1,1,1,1,1,1,1,1,1,NaN}'
                  WHEN 4 THEN '{1e308,1e308,1,1,1,1,1,1,1,1,1,1}' END
FROM (SELECT amount, budget, row_number() OVER () AS r FROM amounts) a;
CREATE TABLE budget_rows (unit text, valid_from date, amount sek);
INSERT INTO budget_rows SELECT unit, coalesce(entry_date, '2023-01-01'), budget FROM entries;
-- placements for census, survival, placement_forecast and the effects:
-- ordinary stays of three categories, open stays, empty ranges, infinite and
-- extreme bounds, NULLs and extreme daily costs
CREATE TABLE stays (stay daterange, daily_cost sek, category text, treated boolean,
  as_of date, places integer);
INSERT INTO stays
SELECT daterange(d, d + (1 + (i * 7919) % 400)), ((1500 + i % 2500)::text || ' kr')::sek,
       (ARRAY['barn', 'unga', 'vuxna'])[1 + i % 3], i % 4 = 0, date '2024-06-30', 1 + i % 30
FROM generate_series(1, 600) i, LATERAL (SELECT date '2019-01-01' + (i * 37) % 2000 AS d) s;
INSERT INTO stays
SELECT daterange(date '2024-01-01' + i * 10, NULL), '3 000 kr', 'unga', i % 2 = 0, date '2024-06-30', 10
FROM generate_series(1, 30) i;
INSERT INTO stays VALUES
  ('empty', '1 kr', 'barn', true, '2024-06-30', 1),
  ('[2020-01-01,infinity)', '2 000 kr', 'vuxna', false, 'infinity', 0),
  ('(-infinity,2020-01-01)', '2 000 kr', 'vuxna', true, '-infinity', -1),
  ('[4713-01-01 BC,5874897-12-31)', '92233720368547758.07', 'barn', NULL, '5874897-12-31', 2147483647),
  ('[2023-01-01,2023-01-02)', '-92233720368547758.07', NULL, false, NULL, NULL),
  (NULL, NULL, NULL, NULL, NULL, NULL),
  ('[2024-02-29,2024-03-01)', '0', 'unga', true, '2024-02-29', 1);
-- monthly series for the forecasts and its_effect: three seasonal series of
-- 60 months, and rows with NaN, infinities, huge values and extreme dates
CREATE TABLE series (key integer, period date, value float8, method text, intervention date, horizon integer);
INSERT INTO series
SELECT k, (date '2019-01-01' + make_interval(months => t))::date,
       1000 * k + 10 * t + 200 * sin(t * pi() / 6) + (hashint4(t * k) % 50),
       (ARRAY['ets', 'theta', 'damped', 'comb', 'ets(M,Ad,M)', 'ets(A,N,N)'])[1 + (t + k) % 6],
       date '2022-07-01', (ARRAY[1, 12, 18, 0, -1, 1200])[1 + t % 6]
FROM generate_series(1, 3) k, generate_series(0, 59) t;
INSERT INTO series VALUES
  (4, '2020-01-01', 'NaN', 'ets', '2020-01-01', 12), (4, '2020-02-01', 'Infinity', 'theta', NULL, NULL),
  (4, '2020-03-01', -1e308, 'comb', 'infinity', 2147483647), (4, 'infinity', 1, 'damped', '-infinity', 1),
  (4, '4713-01-01 BC', 0, 'ets', '5874897-12-31', 1), (4, NULL, NULL, NULL, NULL, NULL),
  (5, '2021-01-01', 0, 'ets', '2021-06-01', 6), (5, '2021-02-01', 0, 'nonsense', '2021-06-01', 6);
-- fitted models of each method, for forecast, year_end and the text/binary I/O
CREATE TABLE models (key integer, model forecast_model);
INSERT INTO models
SELECT key, forecast_fit(period, value, m)
FROM series, unnest(ARRAY['ets', 'theta', 'damped', 'comb']) m
WHERE key <= 3 GROUP BY key, m;
-- keep the data: UPDATE/DELETE rows are computed, then skipped
CREATE FUNCTION keep_rows() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END';
CREATE TRIGGER keep BEFORE UPDATE OR DELETE ON ore_values FOR EACH ROW EXECUTE FUNCTION keep_rows();
CREATE TRIGGER keep BEFORE UPDATE OR DELETE ON amounts FOR EACH ROW EXECUTE FUNCTION keep_rows();
CREATE TRIGGER keep BEFORE UPDATE OR DELETE ON effects FOR EACH ROW EXECUTE FUNCTION keep_rows();
CREATE TRIGGER keep BEFORE UPDATE OR DELETE ON ledger FOR EACH ROW EXECUTE FUNCTION keep_rows();
CREATE TRIGGER keep BEFORE UPDATE OR DELETE ON entries FOR EACH ROW EXECUTE FUNCTION keep_rows();
CREATE TRIGGER keep BEFORE UPDATE OR DELETE ON budget_rows FOR EACH ROW EXECUTE FUNCTION keep_rows();
CREATE TRIGGER keep BEFORE UPDATE OR DELETE ON stays FOR EACH ROW EXECUTE FUNCTION keep_rows();
CREATE TRIGGER keep BEFORE UPDATE OR DELETE ON series FOR EACH ROW EXECUTE FUNCTION keep_rows();
CREATE TRIGGER keep BEFORE UPDATE OR DELETE ON models FOR EACH ROW EXECUTE FUNCTION keep_rows();
-- the focused phase's pg_proc: the extension's routines and a few numeric built-ins
-- (a materialized view: information_schema.tables does not list it, so
-- sqlsmith does not pick it as a table to query)
CREATE SCHEMA smith;
CREATE MATERIALIZED VIEW smith.pg_proc AS
SELECT * FROM pg_catalog.pg_proc p
WHERE oid IN (SELECT objid FROM pg_depend WHERE classid = 'pg_proc'::regclass AND deptype = 'e'
              AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'actionplan'))
   OR (pronamespace = 'pg_catalog'::regnamespace AND NOT proretset
       AND proname IN ('abs', 'round', 'trunc', 'ceil', 'floor', 'sign', 'mod', 'div',
                       'power', 'numeric', 'float8', 'int4', 'int8', 'text', 'length',
                       'sum', 'avg', 'min', 'max', 'count', 'coalesce', 'greatest', 'least')
       AND prorettype IN ('int4'::regtype, 'int8'::regtype, 'numeric'::regtype,
                          'float8'::regtype, 'text'::regtype, 'bool'::regtype)
       AND proargtypes::oid[] <@ ARRAY['int4'::regtype, 'int8'::regtype, 'numeric'::regtype,
                                      'float8'::regtype, 'text'::regtype]::oid[]);
ANALYZE;
