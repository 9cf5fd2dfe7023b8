-- Comparison with other municipalities: unfunded_cost against Delårsrapport
-- 2 2023's reform figure ((228 − 37) kr × 159 050 = 30,4 mnkr) and hand
-- arithmetic; cost_per_inhabitant and population; load_kpi_values over the
-- Kolada-shaped CSV test/data/kolada_peers.csv (BOM, CRLF, semicolons,
-- quoted names, Swedish decimal commas, spaces between thousands, an empty
-- value, gender rows) and every bad line with its SQLSTATE, all or nothing;
-- peer_comparison against hand arithmetic and against plain SQL over
-- kpi_value; row-level security of the tables (everyone reads, a role
-- writes only the rows it loaded).
\set QUIET on
SET client_min_messages = warning;
BEGIN;
SELECT plan(63);

-- ---------- the reform (Delårsrapport 2 2023 §2.3) ----------
SELECT is(unfunded_cost(228, 37, 159050), 30378550.00,
          'the reform: (228 − 37) kr per inhabitant × 159 050 inhabitants = 30 378 550 kr');
SELECT is(sek_format(unfunded_cost(228, 37, 159050), 'mnkr'), '30,4 mnkr', '… = 30,4 mnkr a year not financed');
SELECT is(unfunded_cost(12.5, 20, 1001), round((12.5 - 20) * 1001, 2), 'funding above the cost: a negative unfunded cost');
SELECT is(unfunded_cost(NULL, 37, 159050), NULL, 'NULL in, NULL out');
SELECT throws_ok($$SELECT unfunded_cost(-228, 37, 159050)$$, '22023', NULL, 'a negative cost per inhabitant is 22023');
SELECT throws_ok($$SELECT unfunded_cost(228, -37, 159050)$$, '22023', NULL, 'a negative funding per inhabitant is 22023');
SELECT throws_ok($$SELECT unfunded_cost(228, 37, 0)$$, '22023', 'population 0 is outside 1 .. 100 000 000', 'a population of 0 is 22023');
SELECT throws_ok($$SELECT unfunded_cost(2000000, 37, 10)$$, '22023', NULL, 'a cost over 1 000 000 kr per inhabitant is 22023');

-- ---------- cost per inhabitant ----------
SELECT is(cost_per_inhabitant(30378550, 159050), 191.00, '30 378 550 kr over 159 050 inhabitants: 191 kr/inv');
SELECT is(cost_per_inhabitant(1000, 3), 333.33, 'rounded to the öre');
SELECT is(cost_per_inhabitant(-1000, 3), -333.33, 'the sign is kept');
SELECT throws_ok($$SELECT cost_per_inhabitant(1000, 0)$$, '22023', NULL, 'a population of 0 is 22023');
SELECT throws_ok($$SELECT cost_per_inhabitant(1000, -5)$$, '22023', NULL, 'a negative population is 22023');

-- ---------- loading a Kolada export ----------
INSERT INTO kpi VALUES ('N01951', 'Invånare totalt, antal', 'antal'),
  ('X_IFO', 'Kostnad individ- och familjeomsorg, kr/inv (test)', 'kr/inv'),
  ('X_PLAC', 'Placerade barn och unga per 1 000 inv 0-20 år (test)', 'antal/1000 inv'),
  ('X_ALONE', 'Ett nyckeltal bara vi har (test)', 'kr/inv');
INSERT INTO municipality SELECT 'T00' || i, 'Testkommun ' || i FROM generate_series(0, 5) i;
INSERT INTO peer_group VALUES ('TG', 'Liknande kommuner (test)', 'test');
-- the municipality itself is a member: it is left out of its own peers
INSERT INTO peer_group_member SELECT 'TG', 'T00' || i FROM generate_series(0, 4) i;

\set csv `cat test/data/kolada_peers.csv`
SELECT results_eq(format('SELECT * FROM load_kpi_values(%L, %L)', :'csv', 'Kolada 2023-05-01'),
  $$VALUES (15, 0, 1)$$, 'the test file: 15 values loaded, none replaced, one missing (an empty value)');
