-- The demo municipality's income-support register (ekonomiskt bistånd),
-- GENERATED: one payment per household and month, January 2018 to August
-- 2023 (the demo's "today").  About 1 500 households a month, falling about
-- 2 % a year and 4 % higher in July and August than in winter; kronor per
-- household about 9 500 in 2018, rising 3 % a year, 6 % higher in December;
-- household-level amounts log-normal (sd 0,45 of the log); month-level noise
-- from pg_temp.u/z (deterministic).  Households persist: each month 45 of
-- the register's households leave and 45 new ones come (a rotating window
-- over a pool of ids).  From 1 March 2023 the demo's measure, modelled on
-- Åtgärdsplan 2024–2026's Åtgärd 6 (checks of large decisions, preventive
-- work through the labour-market unit), lowers amounts over 15 000 kr by 10 %
-- and the households by 2 %.  Included at the end of demo/municipality.sql.
CREATE TABLE income_support (household integer NOT NULL, month date NOT NULL, amount sek NOT NULL,
                             PRIMARY KEY (month, household));
COMMENT ON TABLE income_support IS 'Demo (generated): the income-support register (ekonomiskt bistånd), one payment per household and month 2018-01 .. 2023-08, with a season, a trend and the demo''s measure from March 2023 (demo/income_support_data.sql).';
WITH m AS (
  SELECT t, (DATE '2018-01-01' + make_interval(months => t))::date AS month FROM generate_series(0, 67) t),
n AS (
  SELECT t, month,
         round(1500 * 0.98 ^ (t / 12.0) * (1 + 0.02 * cos(2 * pi() * (extract(month FROM month) - 7.5) / 12))
               * (1 + 0.012 * pg_temp.z(t, 9101)) * CASE WHEN month >= '2023-03-01' THEN 0.98 ELSE 1 END)::int AS households,
         9500 * 1.03 ^ (t / 12.0) * CASE WHEN extract(month FROM month) = 12 THEN 1.06 ELSE 1 END
               * (1 + 0.01 * pg_temp.z(t, 9201)) AS mean_amount
  FROM m)
INSERT INTO income_support
SELECT 1 + (k - 1 + 45 * n.t) % 6000, n.month,
       (round((a * CASE WHEN n.month >= '2023-03-01' AND a > 15000 THEN 0.9 ELSE 1 END)::numeric, 0)::text || ' kr')::sek
FROM n, generate_series(1, n.households) k,
     -- log-normal around the month's mean (exp(−σ²/2) keeps the mean)
     LATERAL (SELECT n.mean_amount * exp(0.45 * pg_temp.z(n.t * 10000 + k, 9301) - 0.45 ^ 2 / 2) AS a) x;
ANALYZE income_support;
