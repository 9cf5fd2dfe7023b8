-- The monthly follow-up report (månadsuppföljning / delårsrapport) of the
-- demo municipality, in Swedish: printed in the terminal and written as one
-- self-contained HTML file with SVG charts (demo/report_html.sql).  The
-- figures are the views of demo/report_views.sql.
--
--   psql -v data=demo -v as_of=2023-08-31 -v plan_as_of=2025-08-31 \
--        -v html=demo/out/report.html -f demo/report.sql
\set ON_ERROR_STOP on
\if :{?html} \else \set html demo/out/report.html \endif
\ir report_views.sql
-- the tables by pg_temp.text_table (demo/html.sql): amounts right-aligned,
-- no line wider than 160 characters
\pset format unaligned
\pset tuples_only on

\echo
\echo '================================================================================'
\echo :title_line
\echo 'Alla belopp, prognoser och intervall räknas av actionplan i databasen.'
\echo '================================================================================'
\echo
\echo '1. Sammanfattning'
SELECT pg_temp.text_table('r_sammanfattning');
\echo
\echo '2. Ekonomiskt utfall och prognos per verksamhet (nettokostnad; kostnader negativa, positiv avvikelse = bättre än budget;'
\echo '   periodens budget i tolftedelar; prognos = verksamhetens nattliga prognos (komb.: ETS, theta, dämpad trend) med 95 % intervall;'
\echo '   nettokostnadens prognos = summan, intervallet med verksamheterna som oberoende)'
SELECT pg_temp.text_table('r_verksamhet');
\echo
\echo '3. Per verksamhetsgrupp (linjär helårsprognos)'
SELECT pg_temp.text_table('r_verksamhetsgrupp');
\echo
\echo '4. Externa vård- och behandlingskostnader: personer per dygn (helårsprognos = utfall hittills + prognos för pågående och nya placeringar)'
SELECT pg_temp.text_table('r_externa_volym');
\echo
\echo '   Kostnad och placeringsdriven prognos (kr, mnkr; kostnader positiva)'
SELECT pg_temp.text_table('r_externa_kostnad');
SELECT pg_temp.text_table('r_externa_dygnskostnad');
\echo
\echo '   Per kategori (median vårdtid enligt överlevnadskurvan, Kaplan–Meier)'
SELECT pg_temp.text_table('r_externa_kategori');
\echo
\echo '5. Beläggning i egen regi (ackumulerat = vårddygn ÷ platsdygn; totalt ovägt och vägt med platser)'
SELECT pg_temp.text_table('r_belaggning');
\echo
\echo '6. Handlingsplaner: förväntad och uppnådd effekt, täckning av kravet (uppföljda per' :plan_as_of')'
SELECT pg_temp.text_table('r_plan_totaler');
\echo
\echo '   Per åtgärd och år'
SELECT pg_temp.text_table('r_plan_atgarder');
\echo
\echo '   Kontroll av planerna som de är skrivna'
SELECT pg_temp.text_table('r_plan_kontroll');
\echo
\echo '7. Prognossäkerhet' :acc_years'. Medelabsolutfel i % av årets utfall, hela nämnden, per månad prognosen gjordes'
SELECT pg_temp.text_table('r_prognossakerhet');
\echo
\echo '   Helårsprognoserna' :y 'månad för månad (nettokostnad, positiva belopp)'
SELECT pg_temp.text_table('r_prognos_ar');

\ir report_html.sql
\pset format aligned
\pset tuples_only off
\echo
\echo 'HTML-rapporten med diagram:' :html