SELECT results_eq($$SELECT kpi, municipality, year, gender, value FROM kpi_value ORDER BY 1, 2, 3, 4$$,
  $$VALUES ('N01951', 'T000', 2021, 'T', 99000), ('N01951', 'T000', 2022, 'K', 50100), ('N01951', 'T000', 2022, 'M', 49900),
           ('N01951', 'T000', 2022, 'T', 100000),
           ('X_IFO', 'T000', 2021, 'T', 5000), ('X_IFO', 'T000', 2022, 'T', 5200), ('X_IFO', 'T001', 2021, 'T', 4700),
           ('X_IFO', 'T001', 2022, 'T', 4800), ('X_IFO', 'T002', 2021, 'T', 4900), ('X_IFO', 'T002', 2022, 'T', 5000),
           ('X_IFO', 'T003', 2022, 'T', 4500.5), ('X_IFO', 'T004', 2021, 'T', 5900), ('X_IFO', 'T004', 2022, 'T', 6100.0),
           ('X_PLAC', 'T000', 2022, 'T', 4.2), ('X_PLAC', 'T001', 2022, 'T', 3.9)$$,
  'the values as the file has them: spaces between thousands, decimal commas, an empty gender as T, the empty value left out');
SELECT is((SELECT string_agg(DISTINCT source || ' by ' || loaded_by, ', ') FROM kpi_value), 'Kolada 2023-05-01 by ' || current_user,
          'each row has its source and the loading role');

SELECT is(population('T000', 2022), 100000::numeric, 'population: N01951 of the year, the total (not the K or M row)');
SELECT is(cost_per_inhabitant(1234567, 'T000', 2021), round(1234567 / 99000.0, 2), 'cost per inhabitant of a municipality''s year');
SELECT is(unfunded_cost(228, 37, 'T000', 2022), 19100000.00, 'unfunded_cost with the municipality''s population: 191 × 100 000');
SELECT throws_ok($$SELECT population('T999', 2022)$$, '42704', 'unknown municipality ''T999''', 'an unknown municipality is 42704');
SELECT throws_ok($$SELECT population('T001', 2022)$$, 'P0002', 'no population (N01951) of municipality T001 in 2022',
                 'no population that year is P0002');
SELECT throws_ok($$SELECT cost_per_inhabitant(1, 'T000', 2020)$$, 'P0002', NULL, '… also through cost_per_inhabitant');

-- ---------- peer_comparison ----------
-- 2022: peers 4 800, 5 000, 4 500,5, 6 100: mean 20 400,5 / 4 = 5 100,125,
-- median (4 800 + 5 000) / 2 = 4 900; 5 200 is above three of them: rank 4;
-- in kronor (5 200 − 5 100,125) × 100 000 = 9 987 500 and 300 × 100 000.
-- 2021: T003 has no value: peers 4 700, 4 900, 5 900, mean 15 500 / 3,
-- median 4 900, 5 000 above two: rank 3; (5 000 − 15 500/3) × 99 000 =
-- −16 500 000, 100 × 99 000.
SELECT results_eq(
  $$SELECT kpi, year, value, peers, peer_mean, peer_median, peer_min, peer_max, gap_mean, gap_median, population,
           gap_mean_kr, gap_median_kr, rank, note
    FROM peer_comparison('T000', 'TG', 2021, 2022, '{X_IFO}')$$,
  $$VALUES ('X_IFO', 2021, 5000::numeric, 3, 5166.67, 4900.00, 4700::numeric, 5900::numeric, -166.67, 100.00, 99000::numeric,
            -16500000.00, 9900000.00, 3, NULL::text),
           ('X_IFO', 2022, 5200, 4, 5100.13, 4900.00, 4500.5, 6100.0, 99.88, 300.00, 100000, 9987500.00, 30000000.00, 4, NULL)$$,
  'X_IFO 2021–2022 against hand arithmetic: mean, median, range, gaps per inhabitant and in kronor, rank');
