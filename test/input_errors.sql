-- Malformed, hostile and out-of-range input to sek and estimate: each is a
-- clear ERROR with the right SQLSTATE, never a crash or a silent rounding.
BEGIN;
SELECT plan(242);

-- sek text that is not an amount: 22P02
SELECT throws_ok(format('SELECT %L::sek', x), '22P02', NULL, format('sek rejects %L', x))
FROM unnest(ARRAY[
  '', ' ', 'kr', '-', '+', U&'\2212', '--5', '+-5', '-+5', '5-', '1,', '1.', ',5', '.5',
  '1,2,3', '1.2.3', '1 2345', '12 34', '1 000 00', '1  000', '1_000', '1''000',
  'abc', '5 euro', '5 krr', '5 kr kr', '5 tkrx', 'tkr 5', '5e3', '0x10', 'NaN',
  'Infinity', '-Infinity', '(5)', '5%', '1/2', '- 5', '5 -', U&'\2212 5',
  U&'\FF15', U&'\0663', '1 000.000,50', ' 5 kr x', '1 mnkr 2', '5 kr.',
  U&'5\00A0\00A0000', U&'1\2013000', '1' || chr(160) || chr(160) || '000',
  '5 k r', 'mnkr', '12 357 tkr tkr', '1,5,0 kr', '٣', 'kr 5', '5 kr 5 kr'
]) AS x;

-- a point after one to three digits (not 0...) followed by exactly three
-- digits: point thousands or decimals?  22P02 with a hint, never 15,00 kr
SELECT throws_ok(format('SELECT %L::sek', x), '22P02', NULL, format('sek rejects %L as ambiguous', x))
FROM unnest(ARRAY['15.000', '1.234.567', '-2.500 tkr', '999.999', '1.000 mnkr', U&'\22124.600 kr', '+100.250']) AS x;
SELECT throws_ok(format('SELECT %L::estimate', x), '22P02', NULL, format('estimate rejects %L as ambiguous', x))
FROM unnest(ARRAY['2.500-3.000 mkr', 'ca 1.500 tkr', '2-2.500 mkr']) AS x;

-- finer than one öre after scaling: 22P02 (never rounded)
SELECT throws_ok(format('SELECT %L::sek', x), '22P02', NULL, format('sek rejects %L as too fine', x))
FROM unnest(ARRAY[
  '1,234 kr', '0,001', '0,005', '-0,009', '1,5 öre', '0,000000001 mnkr',
  '0,00000000000000000000001', '1,000000000001 mdkr', '0,123 kr', '12,345'
]) AS x;

-- beyond ±92 233 720 368 547 758,07 kr: 22003
SELECT throws_ok(format('SELECT %L::sek', x), '22003', NULL, format('sek rejects %L as out of range', x))
FROM unnest(ARRAY[
  '92 233 720 368 547 758,08', '-92 233 720 368 547 758,08', '99999999999999999999',
  '100 000 000 mdkr', '92 233 720 368 548 tkr', repeat('9', 40),
  '1' || repeat('0', 1000), '-' || repeat('9', 400) || ' kr'
]) AS x;

-- estimate text: 22P02 (including low above high) or 22003
SELECT throws_ok(format('SELECT %L::estimate', x), '22P02', NULL, format('estimate rejects %L', x))
FROM unnest(ARRAY[
  '', 'ca', 'ca ', '2-', '-', '2--', '2-3-4', '3-2 mkr', '2 mkr 3', '2-3 mkr x',
  'ca ca 2', 'ingen 5', 'ingen effekt 5', U&'2 \2014 ', '2..', '..2', '2...3',
  '2 till', 'till 2', '1,234-2 kr', '2-3 euro', U&'\2248', '~', '2 - 3 - ',
  'x-3', '-5--6 mkr', '2-3 mkr mkr', 'ingen effekt effekt'
]) AS x;
SELECT throws_ok(format('SELECT %L::estimate', x), '22003', NULL, format('estimate rejects %L as out of range', x))
FROM unnest(ARRAY['1-99999999999999999999', '100 000 000 mdkr-1', '1 kr - 100 000 000 mdkr']) AS x;

