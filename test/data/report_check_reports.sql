-- The stated tables of two municipal reports, entered with the state_*
-- functions as the reports print them (figures as typed), for
-- test/report_check.sql: "Delårsrapport med prognos 2 för 2023"
-- (Socialnämnden, Örebro kommun; after August 2023) and "Resultatrapport"
-- of a social committee, December 2025.  Labels are the reports' own, told
-- apart where a report repeats one (two "Nettokostnad" rows in section 4.1).

SELECT state_report('DR2 2023', 'Delårsrapport med prognos 2 för 2023', '2023-08-31',
                    source => 'Socialnämnden, Örebro kommun');

-- 4.1 Enheternas delårsresultat och prognos (mnkr, costs negative).  The
-- first "Nettokostnad" adds the four units of own operations only;
-- Ensamkommande and external care come in the second.
SELECT state_table('DR2 2023', '4.1', 'Enheternas delårsresultat och prognos', unit => 'mnkr');
SELECT state_column('DR2 2023', '4.1', 'Bokslut 2022', 'outcome');
SELECT state_column('DR2 2023', '4.1', 'Budget 2023', 'budget');
SELECT state_column('DR2 2023', '4.1', 'Periodens budget', 'period_budget');
SELECT state_column('DR2 2023', '4.1', 'Periodens utfall', 'outcome');
SELECT state_column('DR2 2023', '4.1', 'Periodens avvikelse', 'deviation', '{Periodens budget,Periodens utfall}');
SELECT state_column('DR2 2023', '4.1', 'Prognos helår', 'forecast', '{Periodens utfall}');
SELECT state_column('DR2 2023', '4.1', 'Avvikelse budget–prognos helår', 'deviation', '{Budget 2023,Prognos helår}');
SELECT state_row('DR2 2023', '4.1', 'Nettokostnad');
SELECT state_row('DR2 2023', '4.1', 'Nettokostnad egen verksamhet', total => 'Nettokostnad');
SELECT state_row('DR2 2023', '4.1', r, total => 'Nettokostnad egen verksamhet')
FROM unnest(ARRAY['Övergripande & nämnd', 'Förebyggande & familjecentraler', 'Myndighet', 'Eget utförande']) r;
SELECT state_row('DR2 2023', '4.1', r, total => 'Nettokostnad')
FROM unnest(ARRAY['Ensamkommande', 'Externa vård- och behandlingskostnader']) r;
SELECT state_figures('DR2 2023', '4.1', 'Övergripande & nämnd', '{-11\,5,-27\,3,-18\,1,-17\,8,0\,3,-26\,1,1\,2}');
SELECT state_figures('DR2 2023', '4.1', 'Förebyggande & familjecentraler', '{-26\,0,-29\,4,-18\,7,-18\,9,-0\,2,-28\,4,0\,9}');
SELECT state_figures('DR2 2023', '4.1', 'Myndighet', '{-113\,4,-125\,7,-80\,0,-79\,5,0\,5,-125\,1,0\,6}');
SELECT state_figures('DR2 2023', '4.1', 'Eget utförande', '{-160\,9,-179\,3,-115\,1,-113\,3,1\,8,-178\,9,0\,4}');
SELECT state_figures('DR2 2023', '4.1', 'Ensamkommande', '{4\,5,-0\,7,-0\,4,-0\,4,0\,0,-0\,7,0\,0}');
SELECT state_figures('DR2 2023', '4.1', 'Nettokostnad egen verksamhet', '{-311\,9,-361\,7,-231\,9,-229\,4,2\,5,-358\,6,3\,1}');
SELECT state_figures('DR2 2023', '4.1', 'Externa vård- och behandlingskostnader', '{-329\,7,-292\,0,-194\,7,-276\,7,NULL,-376\,6,NULL}');
SELECT state_figure('DR2 2023', '4.1', 'Externa vård- och behandlingskostnader', 'Periodens avvikelse', '-82,0', 'periodens avvikelse, extern vård');
SELECT state_figure('DR2 2023', '4.1', 'Externa vård- och behandlingskostnader', 'Avvikelse budget–prognos helår', '-84,6', 'helårsavvikelse, extern vård');
SELECT state_figures('DR2 2023', '4.1', 'Nettokostnad', '{-637\,1,-654\,4,-427\,0,-506\,6,NULL,NULL,NULL}');
SELECT state_figure('DR2 2023', '4.1', 'Nettokostnad', 'Periodens avvikelse', '-79,6', 'periodens avvikelse, nämnden');
SELECT state_figure('DR2 2023', '4.1', 'Nettokostnad', 'Prognos helår', '-735,8', 'helårsprognos, nämnden');
SELECT state_figure('DR2 2023', '4.1', 'Nettokostnad', 'Avvikelse budget–prognos helår', '-81,5', 'helårsavvikelse, nämnden');

