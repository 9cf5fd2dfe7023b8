-- The demo municipality: a generated social services committee modelled on
-- Delårsrapport 2 2023 (the interim report after August 2023), in the schema demo.
-- Deterministic: every random number is a hash of (key, stream) (pg_temp.u
-- of test/bench/lib.sql), so every run on every machine gives the same rows.
-- Set-based: generate_series, window functions and one recursive query (the
-- places of the own facilities); no row-by-row loops.  Needs the extension
-- in the search_path; run by `make demo` (scripts/demo.sh) and test/demo.sql.
--
-- What it makes (the demo's "today" is 31 August 2023: what was not known by
-- then is not in the tables):
--   unit            the six units of Delårsrapport 2 2023 §4.1, in the report's order
--   category        external care by target group (barn, unga, vuxna) and
--                   kind of placement: persons per day, mean stay, cost
--   placement       external placements (stays) arriving 2008-01-01 ..
--                   2023-08-31, log-normal lengths; a stay still in care on
--                   31 August 2023 is open (no end)
--   placement_price its price periods: a new price each 1 January
--                   (indexation) and for some institutional stays after a
--                   price negotiation
--   facility, facility_stay   the four own facilities of Delårsrapport 2 2023 Bilaga 3
--                   (29, 21, 51 and 14 places) and their residents 2020 ..
--   ledger          entries 2018-01-01 .. 2023-08-31 by unit, account group
--                   and activity code (100, 551, 553, 561, 600); external care
--                   is invoiced per placement and month from its price periods
--   budget          one row per decision: each year's budget on 1 January and
--                   2023's changes (654 442 tkr on 30 May, 654 376 tkr on 30
--                   August as in Delårsrapport 2 2023 §4)
--   external_budget the volumes 2023's external-care budget assumed (Delårsrapport 2 2023 §4.3.4)
--   staff, staff_budget  staff per unit, month and kind (FTE and cost, in
--                   agreement with the ledger's personnel costs; consultants
--                   in Myndighet) and 2023's budgeted FTE and personnel cost
-- and it registers the ledger for the nightly forecasts (by unit and in
-- total), refreshes them at every month end 2021-01 .. 2023-08 so that
-- forecast_accuracy() has history, records the office's own forecast beside
-- them, and loads the action plans Handlingsplan
-- ekonomi 2025 and Åtgärdsplan 2024–2026 (demo/plans.sql, as written) with
-- follow-ups.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET jit = off;  -- compiling costs more than these queries
SELECT clock_timestamp() AS demo_t0 \gset
CREATE SCHEMA demo;
COMMENT ON SCHEMA demo IS 'The demo municipality of make demo (demo/municipality.sql): placements, own facilities, ledger, budget.';
SELECT set_config('search_path', 'demo, ' || current_setting('search_path'), false) \gset
\ir ../test/bench/lib.sql
-- a standard normal from (key, stream) (Box–Muller on two hashes)
CREATE FUNCTION pg_temp.z(i bigint, s bigint) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT sqrt(-2 * ln(pg_temp.u(i, s))) * cos(2 * pi() * pg_temp.u(i, s + 1)) $$;

CREATE TABLE unit (unit text PRIMARY KEY, ord int NOT NULL, kind text NOT NULL);
INSERT INTO unit VALUES
  ('Övergripande & nämnd', 1, 'egen'), ('Förebyggande & familjecentraler', 2, 'egen'),
  ('Myndighet', 3, 'egen'), ('Eget utförande', 4, 'egen'), ('Ensamkommande', 5, 'egen'),
  ('Externa vård- och behandlingskostnader', 6, 'extern');
COMMENT ON TABLE unit IS 'Demo: the units of the follow-up (Delårsrapport 2 2023 §4.1) in the report''s order; kind ''extern'' for external care.';

-- the price index of care (2023 = 1): about 2 % a year, then 2022's and
-- 2023's inflation
CREATE TABLE price_index (year int PRIMARY KEY, idx float8 NOT NULL);
INSERT INTO price_index
SELECT y, CASE WHEN y = 2023 THEN 1.0 WHEN y = 2022 THEN 0.917 ELSE 0.882 * 1.02 ^ (y - 2021) END
FROM generate_series(2008, 2023) y;
COMMENT ON TABLE price_index IS 'Demo: the price index of care by year (2023 = 1), for the generated daily costs.';