SELECT results_eq(
  $$SELECT kpi, year, value, peers, peer_mean, peer_median, gap_mean_kr, gap_median_kr, rank
    FROM peer_comparison('T000', 'TG', 2020, 2023) WHERE kpi = 'X_IFO'$$,
  $$WITH own AS (SELECT kpi, year, value FROM kpi_value WHERE municipality = 'T000' AND gender = 'T' AND kpi = 'X_IFO'),
         peer AS (SELECT v.kpi, v.year, v.value FROM kpi_value v JOIN peer_group_member m USING (municipality)
                  WHERE m.peer_group = 'TG' AND v.municipality <> 'T000' AND v.gender = 'T')
    SELECT o.kpi, o.year, o.value, count(*)::int, round(avg(p.value), 2),
           round((percentile_cont(0.5) WITHIN GROUP (ORDER BY p.value))::numeric, 2),
           round((o.value - avg(p.value)) * max(pop.value), 2),
           round((o.value - (percentile_cont(0.5) WITHIN GROUP (ORDER BY p.value))::numeric) * max(pop.value), 2),
           1 + count(*) FILTER (WHERE p.value < o.value)::int
    FROM own o JOIN peer p USING (kpi, year)
    JOIN kpi_value pop ON pop.kpi = 'N01951' AND pop.municipality = 'T000' AND pop.year = o.year AND pop.gender = 'T'
    GROUP BY o.kpi, o.year, o.value ORDER BY o.year$$,
  'X_IFO against plain SQL (avg, percentile_cont, population × gap)');
SELECT results_eq(
  $$SELECT kpi, year, peers, peer_mean, gap_mean, population, gap_mean_kr, note FROM peer_comparison('T000', 'TG', 2022, NULL, '{X_PLAC}')$$,
  $$VALUES ('X_PLAC', 2022, 1, 3.90, 0.30, 100000::numeric, NULL::numeric,
            'unit antal/1000 inv is not kr/inv: no gap in kronor')$$,
  'a KPI not in kr/inv: gaps in its unit, none in kronor, and the note says why');
INSERT INTO kpi_value (kpi, municipality, year, value) VALUES ('X_ALONE', 'T000', 2022, 12), ('X_ALONE', 'T005', 2022, 99),
  ('X_IFO', 'T005', 2022, 1);
SELECT results_eq(
  $$SELECT kpi, peers, peer_mean, peer_median, gap_mean_kr, rank, note FROM peer_comparison('T000', 'TG', 2022, 2022, '{X_ALONE}')$$,
  $$VALUES ('X_ALONE', 0, NULL::numeric, NULL::numeric, NULL::numeric, 1, 'no peer has a value')$$,
  'no peer with a value (a municipality outside the group does not count): NULL means, rank 1, a note');
SELECT is((SELECT string_agg(kpi || ' ' || year, ', ' ORDER BY kpi, year) FROM peer_comparison('T000', 'TG', 2021, 2022)),
          'X_ALONE 2022, X_IFO 2021, X_IFO 2022, X_PLAC 2022',
          'without kpis: every KPI the municipality has a value of in the years, but the population');
SELECT is((SELECT peers FROM peer_comparison('T001', 'TG', 2022, 2022, '{X_IFO}')), 4,
          'another member against the same group: its peers are the others and T000');
SELECT throws_ok($$SELECT * FROM peer_comparison(NULL, 'TG', 2022)$$, '22004', NULL, 'a NULL municipality is 22004');
SELECT throws_ok($$SELECT * FROM peer_comparison('T000', 'TG', NULL)$$, '22004', NULL, 'a NULL first year is 22004');
SELECT throws_ok($$SELECT * FROM peer_comparison('T000', 'TG', 2023, 2022)$$, '22023', NULL, 'last year before first year is 22023');
SELECT throws_ok($$SELECT * FROM peer_comparison('T000', 'TG', 1800)$$, '22023', NULL, 'a year before 1900 is 22023');
SELECT throws_ok($$SELECT * FROM peer_comparison('T999', 'TG', 2022)$$, '42704', NULL, 'an unknown municipality is 42704');
SELECT throws_ok($$SELECT * FROM peer_comparison('T000', 'NOPE', 2022)$$, '42704', 'unknown peer group ''NOPE''', 'an unknown peer group is 42704');
SELECT throws_ok($$SELECT * FROM peer_comparison('T000', 'TG', 2022, 2022, '{X_IFO,N99999}')$$, '42704', 'unknown KPI ''N99999''',
                 'an unknown KPI is 42704');