-- figures of the text that quote the table
SELECT state_quote('DR2 2023', '1. Förslag till beslut',
  'Efter augusti visar prognosen för 2023 ett förväntat underskott på 81,5 mnkr.', '-81,5 mnkr', 'helårsavvikelse, nämnden');
SELECT state_quote('DR2 2023', '4. Delårsresultat och prognos – ekonomi',
  'Socialnämnden har därmed ett underskott på 29,6 mnkr mot periodens budget.', '-29,6 mnkr', 'periodens avvikelse, nämnden');
SELECT state_quote('DR2 2023', '4.1 Enheternas delårsresultat och prognos',
  'Nämnden har ett underskott på 79,6 mnkr fram till och med augusti.', '-79,6 mnkr', 'periodens avvikelse, nämnden');
SELECT state_quote('DR2 2023', '4.3.4 Externa vård- och behandlingskostnader',
  'Avvikelsen för perioden visar ett underskott på 79,6 mnkr mot budget', '-79,6 mnkr', 'periodens avvikelse, extern vård');
SELECT state_quote('DR2 2023', '4.3.4 Externa vård- och behandlingskostnader',
  'prognosen visar ett underskott på 84,6 mnkr', '-84,6 mnkr', 'helårsavvikelse, extern vård');

-- 4.2 Intäkts- och kostnadsutveckling, by activity code (tkr, costs negative)
SELECT state_table('DR2 2023', '4.2 verksamhet', 'Intäkts- och kostnadsutveckling per verksamhetsgrupp', unit => 'tkr');
SELECT state_column('DR2 2023', '4.2 verksamhet', 'Bokslut 2022', 'outcome');
SELECT state_column('DR2 2023', '4.2 verksamhet', 'Ack. utfall aug 2022', 'outcome');
SELECT state_column('DR2 2023', '4.2 verksamhet', 'Budget 2023', 'budget');
SELECT state_column('DR2 2023', '4.2 verksamhet', 'Ack. utfall aug 2023', 'outcome');
SELECT state_column('DR2 2023', '4.2 verksamhet', 'Prognos helår (juli)', 'forecast');
SELECT state_column('DR2 2023', '4.2 verksamhet', 'Prognos helår (aug)', 'forecast', '{Ack. utfall aug 2023}');
SELECT state_column('DR2 2023', '4.2 verksamhet', 'Avvikelse prognos–budget', 'deviation', '{Budget 2023,Prognos helår (aug)}');
SELECT state_row('DR2 2023', '4.2 verksamhet', 'Total kostnad');
SELECT state_row('DR2 2023', '4.2 verksamhet', r, total => 'Total kostnad')
FROM unnest(ARRAY['100 Politisk verksamhet', '551 Missbruksvård vuxna', '553 Övrig individ o familjeomsorg',
                  '561 Barn och ungdomsvård', '600 Flyktingmottagande']) r;