-- External care.  ppd: persons per day Jan–Aug 2023 (the groups add up to
-- Delårsrapport 2 2023's 165 barn, 154 unga, 134 vuxna after the growth of 2023); a stay's
-- length is log-normal (median, sigma of its log); mean_cost: the mean
-- daily cost in 2023 (log-normal, sigma_cost).  Kinds that Delårsrapport 2 2023 names:
-- own and agency foster homes (egna / konsulentstödda familjehem),
-- emergency homes, HVB, SiS, supported housing, protected housing,
-- non-residential care for adults.
CREATE TABLE category (
  id int PRIMARY KEY, target_group text NOT NULL, category text NOT NULL, activity text NOT NULL,
  account_group text NOT NULL, ppd float8 NOT NULL, median_days float8 NOT NULL,
  sigma_days float8 NOT NULL, mean_cost float8 NOT NULL, sigma_cost float8 NOT NULL,
  negotiated boolean NOT NULL);
INSERT INTO category VALUES
  (1,  'Barn',  'Familjehem, egna',            '561', 'Övriga kostnader',   72, 420, 0.9,   960, 0.25, false),
  (2,  'Barn',  'Familjehem, konsulentstödda', '561', 'Köp av verksamhet',  62, 420, 0.9,  2410, 0.25, false),
  (3,  'Barn',  'Jourhem',                     '561', 'Övriga kostnader',   18,  75, 0.8,  1460, 0.25, false),
  (4,  'Barn',  'HVB',                         '561', 'Köp av verksamhet',  13, 100, 0.8,  8800, 0.45, true),
  (5,  'Unga',  'Familjehem, egna',            '561', 'Övriga kostnader',   40, 330, 0.9,  1070, 0.25, false),
  (6,  'Unga',  'Familjehem, konsulentstödda', '561', 'Köp av verksamhet',  28, 330, 0.9,  2580, 0.25, false),
  (7,  'Unga',  'HVB',                         '561', 'Köp av verksamhet',  40, 110, 0.9,  5170, 0.35, true),
  (8,  'Unga',  'SiS',                         '561', 'Köp av verksamhet',  14,  80, 0.7,  6970, 0.15, false),
  (9,  'Unga',  'Stödboende',                  '561', 'Köp av verksamhet',  32, 200, 0.7,  1680, 0.30, false),
  (10, 'Vuxna', 'HVB',                         '551', 'Köp av verksamhet',  40,  60, 0.9,  2810, 0.30, true),
  (11, 'Vuxna', 'Familjehem',                  '551', 'Köp av verksamhet',  14, 150, 0.8,  1460, 0.30, false),
  (12, 'Vuxna', 'Skyddat boende',              '553', 'Köp av verksamhet',  12,  40, 0.8,  2580, 0.30, false),
  (13, 'Vuxna', 'SiS',                         '551', 'Köp av verksamhet',   8,  60, 0.5,  5620, 0.15, false),
  (14, 'Vuxna', 'Stödboende',                  '551', 'Köp av verksamhet',  30, 180, 0.7,  1240, 0.30, false),
  (15, 'Vuxna', 'Öppenvård',                   '551', 'Köp av verksamhet',  30, 120, 0.7,   400, 0.30, false);
COMMENT ON TABLE category IS 'Demo: external care by target group and kind of placement, with the generator''s parameters (persons per day Jan–Aug 2023, log-normal stay length, mean daily cost 2023).';

-- persons per day by target group and year as Delårsrapport 2 2023 §4.3.4 reports them
-- (2017–2022; 2023 = Jan–Aug), and the share of agency foster homes among
-- foster homes (about 25 % until 2020, 30 % in 2021, 43 % in 2023)
CREATE TEMP TABLE group_ppd (target_group text, year int, ppd float8, agency_share float8);
INSERT INTO group_ppd
SELECT g, y, v[y - 2016], a[y - 2016]
FROM (VALUES ('Barn',  ARRAY[133, 139, 135, 134, 134, 141, 165]),
             ('Unga',  ARRAY[138, 141, 142, 133, 133, 151, 154]),
             ('Vuxna', ARRAY[72, 108, 136, 113, 123, 122, 134])) t(g, v),
     (SELECT ARRAY[0.25, 0.25, 0.25, 0.25, 0.30, 0.36, 0.45]::float8[] AS a) s,
     generate_series(2017, 2023) y;

-- each category's target persons per day at knots: 1 July of 2008..2022 (the
-- year's level; 2017's before) and 1 May 2023 (the middle of Jan–Aug), with
-- a knot on 1 March 2024 at 88 % of 2023 (the volumes turned down in 2023,
-- as Delårsrapport 2 2023 expects).  Foster homes move between own and agency homes by the
-- year's agency share.
CREATE TEMP TABLE knot AS
SELECT c.id, k.day, k.year,
       c.ppd * g.ppd / g23.ppd * k.factor * 1.02  -- 2 % for the stays' randomness and lag
       * CASE WHEN c.category LIKE 'Familjehem, %'
              THEN CASE WHEN c.category LIKE '%konsulent%' THEN g.agency_share / g23.agency_share
                        ELSE (1 - g.agency_share) / (1 - g23.agency_share) END
              ELSE 1 END AS ppd
FROM category c
CROSS JOIN LATERAL (SELECT y AS year, CASE WHEN y = 2023 THEN DATE '2023-05-01' WHEN y = 2024 THEN DATE '2024-03-01'
                                          ELSE make_date(y, 7, 1) END AS day,
                           CASE WHEN y = 2024 THEN 0.88 ELSE 1 END AS factor
                    FROM generate_series(2007, 2024) y) k
JOIN group_ppd g ON g.target_group = c.target_group AND g.year = least(2023, greatest(2017, k.year))
JOIN group_ppd g23 ON g23.target_group = c.target_group AND g23.year = 2023;

-- arrivals: each day the inflow that keeps the persons per day on the line
-- between the knots (P/mean stay + dP/dt), with a season (+10 % in early
-- October) and a year's noise (5 %); a day's arrivals are Poisson (at most
-- five: the rates are below 0,6 a day)
CREATE TEMP TABLE arrival AS
WITH seg AS (
  SELECT id, day AS d0, lead(day) OVER w AS d1, ppd AS p0, lead(ppd) OVER w AS p1
  FROM knot WINDOW w AS (PARTITION BY id ORDER BY day)),
d AS (
  SELECT c.id, g.d::date AS day, seg.p0, seg.p1, seg.d0, seg.d1,
         c.median_days * exp(c.sigma_days ^ 2 / 2) AS mean_days
  FROM seg JOIN category c USING (id),
       generate_series(greatest(seg.d0, DATE '2008-01-01'), least(seg.d1 - 1, DATE '2023-08-31'), interval '1 day') g(d)
  WHERE seg.d1 > DATE '2008-01-01' AND seg.d0 <= DATE '2023-08-31'),
r AS MATERIALIZED (  -- once per day: the rate is used many times below
  SELECT id, day,
         greatest(0, (p0 + (p1 - p0) * (day - d0) / (d1 - d0)) / mean_days + (p1 - p0) / (d1 - d0))
         * (1 + 0.10 * cos(2 * pi() * (extract(doy FROM day) - 280) / 365.25))
         * exp(0.05 * pg_temp.z(id * 100 + extract(year FROM day)::int - 2000, 11)) AS rate
  FROM d)
