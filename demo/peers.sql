-- Section 9, Jämförelse med liknande kommuner: the demo municipality's cost
-- per inhabitant against its (generated) peer group's mean and median, the
-- gaps in kronor (gap per inhabitant × population), and the unfunded cost
-- of the reform Delårsrapport 2 2023 §2.3 describes (stronger protection of
-- children and adults exposed to violence from 2024: 228 kr per inhabitant
-- against a state grant of 37 kr per inhabitant).  The key figures are the
-- extension's tables kpi_value and peer_group (demo/peers_data.sql).
CREATE TEMP VIEW r_jamforelse AS
SELECT regexp_replace(c.title, ', kr/inv.*$', '') AS "Nyckeltal", c.year AS "År",
       number_format(c.value, 0) AS "Kommunen kr/inv",
       number_format(c.peer_mean, 0) AS "Medel",
       number_format(c.peer_median, 0) AS "Median",
       number_format(c.gap_mean, 0) AS "Skillnad kr/inv",
       sek_format(c.gap_mean_kr, 'mnkr') AS "Skillnad mot medel",
       sek_format(c.gap_median_kr, 'mnkr') AS "Skillnad mot median",
       format('%s av %s', c.rank, c.peers + 1) AS "Placering"
FROM rp, peer_comparison('DEMO', 'DEMO_LIKNANDE_IFO', rp.y - 3, rp.y - 1) c
ORDER BY CASE c.kpi WHEN 'DEMO_IFO' THEN 1 WHEN 'DEMO_BOU' THEN 2 ELSE 3 END, c.kpi, c.year;
CREATE TEMP VIEW r_reform AS
SELECT 'Skydd för våldsutsatta barn och vuxna (från 2024)' AS "Reform",
       number_format(228::numeric, 0) AS "Kostnad kr/inv (SKR)",
       number_format(37::numeric, 0) AS "Statsbidrag kr/inv",
       rp.y AS "År", number_format(population('DEMO', rp.y), 0) AS "Invånare",
       sek_format(unfunded_cost(228, 37, 'DEMO', rp.y), 'mnkr') AS "Ofinansierat per år"
FROM rp;
INSERT INTO report_section VALUES
  (9, 'Jämförelse med liknande kommuner',
   'Kostnad per invånare (kr/inv) mot gruppen Liknande kommuner IFO (sju kommuner; medelvärdet ovägt som i Kolada, '
   'kommunen själv inte med). Skillnaden är positiv när kommunen kostar mer per invånare än gruppen; i kronor är den '
   'skillnaden per invånare × kommunens invånare samma år. Placering 1 är lägst kostnad. Jämförelsekommunerna och '
   'kostnadsnyckeltalen är genererade för demon. Därefter den ofinansierade kostnaden för reformen om skydd för '
   'våldsutsatta barn och vuxna: (kostnad − statsbidrag) per invånare × invånare.');