SELECT state_figures('DR2 2023', '4.2 verksamhet', '100 Politisk verksamhet', '{-2 246,-1 478,-2 020,-1 681,-2 698,-2 399,-379}');
SELECT state_figures('DR2 2023', '4.2 verksamhet', '551 Missbruksvård vuxna', '{-109 250,-66 302,-50 846,-86 564,-49 713,-50 520,326}');
SELECT state_figures('DR2 2023', '4.2 verksamhet', '553 Övrig individ o familjeomsorg', '{-180 575,-116 534,-470 512,-136 860,-550 839,-555 652,-85 140}');
SELECT state_figures('DR2 2023', '4.2 verksamhet', '561 Barn och ungdomsvård', '{-349 163,-227 594,-130 318,-280 934,-129 095,-126 366,3 952}');
SELECT state_figures('DR2 2023', '4.2 verksamhet', '600 Flyktingmottagande', '{4 157,3 920,-680,-535,-708,-890,-210}');
SELECT state_figures('DR2 2023', '4.2 verksamhet', 'Total kostnad', '{-637 076,-407 988,-654 376,-506 574,-733 053,NULL,-81 451}');
SELECT state_figure('DR2 2023', '4.2 verksamhet', 'Total kostnad', 'Prognos helår (aug)', '-735 827', 'helårsprognos, nämnden');

-- 4.2 by account group (mnkr, costs negative)
SELECT state_table('DR2 2023', '4.2 kontogrupp', 'Intäkts- och kostnadsutveckling per kontogrupp', unit => 'mnkr');
SELECT state_column('DR2 2023', '4.2 kontogrupp', 'Bokslut 2022', 'outcome');
SELECT state_column('DR2 2023', '4.2 kontogrupp', 'Ack utfall tom aug 2022', 'outcome');
SELECT state_column('DR2 2023', '4.2 kontogrupp', 'Budget 2023', 'budget');
SELECT state_column('DR2 2023', '4.2 kontogrupp', 'Ack utfall tom aug 2023', 'outcome');
SELECT state_column('DR2 2023', '4.2 kontogrupp', 'Prognos augusti', 'forecast', '{Ack utfall tom aug 2023}');
SELECT state_column('DR2 2023', '4.2 kontogrupp', 'Avvikelse budget - prognos', 'deviation', '{Budget 2023,Prognos augusti}');
SELECT state_row('DR2 2023', '4.2 kontogrupp', 'Netto');
SELECT state_row('DR2 2023', '4.2 kontogrupp', 'Summa intäkter', total => 'Netto');
SELECT state_row('DR2 2023', '4.2 kontogrupp', 'Summa kostnader', total => 'Netto');
SELECT state_row('DR2 2023', '4.2 kontogrupp', r, total => 'Summa intäkter')
FROM unnest(ARRAY['Avgifter', 'Bidrag', 'Försäljning av verksamhet', 'Övriga intäkter']) r;
SELECT state_row('DR2 2023', '4.2 kontogrupp', r, total => 'Summa kostnader')
FROM unnest(ARRAY['Personalkostnader', 'Lokalkostnader', 'Köp av verksamhet', 'Köp från bemanningsföretag',
                  'Kapitalkostnader', 'Övriga kostnader']) r;
SELECT state_figures('DR2 2023', '4.2 kontogrupp', r, f) FROM (VALUES
  ('Avgifter', '{2\,0,1\,0,1\,7,0\,8,1\,7,0\,0}'::text[]),
  ('Bidrag', '{38\,1,23\,6,26\,3,22\,8,31\,3,5\,0}'),
  ('Försäljning av verksamhet', '{2\,7,1\,0,2\,7,1\,0,2\,8,0\,1}'),
  ('Övriga intäkter', '{3\,5,1\,5,4\,5,10\,8,17\,4,17\,4}'),
  ('Summa intäkter', '{46\,4,27\,2,35\,2,35\,4,53\,2,18\,0}'),
  ('Personalkostnader', '{-310\,6,-201\,0,-344\,0,-225\,4,-347\,7,-3\,7}'),
  ('Lokalkostnader', '{-30\,1,-18\,3,-33\,7,-22\,5,-33\,3,0\,4}'),
  ('Köp av verksamhet', '{-303\,6,-191\,2,-261\,5,-115\,8,-341\,2,-79\,7}'),
  ('Köp från bemanningsföretag', '{0\,0,0\,0,0\,0,0\,0,0\,0,0\,0}'),
  ('Kapitalkostnader', '{-0\,6,-0\,4,-0\,7,-0\,4,-0\,7,-0\,1}'),
  ('Övriga kostnader', '{-38\,5,-22\,7,-49\,5,-178\,0,-66\,2,-16\,6}'),
  ('Summa kostnader', '{-683\,5,-433\,6,-689\,6,-542\,0,-789\,0,-99\,7}'),
  ('Netto', '{-637\,1,-406\,3,-654\,3,-506\,6,-735\,8,-81\,5}')) v(r, f);

