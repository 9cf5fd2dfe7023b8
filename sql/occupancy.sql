-- Occupancy of own facilities, Jan–Aug 2023: the table of Delårsrapport 2 2023, Bilaga 3.
-- Care days per facility and month are chosen so that every monthly figure,
-- every facility's accumulated figure and the report's "Totalt" row round to
-- the report's percentages; the stays are one-day stays spread over each month.
CREATE TABLE facility (name text, places int);
INSERT INTO facility VALUES ('HVB ungdom', 29), ('Stödboende ungdom', 21),
  ('Stödboende vuxen', 51), ('Referensbostad', 14);
CREATE TABLE occupied (name text, month int, care_days int);
INSERT INTO occupied
SELECT name, m, (ARRAY[a1, a2, a3, a4, a5, a6, a7, a8])[m]
FROM (VALUES ('HVB ungdom', 845, 731, 890, 913, 908, 766, 656, 656),
             ('Stödboende ungdom', 430, 464, 514, 441, 573, 517, 514, 540),
             ('Stödboende vuxen', 1328, 1042, 1281, 979, 1138, 1224, 1360, 1312),
             ('Referensbostad', 434, 392, 434, 420, 434, 420, 434, 434))
     v(name, a1, a2, a3, a4, a5, a6, a7, a8), generate_series(1, 8) m;
-- each month's care days as one-day stays: k / D persons a day, one more on the first k % D days
CREATE TABLE own_stay AS
SELECT o.name, daterange(d::date, d::date + 1) AS stay, '1 200 kr'::sek AS daily_cost
FROM occupied o,
     LATERAL (SELECT make_date(2023, o.month, 1) AS first,
                     extract(day FROM make_date(2023, o.month, 1) + interval '1 month' - interval '1 day')::int AS ndays) m,
     LATERAL generate_series(m.first, m.first + (m.ndays - 1), interval '1 day') AS d,
     LATERAL generate_series(1, o.care_days / m.ndays + CASE WHEN extract(day FROM d)::int <= o.care_days % m.ndays THEN 1 ELSE 0 END);

CREATE TABLE facility_census AS
SELECT f.name, f.places, census(s.stay, s.daily_cost, '[2023-01-01,2023-09-01)') AS c
FROM facility f JOIN own_stay s USING (name) GROUP BY f.name, f.places;

-- per facility: monthly occupancy and the accumulated figure (place-day weighted
-- over the months, as the report's per-facility column is)
SELECT name, places,
       (SELECT string_agg(round(100 * b.care_days / (places * (upper(b.period) - lower(b.period)))::numeric)::text, ' '
                          ORDER BY b.period)
        FROM census_buckets(c, '1 month') b) AS "jan..aug %",
       round(100 * occupancy(c, places)::numeric) AS "ack %"
FROM facility_census ORDER BY places DESC;

-- "Totalt" as the report computes it: the unweighted mean of the facilities
SELECT string_agg(pct::text, ' ' ORDER BY month) AS "Totalt jan..aug %",
       (SELECT round(100 * avg(occupancy(c, places))::numeric) FROM facility_census) AS "Totalt ack % (unweighted)",
       (SELECT round(100 * occupancy(rollup(c), sum(places))::numeric) FROM facility_census) AS "ack % weighted by places"
FROM (SELECT lower(b.period) AS month,
             round(100 * avg(b.care_days / (places * (upper(b.period) - lower(b.period)))::numeric)) AS pct
      FROM facility_census, census_buckets(c, '1 month') b GROUP BY 1) t;
DROP TABLE facility, occupied, own_stay, facility_census;