-- arithmetic: overflow 22003, division by zero 22012
SELECT throws_ok(q, code, NULL, q)
FROM (VALUES
  ($$SELECT '92 233 720 368 547 758,07'::sek + '0,01'::sek$$, '22003'),
  ($$SELECT '-92 233 720 368 547 758,07'::sek - '0,01'::sek$$, '22003'),
  ($$SELECT '50 000 000 000 000 000 kr'::sek * 2$$, '22003'),
  ($$SELECT '50 000 000 000 000 000 kr'::sek * 2::bigint$$, '22003'),
  ($$SELECT '50 000 000 000 000 000 kr'::sek * 2.0$$, '22003'),
  ($$SELECT '50 000 000 000 000 000 kr'::sek * 2.0::float8$$, '22003'),
  ($$SELECT '1 kr'::sek * 'Infinity'::float8$$, '22003'),
  ($$SELECT '1 kr'::sek * 'NaN'::numeric$$, '22003'),
  ($$SELECT '1 kr'::sek / 1e-300::float8$$, '22003'),
  ($$SELECT '1 mnkr'::sek / 0.0000000000000000000001$$, '22003'),
  ($$SELECT '1 kr'::sek / 0$$, '22012'),
  ($$SELECT '1 kr'::sek / 0::bigint$$, '22012'),
  ($$SELECT '1 kr'::sek / 0.0$$, '22012'),
  ($$SELECT '1 kr'::sek / 0::float8$$, '22012'),
  ($$SELECT '1 kr'::sek / '0'::sek$$, '22012'),
  ($$SELECT sum(x) FROM (VALUES ('92 233 720 368 547 758 kr'::sek), ('1 kr')) v(x)$$, '22003'),
  ($$SELECT sum(x) FROM (VALUES ('92 233 720 368 547 758 kr'::estimate), ('1 kr')) v(x)$$, '22003'),
  ($$SELECT 1.234::sek$$, '22003'),
  ($$SELECT 'NaN'::numeric::sek$$, '22003'),
  ($$SELECT 'Infinity'::numeric::sek$$, '22003'),
  ($$SELECT 'NaN'::float8::sek$$, '22003'),
  ($$SELECT 1e30::float8::sek$$, '22003'),
  ($$SELECT 9223372036854775807::bigint::sek$$, '22003'),
  ($$SELECT sek_from_ore(-9223372036854775807 - 1)$$, '22003'),
  ($$SELECT '2-3 mkr'::estimate * 'NaN'::float8$$, '22003'),
  ($$SELECT '92 233 720 368 547 758 kr'::estimate * 2::float8$$, '22003'),
  ($$SELECT estimate('3 kr', '2 kr')$$, '22023'),
  ($$SELECT sek_format('1 kr', 'euro')$$, '22023'),
  ($$SELECT sek_format('1 kr', 'kr', -1)$$, '22023'),
  ($$SELECT sek_format('1 kr', 'kr', 13)$$, '22023'),
  ($$SELECT sek_format('1 kr', 'kr', 0, 'far too long a separator')$$, '22023'),
  ($$SELECT sek_format('15.000', 'kr')$$, '22P02'),
  ($$SELECT sek_format('lots', 'kr')$$, '22P02'),
  ($$SELECT sek_format(1e17, 'kr')$$, '22003'),
  ($$SELECT sek_format('NaN'::numeric, 'kr')$$, '22003'),
  ($$SELECT sek_format(9223372036854775807, 'kr')$$, '22003'),
  ($$SELECT sek_format(5, 'euro')$$, '22023'),
  ($$SELECT sek_format(5::bigint, 'kr', 13)$$, '22023'),
  ($$SELECT sek_format(5.5, 'kr', -1)$$, '22023'),
  ($$SELECT round(sek_from_ore(9223372036854775807), 'mnkr')$$, '22003'),
  ($$SELECT round(sek_from_ore(-9223372036854775807), 'tkr')$$, '22003'),
  ($$SELECT round('1 kr'::sek, 'euro')$$, '22023'),
  ($$SELECT round('1 kr'::sek, '')$$, '22023'),
  ($$SELECT round('1 kr'::sek, 'auto')$$, '22023'),
  ($$SELECT estimate_format('1-2 kr', 'dollar')$$, '22023'),
  ($$SELECT count(*) OVER (ORDER BY x RANGE BETWEEN '-1 kr' PRECEDING AND CURRENT ROW) FROM (VALUES ('0'::sek)) v(x)$$, '22013')
) AS t(q, code);