-- 4.3.4 Externa insatser: persons per day, cost per care day and total cost
-- per year (costs positive; the years' days for volume × price)
SELECT state_table('DR2 2023', '4.3.4', 'Externa insatser', costs_negative => false);
SELECT state_column('DR2 2023', '4.3.4', y::text, 'outcome', days => make_date(y + 1, 1, 1) - make_date(y, 1, 1))
FROM generate_series(2017, 2022) y;
SELECT state_column('DR2 2023', '4.3.4', 'Budget 2023', 'budget', days => 365);
SELECT state_column('DR2 2023', '4.3.4', 'Jan–aug 2023', 'outcome', days => 243);
SELECT state_column('DR2 2023', '4.3.4', 'Prognos 2023', 'forecast', days => 365);
SELECT state_column('DR2 2023', '4.3.4', 'Avvikelse prognos–budget', 'deviation', '{Budget 2023,Prognos 2023}');
SELECT state_row('DR2 2023', '4.3.4', 'Totalt antal i insats (snitt per dygn)', 'volume', unit => 'st');
SELECT state_row('DR2 2023', '4.3.4', r, 'volume', total => 'Totalt antal i insats (snitt per dygn)', unit => 'st')
FROM unnest(ARRAY['Barn (snitt per dygn)', 'Unga (snitt per dygn)', 'Vuxna (snitt per dygn)']) r;
SELECT state_row('DR2 2023', '4.3.4', 'Genomsnittlig kostnad (kronor per dygn)', 'price', unit => 'kr');
SELECT state_row('DR2 2023', '4.3.4', 'Total kostnad (mnkr)', 'amount',
                 '{Totalt antal i insats (snitt per dygn),Genomsnittlig kostnad (kronor per dygn)}', unit => 'mnkr');
SELECT state_figures('DR2 2023', '4.3.4', r, f) FROM (VALUES
  ('Totalt antal i insats (snitt per dygn)', '{343,388,414,389,398,425,383,461,NULL,-54}'::text[]),
  ('Barn (snitt per dygn)', '{133,139,135,134,134,141,139,165,NULL,-37}'),
  ('Unga (snitt per dygn)', '{138,141,142,133,133,151,133,154,NULL,-26}'),
  ('Vuxna (snitt per dygn)', '{72,108,136,113,123,122,99,134,NULL,-27}'),
  ('Genomsnittlig kostnad (kronor per dygn)', '{2 610,2 225,NULL,NULL,NULL,NULL,2 648,2 982,NULL,-259}'),
  ('Total kostnad (mnkr)', '{237\,5,279\,6,301\,3,285\,6,307\,2,330\,0,292\,0,NULL,376\,6,-85}')) v(r, f);
SELECT state_figure('DR2 2023', '4.3.4', 'Genomsnittlig kostnad (kronor per dygn)', y::text, f, 'kostnad per vårddygn ' || y)
FROM (VALUES (2019, '2 486'), (2020, '2 611'), (2021, '2 690'), (2022, '2 648')) v(y, f);

-- 5. Fem år i sammandrag: the same cost per care day, year by year
SELECT state_table('DR2 2023', '5', 'Fem år i sammandrag', costs_negative => false);
SELECT state_column('DR2 2023', '5', 'Utfall ' || y, 'outcome') FROM generate_series(2019, 2022) y;
SELECT state_row('DR2 2023', '5', 'Genomsnittlig kostnad per vårddygn (ovägt medelvärde)', 'price');
SELECT state_figure('DR2 2023', '5', 'Genomsnittlig kostnad per vårddygn (ovägt medelvärde)', 'Utfall ' || y, f, 'kostnad per vårddygn ' || y)
FROM (VALUES (2019, '2 486 kr'), (2020, '2 686 kr'), (2021, '2 690 kr'), (2022, '2648 kr')) v(y, f);

-- Resultatrapport, December 2025: each unit's year-end deviation (with
-- November's beside it) and the committee's result in the text
SELECT state_report('Resultatrapport dec 2025', 'Resultatrapport, socialnämnden, december 2025', '2025-12-31');
SELECT state_table('Resultatrapport dec 2025', '2', 'Resultat per verksamhetsområde', unit => 'mnkr');
SELECT state_column('Resultatrapport dec 2025', '2', 'Avvikelse december', 'deviation');
SELECT state_column('Resultatrapport dec 2025', '2', 'Avvikelse november', 'deviation');
SELECT state_row('Resultatrapport dec 2025', '2', 'Nämnden');
SELECT state_row('Resultatrapport dec 2025', '2', r, total => 'Nämnden') FROM (VALUES
  (1, 'Utredningsenhet vuxen'), (2, 'Utredningsenhet barn'), (3, 'Rekryteringsenheten'), (4, 'Utredningsenhet ungdom'),
  (5, 'Familjehemsenheterna stöd och myndighet'), (6, 'Enheten för våld i nära relation'), (7, 'Tillståndsenheten'),
  (8, 'Utredningsenhet boende'), (9, 'Förebyggande insatser och aktiviteter'), (10, 'Öppenvård och stödboende'),
  (11, 'Flyktingboende'), (12, 'Utveckling och stöd'), (13, 'Övergripande samt mindre verksamheter')) v(i, r) ORDER BY i;
SELECT state_figures('Resultatrapport dec 2025', '2', r, ARRAY[d, n]) FROM (VALUES
  ('Utredningsenhet vuxen', '-6,0 mnkr', '-5,6 mnkr'), ('Utredningsenhet barn', '-1,4 mnkr', '-1,1 mnkr'),
  ('Rekryteringsenheten', '+12,3 mnkr', '+11,4 mnkr'), ('Utredningsenhet ungdom', '+19,7 mnkr', '+19,4 mnkr'),
  ('Familjehemsenheterna stöd och myndighet', '-15,0 mnkr', '-11,9 mnkr'),
  ('Enheten för våld i nära relation', '+9,1 mnkr', '+8,7 mnkr'), ('Tillståndsenheten', '+0,4 mnkr', '+0,7 mnkr'),
  ('Utredningsenhet boende', '+1,5 mnkr', '+1,3 mnkr'), ('Förebyggande insatser och aktiviteter', '+5,9 mnkr', '+1,7 mnkr'),
  ('Öppenvård och stödboende', '+3,7 mnkr', '+3,7 mnkr'), ('Flyktingboende', '-1,9 mnkr', '-1,7 mnkr'),
  ('Utveckling och stöd', '-3,9 mnkr', '-3,4 mnkr'), ('Övergripande samt mindre verksamheter', '+7,6 mnkr', '+6,8 mnkr')) v(r, d, n);
SELECT state_figure('Resultatrapport dec 2025', '2', 'Nämnden', 'Avvikelse december', '+32,8 mnkr', 'årets resultat');
SELECT state_quote('Resultatrapport dec 2025', '2 Resultat',
  'Årets resultat uppgår till +32,8 mnkr för hela nämndens ansvarsområde.', '+32,8 mnkr', 'årets resultat');