-- ---------- loading again, and bad files ----------
SELECT throws_ok(format('SELECT * FROM load_kpi_values(%L)', :'csv'), '23505',
  'line 2: KPI N01951, municipality T000, year 2021, gender T is already loaded (15 such lines)',
  'loading the same file again is 23505 naming the first line');
SELECT results_eq($$SELECT * FROM load_kpi_values(E'kpi,municipality,period,value\nX_IFO,T003,2022,"4 600,5"\nX_IFO,T003,2021,4650', 'revised', 'replace')$$,
  $$VALUES (1, 1, 0)$$, 'on_existing ''replace'': one value replaced, one new (comma-delimited, a quoted decimal comma)');
SELECT results_eq($$SELECT year, value, source FROM kpi_value WHERE kpi = 'X_IFO' AND municipality = 'T003' ORDER BY year$$,
  $$VALUES (2021, 4650::numeric, 'revised'), (2022, 4600.5, 'revised')$$, '… and the table has the new values');
SELECT results_eq($$SELECT * FROM load_kpi_values(E'year\tmunicipality_id\tkpi\tvalue\tgender\n2020\tT001\tX_IFO\t\u22124\u00a0600,25\tk\n')$$,
  $$VALUES (1, 0, 0)$$, 'tab-delimited, columns in another order, Kolada''s municipality_id and year, a Unicode minus, a no-break space, gender in lower case');
SELECT is((SELECT value || ' ' || gender FROM kpi_value WHERE year = 2020), '-4600.25 K', '… read as −4 600,25 for women');
CREATE TEMP TABLE before_bad AS SELECT count(*) AS n FROM kpi_value;
SELECT throws_ok($$SELECT load_kpi_values(E'kpi;municipality;period;value\nX_IFO;T001;2019;1\nX_IFO;T001;2018\n')$$,
  '22P04', 'line 3: 3 fields, the header has 4', 'a line with too few fields is 22P04 naming the line');
SELECT throws_ok($$SELECT load_kpi_values(E'kpi;municipality;period;value\nX_IFO;T001;2019;"1\n')$$,
  '22P04', NULL, 'an unclosed quote is 22P04');
SELECT throws_ok($$SELECT load_kpi_values(E'kpi;kommun;period;value\nX_IFO;T001;2019;1\n')$$,
  '22P04', NULL, 'a header without a municipality column is 22P04');
SELECT throws_ok($$SELECT load_kpi_values(E'\n  \n')$$, '22P04', 'the CSV text has no header line', 'no header line is 22P04');
SELECT throws_ok($$SELECT load_kpi_values(E'kpi;municipality;period;value\nX_IFO;T001;2019;1\nX_IFO;T001;2018;12a\n')$$,
  '22P02', 'line 3: value ''12a'' is not a number', 'a value that is not a number is 22P02 naming the line');
SELECT throws_ok($$SELECT load_kpi_values(E'kpi;municipality;period;value\nX_IFO;T001;2019;1.234,5\n')$$,
  '22P02', NULL, 'both a point and a comma is 22P02 (one decimal separator, spaces between thousands)');
SELECT throws_ok($$SELECT load_kpi_values(E'kpi;municipality;period;value\nX_IFO;T001;19;1\n')$$, '22P02', NULL, 'a period that is not a year is 22P02');
SELECT throws_ok($$SELECT load_kpi_values(E'kpi;municipality;period;value\nX_IFO;T001;1850;1\n')$$, '22023', NULL, 'a year before 1900 is 22023');
SELECT throws_ok($$SELECT load_kpi_values(E'kpi;municipality;period;gender;value\nX_IFO;T001;2019;X;1\n')$$, '22023', NULL, 'a gender not T, K or M is 22023');
SELECT throws_ok($$SELECT load_kpi_values(E'kpi;municipality;period;value\nX_IFO;T001;2019;1\nX_IFO;1880;2019;1\n')$$,
  '23503', 'line 3: unknown municipality code ''1880''', 'an unknown municipality code is 23503 naming the line');