-- accounts: unknown method, key or convention, bad profiles, as_of, budgets
CREATE TEMP TABLE acc_bad (d date, a sek, u text);
INSERT INTO acc_bad VALUES ('2023-03-01', '10 kr', 'x'), ('2023-04-01', '-30 kr', 'x'), ('2023-05-01', '5 kr', 'y');
CREATE TEMP TABLE acc_bud (unit text, valid_from date, amount sek);
INSERT INTO acc_bud VALUES ('x', '2023-01-01', '100 kr');
CREATE TEMP TABLE acc_led (entry_date date, unit text, amount sek);
SELECT throws_ok(q, code, NULL, 'accounts: ' || q)
FROM (VALUES
  ($$SELECT period_budget('1 kr', '2023-08-31', 'weeks')$$, '22023'),
  ($$SELECT period_budget('1 kr', '2023-08-31', '')$$, '22023'),
  ($$SELECT period_budget('1 kr', 'infinity', 'months')$$, '22023'),
  ($$SELECT period_budget('1 kr', '-infinity', 'days')$$, '22023'),
  ($$SELECT period_budget('1 kr', '2023-08-31', '{1,2,3,4,5,6,7,8,9,10,11}'::float8[])$$, '22023'),
  ($$SELECT period_budget('1 kr', '2023-08-31', '{1,2,3,4,5,6,7,8,9,10,11,12,13}'::float8[])$$, '22023'),
  ($$SELECT period_budget('1 kr', '2023-08-31', '{{1,2,3,4,5,6},{7,8,9,10,11,12}}'::float8[])$$, '22023'),
  ($$SELECT period_budget('1 kr', '2023-08-31', '{0,0,0,0,0,0,0,0,0,0,0,0}'::float8[])$$, '22023'),
  ($$SELECT period_budget('1 kr', '2023-08-31', '{1,1,1,1,1,1,1,1,1,1,1,-0.5}'::float8[])$$, '22023'),
  ($$SELECT period_budget('1 kr', '2023-08-31', '{1,1,1,1,1,1,1,1,1,1,1,NULL}'::float8[])$$, '22023'),
  ($$SELECT period_budget('1 kr', '2023-08-31', '{1,1,1,1,1,1,1,1,1,1,1,NaN}'::float8[])$$, '22023'),
  ($$SELECT period_budget('1 kr', '2023-08-31', '{1,1,1,1,1,1,1,1,1,1,1,Infinity}'::float8[])$$, '22023'),
  ($$SELECT period_budget('1 kr', '2023-08-31', '{1e308,1e308,1,1,1,1,1,1,1,1,1,1}'::float8[])$$, '22023'),
  ($$SELECT forecast_runrate('92 233 720 368 547 758 kr', '2023-01-01')$$, '22003'),
  ($$SELECT forecast_profile('1 kr', '2023-08-31', 'quarterly')$$, '22023'),
  ($$SELECT forecast_runrate('1 kr', 'infinity')$$, '22023'),
  ($$SELECT follow_up('1 kr'::sek, '1 kr', '1 kr', '1 kr', 'sideways')$$, '22023'),
  ($$SELECT follow_up(d, a, '1 kr', '2023-08-31', 'median') FROM acc_bad$$, '22023'),
  ($$SELECT follow_up(d, a, '1 kr', '2023-08-31', 'runrate', 'weeks') FROM acc_bad$$, '22023'),
  ($$SELECT follow_up(d, a, '1 kr', '2023-08-31', 'profile', '{1,2}'::float8[]) FROM acc_bad$$, '22023'),
  ($$SELECT follow_up(d, a, '1 kr', '2023-08-31', 'runrate', 'months', 'income') FROM acc_bad$$, '22023'),
  ($$SELECT follow_up(d, a, '1 kr', NULL) FROM acc_bad$$, '22004'),
  ($$SELECT follow_up(d, a, '1 kr', '2023-08-31', NULL) FROM acc_bad$$, '22004'),
  ($$SELECT follow_up(d, a, '1 kr', '2023-08-31', 'runrate', NULL::text) FROM acc_bad$$, '22004'),
  ($$SELECT follow_up(d, a, '1 kr', 'infinity') FROM acc_bad$$, '22023'),
  ($$SELECT follow_up(d, a, a, '2023-08-31') FROM acc_bad$$, '22023'),
  ($$SELECT follow_up(d, a, '1 kr', d) FROM acc_bad$$, '22023'),
  ($$SELECT follow_up(d, a, '1 kr', '2023-08-31', CASE WHEN u = 'x' THEN 'runrate' ELSE 'profile' END) FROM acc_bad$$, '22023'),
  ($$SELECT follow_up(d, '92 233 720 368 547 758 kr', '1 kr', '2023-08-31') FROM acc_bad$$, '22003'),
  ($$SELECT month_profile(d, a) FROM acc_bad$$, '22023'),
  ($$SELECT month_profile(d, '0 kr') FROM acc_bad$$, '22023'),
  ($$SELECT month_profile('infinity', '1 kr')$$, '22023'),
  ($$SELECT month_profile(d, '92 233 720 368 547 758 kr') FROM (VALUES (DATE '2023-01-01'), ('2023-01-02')) v(d)$$, '22003'),
  ($$SELECT * FROM follow_up_report('acc_led', 'acc_bud', '2024-08-31')$$, '22023'),
  ($$SELECT * FROM follow_up_report('acc_led', 'acc_bud', NULL)$$, '22004'),
  ($$SELECT * FROM follow_up_report('acc_led', 'acc_bud', 'infinity')$$, '22008'),
  ($$SELECT * FROM follow_up_report('acc_led', 'acc_bud', '10000-08-31')$$, '22008'),
  ($$SELECT * FROM follow_up_report('acc_led', 'acc_bud', '2023-08-31', 'runrate', 'weeks')$$, '22023'),
  ($$SELECT * FROM follow_up_report('acc_led', 'acc_bud', '2023-08-31', 'runrate', 'months', 'upside')$$, '22023'),
  ($$SELECT * FROM follow_up_report('acc_led', 'acc_bud', '2023-08-31', 'guess')$$, '22023')
) AS t(q, code);