SELECT r.id, r.day, ((r.id::bigint * 100000 + (r.day - DATE '2008-01-01')) * 16 + j) AS key
FROM r
-- the day's number of arrivals: Poisson by its distribution function at one uniform
CROSS JOIN LATERAL (SELECT exp(-r.rate) AS p0, pg_temp.u(r.id::bigint * 100000 + (r.day - DATE '2008-01-01'), 21) AS x) q
CROSS JOIN LATERAL generate_series(1, (q.x > q.p0)::int
                                      + (q.x > q.p0 * (1 + r.rate))::int
                                      + (q.x > q.p0 * (1 + r.rate + r.rate ^ 2 / 2))::int
                                      + (q.x > q.p0 * (1 + r.rate + r.rate ^ 2 / 2 + r.rate ^ 3 / 6))::int
                                      + (q.x > q.p0 * (1 + r.rate + r.rate ^ 2 / 2 + r.rate ^ 3 / 6 + r.rate ^ 4 / 24))::int) j;

CREATE TABLE placement (
  placement_id bigint PRIMARY KEY, target_group text NOT NULL, category text NOT NULL,
  stay daterange NOT NULL);
COMMENT ON TABLE placement IS 'Demo: external placements as known on 31 August 2023: the stay [arrival, departure), open (no end) when still in care then.';
CREATE TEMP TABLE stay_full AS
SELECT a.key AS placement_id, a.id, a.day AS start,
       a.day + least(5479, greatest(1, round(c.median_days * exp(c.sigma_days * pg_temp.z(a.key, 31)))))::int AS stop
FROM arrival a JOIN category c ON c.id = a.id;
INSERT INTO placement
SELECT s.placement_id, c.target_group, c.category,
       daterange(s.start, CASE WHEN s.stop <= DATE '2023-08-31' THEN s.stop END)
FROM stay_full s JOIN category c ON c.id = s.id;

