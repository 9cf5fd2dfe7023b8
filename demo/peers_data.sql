-- Key figures of the demo municipality and seven generated peers
-- (liknande kommuner), for the report's comparison (demo/peers.sql).  All
-- generated: the municipalities DEMO and DEMO01..DEMO07 and the cost KPIs
-- DEMO_* are not Kolada's (their ids say so); only N01951, the population,
-- is Kolada's id, and the demo's own population is Delårsrapport 2 2023's
-- (Fem år i sammandrag: 156 381, 156 888, 158 057 and 159 050 for 2023).
-- The peers' costs are the demo's times a factor per peer and a small
-- deterministic wobble per year.  The finance office's role loads them as
-- a Kolada export (CSV with semicolons and decimal commas) with
-- load_kpi_values, so the rows are its own (loaded_by).
GRANT INSERT, UPDATE, DELETE ON kpi, municipality, kpi_value, peer_group, peer_group_member TO demo_ekonomi;
SET ROLE demo_ekonomi;
INSERT INTO kpi (kpi, title, unit) VALUES
  ('N01951', 'Invånare totalt, antal', 'antal'),
  ('DEMO_IFO', 'Kostnad individ- och familjeomsorg, kr/inv (genererad)', 'kr/inv'),
  ('DEMO_BOU', 'Kostnad barn och ungdomsvård, kr/inv (genererad)', 'kr/inv'),
  ('DEMO_EKB', 'Kostnad ekonomiskt bistånd, kr/inv (genererad)', 'kr/inv');
INSERT INTO municipality (municipality, name)
SELECT 'DEMO', 'Demokommunen (genererad)'
UNION ALL
SELECT format('DEMO%s', lpad(i::text, 2, '0')), format('Jämförelsekommun %s (genererad)', i) FROM generate_series(1, 7) i;
INSERT INTO peer_group (peer_group, title, basis) VALUES
  ('DEMO_LIKNANDE_IFO', 'Liknande kommuner IFO, Demokommunen (genererad)',
   'Genererad för demon: sju kommuner med liknande struktur, som Koladas grupper Liknande kommuner IFO.');
INSERT INTO peer_group_member (peer_group, municipality)
SELECT 'DEMO_LIKNANDE_IFO', format('DEMO%s', lpad(i::text, 2, '0')) FROM generate_series(1, 7) i;

WITH peer(i, f, pop) AS (
  VALUES (0, 1.00, NULL::int), (1, 0.86, 98400), (2, 0.92, 104200), (3, 0.95, 131600), (4, 0.97, 152300),
         (5, 1.01, 121800), (6, 0.90, 165400), (7, 1.08, 117900)),
cost(kpi, base, growth) AS (VALUES ('DEMO_IFO', 4520, 0.04), ('DEMO_BOU', 2310, 0.05), ('DEMO_EKB', 1020, 0.02)),
v AS (
  SELECT c.kpi, p.i, y,
         round(c.base * p.f * (1 + c.growth) ^ (y - 2020)
               * CASE WHEN p.i = 0 THEN 1 ELSE 1 + 0.01 * ((p.i * 7 + y + length(c.kpi)) % 5 - 2) END) AS value
  FROM cost c, peer p, generate_series(2020, 2022) y
  UNION ALL
  SELECT 'N01951', p.i, y,
         CASE WHEN p.i = 0 THEN (ARRAY[156381, 156888, 158057, 159050])[y - 2019]
              ELSE round(p.pop * 1.006 ^ (y - 2020)) END
  FROM peer p, generate_series(2020, 2023) y)
SELECT 'kpi;municipality;period;gender;value' || E'\n'
       || string_agg(format('%s;%s;%s;T;%s', v.kpi, CASE WHEN v.i = 0 THEN 'DEMO' ELSE format('DEMO%s', lpad(v.i::text, 2, '0')) END,
                            v.y, number_format(v.value, 0)), E'\n' ORDER BY v.kpi, v.i, v.y) AS peers_csv
FROM v \gset
SELECT loaded AS peers_loaded FROM load_kpi_values(:'peers_csv', 'Genererad (demo/peers_data.sql)') \gset
RESET ROLE;