-- NULLs: strict functions give NULL, formats give NULL
SELECT is(sek_format(NULL::sek), NULL, 'sek_format(NULL) is NULL');
SELECT is(sek_format(NULL::numeric), NULL, 'sek_format(NULL::numeric) is NULL');
SELECT is(round(NULL::sek, 'tkr'), NULL, 'round(NULL::sek, unit) is NULL');
-- the hints name what to write instead
CREATE FUNCTION pg_temp.hint_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE h text;
BEGIN
  EXECUTE q;
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
  RETURN h;
END $$;
SELECT matches(pg_temp.hint_of($$SELECT '15.000'::sek$$), '''15 000 kr''.*''15\.0''',
               'the hint of ''15.000'': ''15 000 kr'' for thousands, ''15.0'' for fifteen');
SELECT matches(pg_temp.hint_of($$SELECT round('1 kr'::sek, 'euro')$$), '''tkr''.*''mnkr''',
               'the hint of an unknown unit of round lists the units');
SELECT is(estimate_format(NULL::estimate), NULL, 'estimate_format(NULL) is NULL');
SELECT is(NULL::sek + '1 kr'::sek, NULL, 'NULL + sek is NULL');
SELECT is(low(NULL::estimate), NULL, 'low(NULL) is NULL');

-- forecasts: unknown or changing methods, too short, too long or
-- unfittable series, bad values and periods, absurd horizons
CREATE TEMP TABLE fc_short AS
SELECT (date '2020-01-01' + make_interval(months => t))::date AS d, 100 + t + 10 * (t % 3) AS v
FROM generate_series(0, 9) AS t;
SELECT throws_ok(q, code, NULL, 'forecasts: ' || q)
FROM (VALUES
  ($$SELECT forecast_fit(d, v, 'arima') FROM fc_short$$, '22023'),
  ($$SELECT forecast_fit(d, v, '') FROM fc_short$$, '22023'),
  ($$SELECT forecast_fit(d, v, 'ets(A,A)') FROM fc_short$$, '22023'),
  ($$SELECT forecast_fit(d, v, 'ets(X,N,N)') FROM fc_short$$, '22023'),
  ($$SELECT forecast_fit(d, v, 'ets(A,N,N)x') FROM fc_short$$, '22023'),
  ($$SELECT forecast_fit(d, v, repeat('ets', 100)) FROM fc_short$$, '22023'),
  ($$SELECT forecast_fit(d, v, NULL) FROM fc_short$$, '22004'),
  ($$SELECT forecast_fit(d, v::sek, 'arima') FROM fc_short$$, '22023'),
  ($$SELECT forecast_fit(d, v::sek, NULL) FROM fc_short$$, '22004'),
  ($$SELECT forecast_fit(d, v::sek, CASE WHEN v > 105 THEN 'ets' ELSE 'theta' END) FROM fc_short$$, '22023'),
  ($$SELECT ets_fit(d, v::sek) FROM fc_short WHERE v < 110$$, '22023'),
  ($$SELECT ets_fit(d, x) FROM (VALUES ('2020-01-01'::date, '1 kr'::sek), ('2121-01-01', '2 kr')) x(d, x)$$, '54000'),
  ($$SELECT ets_fit('infinity', v::sek) FROM fc_short$$, '22023'),
  ($$SELECT its_effect(d, v::sek, NULL) FROM fc_short$$, '22004'),
  ($$SELECT its_effect(d, v::sek, '2020-03-01') FROM fc_short$$, '22023'),
  ($$SELECT forecast_fit(d, v, CASE WHEN v > 105 THEN 'ets' ELSE 'theta' END) FROM fc_short$$, '22023'),
  ($$SELECT ets_fit(d, v) FROM fc_short WHERE v < 110$$, '22023'),
  ($$SELECT ets_fit(d, v) FROM (VALUES ('2020-01-01'::date, 1::float8), ('2121-01-01', 2)) x(d, v)$$, '54000'),
  ($$SELECT ets_fit(d, 'NaN') FROM fc_short$$, '22023'),
  ($$SELECT ets_fit(d, 'Infinity') FROM fc_short$$, '22023'),
  ($$SELECT ets_fit('infinity', v) FROM fc_short$$, '22023'),
  ($$SELECT ets_fit('0044-03-15 BC', v) FROM fc_short$$, '22023'),
  ($$SELECT forecast_fit(d, v, 'ets(A,N,A)') FROM fc_short$$, '22023'),
  ($$SELECT forecast_fit(d, v - 200, 'ets(M,N,N)') FROM fc_short$$, '22023'),
  ($$SELECT f.* FROM (SELECT ets_fit(d, v) m FROM fc_short) s, forecast(m, 0) f$$, '22023'),
  ($$SELECT f.* FROM (SELECT ets_fit(d, v) m FROM fc_short) s, forecast(m, 601) f$$, '22023'),
  ($$SELECT f.* FROM (SELECT ets_fit(d, v) m FROM fc_short) s, forecast(m, -1) f$$, '22023'),
  ($$SELECT 'method=ets'::forecast_model$$, '22P02'),
  ($$SELECT ''::forecast_model$$, '22P02'),
  ($$SELECT 'method=ets first=2021-01 last=2020-01 n=1 ytd_months=1 ytd=0 | kind=ets model=ANN n=1 alpha=0.5 beta=0 gamma=0 phi=1 level=1 slope=0 drift=0 offset=0 sigma2=1 aicc=0 season=0,0,0,0,0,0,0,0,0,0,0,0'::forecast_model$$, '22P02'),
  ($$SELECT 'method=ets first=2021-01 last=2021-01 n=1 ytd_months=1 ytd=0 | kind=ets model=ANN n=1 alpha=0.5 beta=0 gamma=0 phi=1 level=1 slope=0 drift=0 offset=0 sigma2=1 aicc=0 season=0,0,0,0,0,0,0,0,0,0,0'::forecast_model$$, '22P02'),
  ($$SELECT 'method=ets first=2021-01 last=2021-01 n=1 ytd_months=1 ytd=0 | kind=ets model=ANN n=1 alpha=0.5 beta=0 gamma=0 phi=1 level=1e999 slope=0 drift=0 offset=0 sigma2=1 aicc=0 season=0,0,0,0,0,0,0,0,0,0,0,0'::forecast_model$$, '22P02'),
  ($$SELECT 'method=ets first=2021-01 last=2021-01 n=1 ytd_months=1 ytd=0 | kind=ets model=MNN n=1 alpha=0.5 beta=0 gamma=0 phi=1 level=1 slope=0 drift=0 offset=0 sigma2=1000 aicc=0 season=0,0,0,0,0,0,0,0,0,0,0,0'::forecast_model$$, '22P02'),
  ($$SELECT 'method=ets first=2021-01 last=2021-01 n=99999999999 ytd_months=1 ytd=0 | kind=ets model=ANN n=1 alpha=0.5 beta=0 gamma=0 phi=1 level=1 slope=0 drift=0 offset=0 sigma2=1 aicc=0 season=0,0,0,0,0,0,0,0,0,0,0,0'::forecast_model$$, '22P02')
) AS t(q, code);

SELECT * FROM finish();
ROLLBACK;