-- price periods: the price at arrival (the category's 2023 mean scaled by
-- the arrival year's index, log-normal around it), indexed each 1 January
-- of the stay with the agreement's own deviation (2 %), and for a quarter of
-- the negotiated institutional stays longer than 150 days 8 % off from day 120
CREATE TABLE placement_price (
  placement_id bigint NOT NULL REFERENCES placement, valid daterange NOT NULL,
  daily_cost sek NOT NULL,
  PRIMARY KEY (placement_id, valid));
COMMENT ON TABLE placement_price IS 'Demo: the daily cost of a placement and the dates it applies (price changes within a stay: indexation each 1 January, negotiations).';
WITH p AS (
  SELECT s.placement_id, s.start, s.stop, c.mean_cost, c.sigma_cost,
         CASE WHEN c.negotiated AND s.stop - s.start > 150 AND pg_temp.u(s.placement_id, 41) < 0.25
              THEN s.start + 120 END AS negotiated_on,
         pg_temp.z(s.placement_id, 43) AS zc
  FROM stay_full s JOIN category c ON c.id = s.id),
b AS (
  SELECT placement_id, start AS from_day FROM p
  UNION ALL
  SELECT p.placement_id, make_date(y, 1, 1)
  FROM p, generate_series(extract(year FROM p.start)::int + 1,
                          extract(year FROM least(p.stop - 1, DATE '2023-08-31'))::int) y
  UNION ALL
  SELECT placement_id, negotiated_on FROM p WHERE negotiated_on <= DATE '2023-08-31'),
v AS (
  SELECT b.placement_id, b.from_day,
         lead(b.from_day) OVER (PARTITION BY b.placement_id ORDER BY b.from_day) AS to_day
  FROM (SELECT DISTINCT placement_id, from_day FROM b) b)
INSERT INTO placement_price
SELECT v.placement_id, daterange(v.from_day, v.to_day),
       round(p.mean_cost * exp(p.sigma_cost * p.zc - p.sigma_cost ^ 2 / 2)
             * i.idx * CASE WHEN v.from_day > p.start THEN exp(0.02 * pg_temp.z(v.placement_id * 64 + extract(year FROM v.from_day)::int - 2000, 45)) ELSE 1 END
             * CASE WHEN v.from_day >= p.negotiated_on THEN 0.92 ELSE 1 END)::bigint::sek
FROM v JOIN p USING (placement_id)
JOIN price_index i ON i.year = extract(year FROM v.from_day);

-- the price periods as rows for census(): each period's part of its stay
CREATE VIEW placement_cost AS
SELECT p.placement_id, p.target_group, p.category, p.stay * pp.valid AS stay, pp.daily_cost
FROM placement p JOIN placement_price pp USING (placement_id);
COMMENT ON VIEW placement_cost IS 'Demo: one row per price period of a stay (its days at that daily cost): the rows census() counts.';
-- one row per stay with its latest price: the rows placement_forecast() and
-- stay_survival() count (a row per price period would count as a stay of its own)
CREATE VIEW placement_now AS
SELECT DISTINCT ON (p.placement_id) p.placement_id, p.target_group, p.category, p.stay, pp.daily_cost
FROM placement p JOIN placement_price pp USING (placement_id)
ORDER BY p.placement_id, lower(pp.valid) DESC;
COMMENT ON VIEW placement_now IS 'Demo: one row per stay with the daily cost of its latest price period (in force on 31 August 2023 for open stays).';

-- the budget's volumes for external care in 2023 (Delårsrapport 2 2023 §4.3.4: 383 persons
-- per day at 2 648 kr; Delårsrapport 2 2023's group figures 139 + 133 + 99 add up to 371, so
-- the adults' budget here is 111)
CREATE TABLE external_budget (target_group text PRIMARY KEY, persons_per_day float8 NOT NULL, cost_per_care_day sek NOT NULL);
INSERT INTO external_budget VALUES ('Barn', 139, '2 648 kr'), ('Unga', 133, '2 648 kr'), ('Vuxna', 111, '2 648 kr');
COMMENT ON TABLE external_budget IS 'Demo: the volumes the 2023 budget for external care assumed, per target group.';

-- Own facilities (Delårsrapport 2 2023 Bilaga 3): places, the occupancy of each month
-- Jan–Aug 2023 and of Jan–Aug 2022 as the report gives them, the stays'
-- log-normal length, and slots (HVB ungdom takes in more than its 29 places
-- at times: 105 % in April).
CREATE TABLE facility (name text PRIMARY KEY, places int NOT NULL, activity text NOT NULL, ord int NOT NULL);
INSERT INTO facility VALUES ('HVB ungdom', 29, '561', 1), ('Stödboende ungdom', 21, '561', 2),
  ('Stödboende vuxen', 51, '551', 3), ('Referensbostad', 14, '551', 4);
COMMENT ON TABLE facility IS 'Demo: the own facilities and their places.';
CREATE TEMP TABLE facility_gen (name text, slots int, median_days float8, sigma_days float8,
                                occ2022 float8, occ2023 float8[]);
INSERT INTO facility_gen VALUES
  ('HVB ungdom', 32, 45, 0.8, 0.92, '{0.94,0.90,0.99,1.05,1.01,0.88,0.73,0.73}'),
  ('Stödboende ungdom', 21, 90, 0.6, 0.85, '{0.66,0.79,0.79,0.70,0.88,0.82,0.79,0.83}'),
  ('Stödboende vuxen', 51, 70, 0.8, 0.84, '{0.84,0.73,0.81,0.64,0.72,0.80,0.86,0.83}'),
  ('Referensbostad', 14, 500, 0.5, 0.99, '{1,1,1,1,1,1,1,1}');

-- the target occupancy of one slot on a day: the facility's of the month
-- (2023) or of 2022 (before), spread over its slots
CREATE FUNCTION pg_temp.slot_occupancy(occ2022 float8, occ2023 float8[], day date, places int, slots int)
  RETURNS float8 LANGUAGE sql IMMUTABLE
  AS $$ SELECT least(0.999, CASE WHEN day >= DATE '2023-01-01'
                                 THEN occ2023[least(8, extract(month FROM day)::int)] ELSE occ2022 END
                            * places / slots) $$;

-- each slot: stays one after another from 2020 with exponential gaps whose
-- mean gives the month's target occupancy (gap = mean stay × (1 − o) / o)
CREATE TABLE facility_stay (facility text NOT NULL REFERENCES facility, stay daterange NOT NULL);
COMMENT ON TABLE facility_stay IS 'Demo: residents of the own facilities as known on 31 August 2023 (open when still there).';
WITH RECURSIVE s AS (
  SELECT g.name, k AS slot, 0 AS i,
         DATE '2020-01-01' - (pg_temp.u(k * 10 + f.ord, 51) * 200)::int AS start,
         greatest(1, round(g.median_days * exp(g.sigma_days * pg_temp.z(k * 10 + f.ord, 53))))::int AS len
  FROM facility_gen g JOIN facility f USING (name), generate_series(1, g.slots) k
  UNION ALL
  SELECT s.name, s.slot, s.i + 1, n.start,
         greatest(1, round(g.median_days * exp(g.sigma_days * pg_temp.z(((s.i + 1) * 100 + s.slot) * 10 + f.ord, 53))))::int
  FROM s JOIN facility_gen g USING (name) JOIN facility f USING (name)
  -- the gap's mean by the target of the month it starts in, then again by
  -- the month of its middle (a long gap belongs to the months it covers)
  CROSS JOIN LATERAL (
    SELECT -ln(pg_temp.u(((s.i + 1) * 100 + s.slot) * 10 + f.ord, 55))
           * g.median_days * exp(g.sigma_days ^ 2 / 2) AS scale) e
  CROSS JOIN LATERAL (
    SELECT e.scale * (1 - o) / o AS gap
    FROM (SELECT pg_temp.slot_occupancy(g.occ2022, g.occ2023, s.start + s.len, f.places, g.slots) AS o) t) g0
  CROSS JOIN LATERAL (
    SELECT s.start + s.len + round(e.scale * (1 - o) / o)::int AS start
    FROM (SELECT pg_temp.slot_occupancy(g.occ2022, g.occ2023, s.start + s.len + (g0.gap / 2)::int,
                                        f.places, g.slots) AS o) t) n
  WHERE s.start + s.len <= DATE '2023-08-31')
INSERT INTO facility_stay
SELECT name, daterange(start, CASE WHEN start + len <= DATE '2023-08-31' THEN start + len END)
FROM s WHERE start <= DATE '2023-08-31' AND start + len > DATE '2020-01-01';

-- The ledger, in ledger signs (costs positive, income negative), as booked
-- up to 31 August 2023.
CREATE TABLE ledger (
  entry_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, entry_date date NOT NULL,
  unit text NOT NULL REFERENCES unit, account_group text NOT NULL, activity text NOT NULL,
  amount sek NOT NULL, text text);
COMMENT ON TABLE ledger IS 'Demo: the ledger 2018-01-01 .. 2023-08-31 by unit, account group (kontogrupp) and activity code (verksamhet: 100 politisk verksamhet, 551 missbruksvård vuxna, 553 övrig IFO, 561 barn och ungdomsvård, 600 flyktingmottagande); costs positive, income negative.';

-- external care: each price period of each stay invoiced per month (the
-- month's care days at its daily cost, stay_cost), booked on the month's
-- last day
INSERT INTO ledger (entry_date, unit, account_group, activity, amount, text)
SELECT (m + interval '1 month' - interval '1 day')::date, 'Externa vård- och behandlingskostnader',
       c.account_group, c.activity, stay_cost(pc.stay, pc.daily_cost, daterange(m::date, (m + interval '1 month')::date)),
       format('%s, %s: placering %s', c.target_group, c.category, pc.placement_id)
FROM placement_cost pc JOIN category c USING (target_group, category),
     generate_series(date_trunc('month', greatest(lower(pc.stay), DATE '2018-01-01')),
                     date_trunc('month', least(coalesce(upper(pc.stay) - 1, DATE '2023-08-31'), DATE '2023-08-31')),
                     interval '1 month') m
WHERE NOT isempty(pc.stay) AND coalesce(upper(pc.stay), 'infinity') > DATE '2018-01-01';
-- the own units: gross cost and income per year (mnkr; 2022 as Delårsrapport 2 2023's
-- Bokslut, 2023 about Delårsrapport 2 2023's year-end forecast) …
CREATE TEMP TABLE unit_year (unit text, year int, gross float8, income float8);
INSERT INTO unit_year
SELECT u, 2017 + k, g[k], i[k]
FROM (VALUES ('Övergripande & nämnd',            ARRAY[9.8, 10.3, 10.8, 11.6, 12.3, 27.4],      ARRAY[0.3, 0.3, 0.3, 0.3, 0.8, 1.3]),
             ('Förebyggande & familjecentraler', ARRAY[24.0, 25.1, 26.2, 27.8, 29.6, 32.9],     ARRAY[3.0, 3.1, 3.2, 3.3, 3.6, 4.5]),
             ('Myndighet',                       ARRAY[97.0, 102.2, 106.3, 110.4, 115.9, 127.6], ARRAY[2.0, 2.2, 2.3, 2.4, 2.5, 2.5]),
             ('Eget utförande',                  ARRAY[144.2, 150.4, 154.5, 159.7, 165.7, 183.9], ARRAY[4.2, 4.4, 4.5, 4.7, 4.8, 5.0]),
             ('Ensamkommande',                   ARRAY[30.0, 22.0, 14.0, 10.0, 8.0, 12.6],       ARRAY[25.0, 20.0, 14.0, 12.0, 12.5, 11.9]))
     v(u, g, i), generate_series(1, 6) k;
-- … spread over account groups and activities (shares of the gross cost, or
-- of the income) and booked as: payroll (the 25th, and the employer's
-- contributions on the last day; lower in July, higher in December, the pay
-- rise from April), rent (the 1st), invoices (five a month on any day) and
-- income (monthly, or lump sums in the months given)
CREATE TEMP TABLE unit_mix (unit text, account_group text, activity text, share float8, pattern text, months int[]);
INSERT INTO unit_mix VALUES
  ('Övergripande & nämnd', 'Personalkostnader', '553', 0.60, 'payroll', NULL),
  ('Övergripande & nämnd', 'Personalkostnader', '100', 0.07, 'payroll', NULL),
  ('Övergripande & nämnd', 'Lokalkostnader', '553', 0.10, 'rent', NULL),
  ('Övergripande & nämnd', 'Övriga kostnader', '553', 0.20, 'invoices', NULL),
  ('Övergripande & nämnd', 'Övriga kostnader', '100', 0.03, 'invoices', NULL),
  ('Övergripande & nämnd', 'Intäkter', '553', 1.00, 'income', '{4,10}'),
  ('Förebyggande & familjecentraler', 'Personalkostnader', '553', 0.45, 'payroll', NULL),
  ('Förebyggande & familjecentraler', 'Personalkostnader', '561', 0.35, 'payroll', NULL),
  ('Förebyggande & familjecentraler', 'Lokalkostnader', '553', 0.10, 'rent', NULL),
  ('Förebyggande & familjecentraler', 'Övriga kostnader', '553', 0.06, 'invoices', NULL),
  ('Förebyggande & familjecentraler', 'Övriga kostnader', '561', 0.04, 'invoices', NULL),
  ('Förebyggande & familjecentraler', 'Intäkter', '561', 0.70, 'income', '{3,10}'),
  ('Förebyggande & familjecentraler', 'Intäkter', '553', 0.30, 'income', NULL),
  ('Myndighet', 'Personalkostnader', '551', 0.18, 'payroll', NULL),
  ('Myndighet', 'Personalkostnader', '553', 0.27, 'payroll', NULL),
  ('Myndighet', 'Personalkostnader', '561', 0.42, 'payroll', NULL),
  ('Myndighet', 'Lokalkostnader', '553', 0.06, 'rent', NULL),
  ('Myndighet', 'Övriga kostnader', '553', 0.07, 'invoices', NULL),
  ('Myndighet', 'Intäkter', '561', 1.00, 'income', '{6}'),
  ('Eget utförande', 'Personalkostnader', '551', 0.33, 'payroll', NULL),
  ('Eget utförande', 'Personalkostnader', '561', 0.45, 'payroll', NULL),
  ('Eget utförande', 'Lokalkostnader', '551', 0.07, 'rent', NULL),
  ('Eget utförande', 'Lokalkostnader', '561', 0.07, 'rent', NULL),
  ('Eget utförande', 'Övriga kostnader', '551', 0.03, 'invoices', NULL),
  ('Eget utförande', 'Övriga kostnader', '561', 0.05, 'invoices', NULL),
  ('Eget utförande', 'Intäkter', '561', 0.40, 'income', '{7}'),
  ('Eget utförande', 'Intäkter', '551', 0.60, 'income', NULL),
  ('Ensamkommande', 'Personalkostnader', '600', 0.35, 'payroll', NULL),
  ('Ensamkommande', 'Lokalkostnader', '600', 0.05, 'rent', NULL),
  ('Ensamkommande', 'Köp av verksamhet', '600', 0.60, 'invoices', NULL),
  ('Ensamkommande', 'Intäkter', '600', 1.00, 'income', '{1,4,7,10}');

WITH m AS (
  SELECT mix.*, uy.gross, uy.income, mon::date AS month,
         row_number() OVER (ORDER BY mix.unit, mix.account_group, mix.activity, mon) AS k,
         extract(month FROM mon)::int AS mo,
         -- the unit's month (3 %) and the row's own noise
         exp(0.03 * pg_temp.z(hashtext(mix.unit)::bigint * 1000 + (mon::date - DATE '2018-01-01'), 61)) AS unit_noise
  FROM unit_mix mix
  JOIN unit_year uy USING (unit)
  CROSS JOIN generate_series(make_date(uy.year, 1, 1), least(make_date(uy.year, 12, 1), DATE '2023-08-01'), interval '1 month') mon),
e AS (
  -- payroll: the month's share of the year by the profile (sums to 12), the
  -- pay rise in April
  SELECT month, unit, account_group, activity, x.day, x.part * gross * 1e6 * share / 12 * unit_noise
         * (ARRAY[0.95, 0.95, 1.0, 1.0, 1.0, 1.1, 0.7, 0.95, 1.05, 1.05, 1.05, 1.2])[mo]
         * CASE WHEN mo < 4 THEN 0.985 ELSE 1.005 END AS amount, x.text
  FROM m, LATERAL (VALUES (25, 0.7, 'Löner'),
                          (extract(day FROM month + interval '1 month' - interval '1 day')::int, 0.3, 'Personalomkostnader')) x(day, part, text)
  WHERE pattern = 'payroll'
  UNION ALL
  SELECT month, unit, account_group, activity, 1, gross * 1e6 * share / 12, 'Hyra'
  FROM m WHERE pattern = 'rent'
  UNION ALL
  SELECT month, unit, account_group, activity,
         1 + (pg_temp.u(k * 10 + j, 63) * extract(day FROM month + interval '1 month' - interval '1 day'))::int % 28,
         gross * 1e6 * share / 12 / 5 * unit_noise * exp(0.35 * pg_temp.z(k * 10 + j, 65) - 0.35 ^ 2 / 2), 'Leverantörsfaktura'
  FROM m, generate_series(1, 5) j WHERE pattern = 'invoices'
  UNION ALL
  SELECT month, unit, account_group, activity, 15,
         -income * 1e6 * share / coalesce(cardinality(months), 12) * exp(0.1 * pg_temp.z(k, 67)),
         CASE WHEN months IS NULL THEN 'Avgifter och ersättningar' ELSE 'Statsbidrag och ersättningar' END
  FROM m WHERE pattern = 'income' AND (months IS NULL OR mo = ANY (months)))
INSERT INTO ledger (entry_date, unit, account_group, activity, amount, text)
SELECT month + day - 1, unit, account_group, activity, round(amount)::bigint::sek, text
FROM e WHERE month + day - 1 <= DATE '2023-08-31';

-- The budget: one row per decision and activity, in ledger signs (net cost
-- positive).  2023 as Delårsrapport 2 2023 §4: 644 542 tkr on 1 January, +9 900 tkr for the
-- index of external purchases on 1 April (654 442 tkr on 30 May), +115 tkr
-- pay compensation, -103 tkr efficiency requirement and -78 tkr rent index
-- correction in the summer (654 376 tkr on 30 August).  Earlier years: the
-- own units' budgets about 1 % above their level; external care's below its
-- outcome by the deviations Delårsrapport 2 2023 reports (-6, -5, -17, -32, -54 mnkr).
CREATE TABLE budget (unit text NOT NULL REFERENCES unit, activity text NOT NULL, account_group text NOT NULL,
                     valid_from date NOT NULL, amount sek NOT NULL, decision text NOT NULL);
COMMENT ON TABLE budget IS 'Demo: budget decisions per unit, activity code and account group (kontogrupp), dated when they apply (the year''s budget on 1 January, changes later); ledger signs (net cost positive, income negative).';
CREATE TEMP TABLE unit_budget (unit text, valid_from date, amount_tkr bigint, decision text, activity text, account_group text);
INSERT INTO unit_budget
SELECT unit, make_date(year, 1, 1), round((gross - income) * 1010)::bigint, format('Budget %s', year), NULL, NULL
FROM unit_year WHERE year < 2023
UNION ALL
SELECT 'Externa vård- och behandlingskostnader', make_date(y, 1, 1),
       round(sek_ore(sum(amount)) / 100000.0)::bigint + d * 1000, format('Budget %s', y), NULL, NULL
FROM ledger, LATERAL (SELECT extract(year FROM entry_date)::int AS y) t
JOIN (VALUES (2018, -6), (2019, -5), (2020, -17), (2021, -32), (2022, -54)) v(year, d) ON v.year = t.y
WHERE unit = 'Externa vård- och behandlingskostnader'
GROUP BY y, d
UNION ALL
SELECT * FROM (VALUES
  ('Övergripande & nämnd', DATE '2023-01-01', 27415::bigint, 'Budget 2023', NULL::text, NULL::text),
  ('Förebyggande & familjecentraler', '2023-01-01', 29405, 'Budget 2023', NULL, NULL),
  ('Myndighet', '2023-01-01', 125768, 'Budget 2023', NULL, NULL),
  ('Eget utförande', '2023-01-01', 179154, 'Budget 2023', NULL, NULL),
  ('Ensamkommande', '2023-01-01', 700, 'Budget 2023', NULL, NULL),
  ('Externa vård- och behandlingskostnader', '2023-01-01', 282100, 'Budget 2023', NULL, NULL),
  ('Externa vård- och behandlingskostnader', '2023-04-01', 9900, 'Indexuppräkning externa köp', '561', 'Köp av verksamhet'),
  ('Eget utförande', '2023-06-15', 115, 'Tilläggsanslag lönerevision Kommunals avtal', '561', 'Personalkostnader'),
  ('Övergripande & nämnd', '2023-07-01', -103, 'Ombudgetering effektiviseringskrav', '553', 'Övriga kostnader'),
  ('Myndighet', '2023-08-30', -78, 'Rättning hyresindex', '553', 'Lokalkostnader')) v;
-- a year's budget of a unit goes to its activities and account groups as
-- their outcome of the year (2022's for 2023), the difference to the budget
-- spread over them by their size (so that income stays income), rounded to
-- tkr so that the parts add up exactly
WITH cell AS (
  SELECT unit, extract(year FROM entry_date)::int AS year, activity, account_group, sum(sek_ore(amount))::float8 / 1e5 AS tkr
  FROM ledger GROUP BY 1, 2, 3, 4),
cum AS (
  SELECT b.unit, b.valid_from, b.amount_tkr, b.decision, c.activity, c.account_group,
         sum(c.tkr + (b.amount_tkr - t.tkr) * abs(c.tkr) / t.abs_tkr)
           OVER (PARTITION BY b.unit, b.valid_from ORDER BY c.activity, c.account_group) AS c
  FROM unit_budget b
  JOIN cell c ON c.unit = b.unit AND c.year = least(2022, extract(year FROM b.valid_from)::int)
  JOIN (SELECT unit, year, sum(tkr) AS tkr, sum(abs(tkr)) AS abs_tkr FROM cell GROUP BY 1, 2) t ON t.unit = c.unit AND t.year = c.year
  WHERE b.activity IS NULL)
INSERT INTO budget
SELECT unit, activity, account_group, valid_from,
       ((round(c) - round(coalesce(lag(c) OVER w, 0)))::bigint * 1000)::sek, decision
FROM cum WINDOW w AS (PARTITION BY unit, valid_from ORDER BY activity, account_group)
UNION ALL
SELECT unit, activity, account_group, valid_from, (amount_tkr * 1000)::sek, decision FROM unit_budget WHERE activity IS NOT NULL;

-- Staff (bemanning), as an HR export per unit, month and kind would give
-- it, and agreeing with the ledger: a unit's personnel cost of a month
-- (Personalkostnader) is its overtime (2 %), sick pay (1,5 %) and the pay of
-- the employed (tillsvidare 91 %, visstid 6 %, timavlönade 3 % of the rest);
-- each kind's FTE is its cost at that year's monthly cost of an FTE (salary
-- with on-costs, 40 000 kr in 2018 rising 3 % a year; hourly staff at 80 %
-- of it).  Myndighet also hires consultants (socionomkonsulter): 60 % of its
-- other costs, at 130 000 kr a month each.
CREATE TABLE staff (unit text NOT NULL REFERENCES unit, month date NOT NULL, kind text NOT NULL, fte numeric, cost sek NOT NULL,
                    PRIMARY KEY (unit, month, kind));
COMMENT ON TABLE staff IS 'Demo: staff per unit, month and kind (employed, temporary, hourly and consultant FTE and cost; overtime and sick pay cost), in agreement with the ledger''s personnel costs; costs positive.';
WITH pay AS (
  SELECT unit, date_trunc('month', entry_date)::date AS month, sek_ore(sum(amount)) / 100.0 AS kr
  FROM ledger WHERE account_group = 'Personalkostnader' GROUP BY 1, 2),
parts AS (
  SELECT p.unit, p.month, k.kind, k.share * CASE WHEN k.kind IN ('overtime', 'sick_pay') THEN p.kr ELSE p.kr * 0.965 END AS kr,
         k.fte_at * 40000 * 1.03 ^ (extract(year FROM p.month) - 2018) AS fte_cost
  FROM pay p, (VALUES ('overtime', 0.02, NULL), ('sick_pay', 0.015, NULL), ('employed', 0.91, 1.0),
                      ('temporary', 0.06, 1.0), ('hourly', 0.03, 0.8)) k(kind, share, fte_at)
  UNION ALL
  SELECT unit, date_trunc('month', entry_date)::date, 'consultant', 0.6 * sek_ore(sum(amount)) / 100.0, 130000
  FROM ledger WHERE unit = 'Myndighet' AND account_group = 'Övriga kostnader' GROUP BY 1, 2)
INSERT INTO staff
SELECT unit, month, kind, round((kr / fte_cost)::numeric, 2), round(kr::numeric, 2)::sek FROM parts;
-- the staff budget: each unit's budgeted FTE and personnel cost, one row per
-- decision as the budget (2023: generated about the year's staffing, a few
-- per cent off per unit, the cost at 2023's monthly cost of an FTE)
CREATE TABLE staff_budget (unit text NOT NULL REFERENCES unit, valid_from date NOT NULL, fte numeric NOT NULL, cost sek NOT NULL);
COMMENT ON TABLE staff_budget IS 'Demo: budgeted FTE (årsarbetare) and personnel cost per unit, one row per decision dated when it applies; costs positive.';
INSERT INTO staff_budget
SELECT unit, DATE '2023-01-01', fte, (round(fte * 40000 * 1.03 ^ 5 * 12 / 1000) * 1000)::numeric::sek
FROM (SELECT s.unit, round(sum(s.fte) / 8 * d.f, 1) AS fte
      FROM staff s JOIN (VALUES ('Övergripande & nämnd', 0.97), ('Förebyggande & familjecentraler', 1.0), ('Myndighet', 1.02),
                                ('Eget utförande', 1.04), ('Ensamkommande', 0.9)) d(unit, f) USING (unit)
      WHERE s.month >= DATE '2023-01-01' AND s.kind IN ('employed', 'temporary', 'hourly')
      GROUP BY s.unit, d.f) b;

-- The action plans of Handlingsplan ekonomi 2025 and Åtgärdsplan 2024–2026 as written, and their follow-ups.
-- The plans are dated 2024–2026, so they are followed up in 2024 and 2025
-- (the report shows them as of 31 August 2025).  Each measure with an amount
-- realises its own share of the expected midpoint (40–120 %, a hash of its
-- number), reached evenly over the year; Åtgärdsplan 2024–2026's measures are followed up each
-- quarter (several of them should be monthly: the report flags those), its
-- measure 9 only in words, its measure 10 (rents, a political decision) is
-- cancelled in September 2024, and Handlingsplan ekonomi 2025's measures are followed up at the
-- end of August and October 2025 beside the follow-up of June the plan has.
\ir plans.sql
-- (each measure's expected effect per year as measure_progress counts it:
-- a permanent level in every year from its start, a linked measure once)
CREATE TEMP TABLE plan_demo AS
SELECT e.measure_id, e.number, p.source, e.year, estimate(e.expected_low::sek, e.expected_high::sek) AS expected,
       0.4 + 0.8 * pg_temp.u(e.number + CASE p.source WHEN 'Åtgärdsplan 2024–2026' THEN 100 ELSE 0 END, 71) AS r
FROM measure_progress('2026-12-31') e JOIN action_plan p USING (plan_id)
WHERE p.source IN ('Handlingsplan ekonomi 2025', 'Åtgärdsplan 2024–2026') AND e.expected_high > 0;
INSERT INTO measure_follow_up (measure_id, as_of, year, achieved, status, comment)
SELECT d.measure_id, f.as_of, d.year,
       CASE WHEN d.source = 'Åtgärdsplan 2024–2026' AND d.number = 9 THEN NULL
            ELSE (round(sek_ore(mid(d.expected)) / 100.0 * d.r
                        * least(1, (f.as_of + 1 - make_date(d.year, 1, 1))::float8 / 365.0) / 1000) * 1000)::sek END,
       CASE WHEN d.source = 'Åtgärdsplan 2024–2026' AND d.number = 10 AND f.as_of >= DATE '2024-09-30' THEN 'cancelled'
            WHEN d.r >= 0.9 AND f.as_of >= make_date(d.year, 6, 30) THEN 'implemented'
            ELSE 'started' END,
       CASE WHEN d.source = 'Åtgärdsplan 2024–2026' AND d.number = 9 THEN 'Nyttokalkyler pågår; inget belopp ännu'
            WHEN d.source = 'Åtgärdsplan 2024–2026' AND d.number = 10 AND f.as_of >= DATE '2024-09-30' THEN 'Beslut om hyreshöjning fattades inte'
            ELSE 'Uppföljning enligt plan' END
FROM plan_demo d
JOIN (SELECT 'Åtgärdsplan 2024–2026' AS source, x::date AS as_of
      FROM unnest(ARRAY['2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31', '2025-03-31', '2025-06-30']) x
      UNION ALL
      SELECT 'Handlingsplan ekonomi 2025', x::date FROM unnest(ARRAY['2025-08-31', '2025-10-31']) x) f
  ON f.source = d.source AND f.as_of >= make_date(d.year, 1, 1)
WHERE NOT (d.source = 'Åtgärdsplan 2024–2026' AND d.number = 10 AND d.year > 2024);

-- The nightly forecasts: the ledger by unit and in total, refreshed as it
-- would have been at every month end from January 2021 (each refresh sees
-- only the entries up to its as_of).
-- The ledger belongs to the finance office's role, which registers it: the
-- refresh reads a ledger with the registering role's rights, never a
-- superuser's (docs/security.md).
DO $$ BEGIN CREATE ROLE demo_ekonomi NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
GRANT USAGE ON SCHEMA demo TO demo_ekonomi;
ALTER TABLE ledger OWNER TO demo_ekonomi;
GRANT INSERT ON forecast_ledger TO demo_ekonomi;
SET ROLE demo_ekonomi;
SELECT register_ledger('ledger', 'entry_date', 'amount', '{unit}') \g /dev/null
SELECT register_ledger('ledger', 'entry_date', 'amount', '{}') \g /dev/null
RESET ROLE;
DO $$
DECLARE
  d date;
BEGIN
  FOR d IN SELECT m::date - 1 FROM generate_series(DATE '2021-02-01', DATE '2023-09-01', interval '1 month') m LOOP
    CALL refresh_forecasts(d);
  END LOOP;
END
$$;

-- The finance office's own year-end forecast per unit at each month end
-- (Ekonomienhetens bedömning): generated as the comb forecast moved by a
-- judgement of −2 .. +2 % (a hash of the month and the unit), rounded to
-- 0,1 mnkr as the office writes it, and recorded with record_office_forecast
-- by the office's role
GRANT INSERT, UPDATE ON forecast_snapshot TO demo_ekonomi;
SET ROLE demo_ekonomi;
SELECT count(record_office_forecast('ledger', s.key, s.as_of,
         round(s.forecast::numeric * (1 + 0.01 * ((extract(month FROM s.as_of)::int * 7 + length(s.key ->> 'unit') * 3) % 5 - 2)), -5)::sek,
         'Ekonomienhetens bedömning'))
FROM forecast_snapshot s
WHERE s.ledger = 'ledger'::regclass AND s.method = 'comb' AND s.key ? 'unit' AND s.forecast IS NOT NULL \g /dev/null
RESET ROLE;

\if :{?demo_quiet}
\else
SELECT number_format(count(*)) AS n_placements, number_format((SELECT count(*) FROM facility_stay)) AS n_residents,
       number_format((SELECT count(*) FROM ledger)) AS n_entries, number_format((SELECT count(*) FROM forecast_snapshot)) AS n_snapshots,
       number_format(extract(epoch FROM clock_timestamp() - :'demo_t0')::numeric, 1) AS secs
FROM placement \gset
\echo 'Demokommunen (schemat demo):' :n_placements 'externa placeringar,' :n_residents 'vistelser i egna boenden,' :n_entries 'verifikationer 2018-01..2023-08,'
\echo :n_snapshots 'nattliga prognoser; genererad på' :secs 's.'
\endif

\ir peers_data.sql
\ir income_support_data.sql