SELECT throws_ok($$SELECT load_kpi_values(E'kpi;municipality;period;value\nN00000;T001;2019;1\n')$$,
  '23503', 'line 2: unknown KPI ''N00000''', 'an unknown KPI is 23503');
SELECT throws_ok($$SELECT load_kpi_values(E'kpi;municipality;period;value\nX_IFO;T001;2019;1\nX_IFO;T002;2019;1\nX_IFO;T001;2019;2\n')$$,
  '23505', 'lines 2 and 4: the same KPI X_IFO, municipality T001, year 2019 and gender T twice', 'the same key twice in a file is 23505');
SELECT throws_ok($$SELECT load_kpi_values(NULL)$$, '22004', NULL, 'a NULL text is 22004');
SELECT throws_ok($$SELECT load_kpi_values(E'kpi;municipality;period;value\n', NULL, 'merge')$$, '22023', NULL, 'an unknown on_existing is 22023');
SELECT is((SELECT count(*) FROM kpi_value), (SELECT n FROM before_bad), 'all or nothing: the failed loads wrote no row');
SELECT is(kpi_csv_fields('a;"b;c";"d""e";', ';'), ARRAY['a', 'b;c', 'd"e', ''], 'kpi_csv_fields: quoted delimiter, doubled quote, empty last field');
SELECT throws_ok($$SELECT kpi_csv_fields('a;b"c;d', ';')$$, '22P04', NULL, 'a stray quote is 22P04');

-- ---------- who writes (row-level security) ----------
CREATE ROLE peers_office NOLOGIN;
CREATE ROLE peers_other NOLOGIN;
GRANT INSERT, UPDATE, DELETE ON kpi, municipality, kpi_value, peer_group, peer_group_member TO peers_office, peers_other;
SET ROLE peers_office;
INSERT INTO municipality VALUES ('T100', 'Kontorets kommun');
SELECT results_eq($$SELECT * FROM load_kpi_values(E'kpi;municipality;period;value\nX_IFO;T100;2022;4000\n', 'office')$$,
  $$VALUES (1, 0, 0)$$, 'a role granted INSERT loads values');
SET ROLE peers_other;
SELECT is((SELECT count(*) FROM kpi_value WHERE municipality = 'T100'), 1::bigint, 'another role reads them');
UPDATE kpi_value SET value = 1 WHERE municipality = 'T100';
DELETE FROM kpi_value WHERE municipality = 'T100';
DELETE FROM municipality WHERE municipality = 'T100';
RESET ROLE;
SELECT is((SELECT value || ' ' || loaded_by FROM kpi_value WHERE municipality = 'T100'), '4000 peers_office',
          'another role with UPDATE and DELETE rights changes and removes none of them');
SET ROLE peers_other;
SELECT throws_ok($$SELECT load_kpi_values(E'kpi;municipality;period;value\nX_IFO;T100;2022;1\n', NULL, 'replace')$$, '42501', NULL,
                 '… nor replaces them through load_kpi_values (42501)');
SELECT throws_ok($$INSERT INTO kpi_value (kpi, municipality, year, value, loaded_by) VALUES ('X_IFO', 'T100', 2021, 1, 'peers_office')$$,
                 '42501', NULL, '… nor writes a row in another role''s name');
RESET ROLE;
CREATE ROLE peers_reader NOLOGIN;
SET ROLE peers_reader;
SELECT throws_ok($$SELECT load_kpi_values(E'kpi;municipality;period;value\nX_IFO;T100;2021;1\n')$$, '42501', NULL,
                 'a role without INSERT on kpi_value cannot load (42501)');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
