-- A generated region's placements and ledger for the municipalities in
-- :'munis' (an integer array, e.g. '{1,2,3}'), :n placements each: run on
-- each node for the municipalities it holds and on one server for all of
-- them, it makes the same rows (a hash of municipality and row number, no
-- random()), so that a merge over the nodes can be compared with a
-- single-node computation over the same rows.  Used by test/region.sh and
-- test/bench/region_bench.sh; needs the actionplan extension.
--   placement(municipality, id, stay, daily_cost): stays from 2019 on, 1 ..
--     720 days long, those not ended by 2025-06-30 open; 1 500 .. 4 499 kr a day
--   ledger(municipality, entry_date, amount): 12 rows a month 2019-01 ..
--     2025-06 in whole kronor (a monthly series' float sums are then exact
--     in any order), with a seasonal pattern and a trend
--   budget(municipality, year, annual) and the view ledger_budget: the
--     ledger's rows with their municipality's budget of the entry's year
SET client_min_messages = warning;
CREATE TABLE placement (municipality integer NOT NULL, id bigint NOT NULL,
                        stay daterange NOT NULL, daily_cost sek NOT NULL);
CREATE TABLE ledger (municipality integer NOT NULL, entry_date date NOT NULL, amount sek NOT NULL);
CREATE TABLE budget (municipality integer NOT NULL, year integer NOT NULL, annual sek NOT NULL,
                     PRIMARY KEY (municipality, year));

INSERT INTO placement
SELECT m, i, CASE WHEN s + len > date '2025-06-30' THEN daterange(s, NULL) ELSE daterange(s, s + len) END,
       sek_from_ore(150000 + (abs(hashint8(m * 10000000000 + i * 3 + 2)) % 3000) * 100)
FROM unnest(:'munis'::integer[]) m, generate_series(1, :n) i,
     LATERAL (SELECT date '2019-01-01' + (abs(hashint8(m * 10000000000 + i * 3)) % 2372)::int AS s,
                     1 + (abs(hashint8(m * 10000000000 + i * 3 + 1)) % 720)::int AS len) g;

INSERT INTO ledger
SELECT m, (mon + ((abs(hashint8(m * 1000000 + k * 100 + r)) % 28)::int))::date,
       ((20000 + 3000 * m) * (1 + 0.004 * k) * (1 + 0.15 * cos(2 * pi() * k / 12))
        + (abs(hashint8(m * 1000000 + k * 100 + r + 50)) % 4000) - 2000)::bigint
FROM unnest(:'munis'::integer[]) m, generate_series(0, 77) k,
     LATERAL (SELECT (date '2019-01-01' + make_interval(months => k))::date AS mon) x, generate_series(1, 12) r;

INSERT INTO budget
SELECT m, y, ((20000 + 3000 * m) * 12 * 12 * (1 + 0.05 * (y - 2019)))::bigint
FROM unnest(:'munis'::integer[]) m, generate_series(2019, 2025) y;

CREATE VIEW ledger_budget AS
SELECT l.municipality, l.entry_date, l.amount, b.annual
FROM ledger l JOIN budget b ON b.municipality = l.municipality
                           AND b.year = extract(year FROM l.entry_date)::integer;
ANALYZE placement, ledger, budget;
