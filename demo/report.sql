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

-- a section's heading and its introduction wrapped at 120 characters
CREATE FUNCTION pg_temp.heading(n int) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT E'\n' || ord || '. ' || h2
         || CASE WHEN intro IS NOT NULL
                 THEN E'\n' || array_to_string(ARRAY(SELECT '   ' || l FROM unnest(pg_temp.wrap(intro, 117)) l), E'\n') ELSE '' END
  FROM report_section WHERE ord = n $$;

\echo
\echo '================================================================================'
\echo :title_line
\echo 'Alla belopp, prognoser och intervall räknas av actionplan i databasen.'
SELECT array_to_string(pg_temp.wrap(:'convention', 120), E'\n');
\echo '================================================================================'
SELECT pg_temp.heading(1);
SELECT pg_temp.text_table('r_sammanfattning');
SELECT pg_temp.heading(2);
SELECT pg_temp.text_table('r_verksamhet');
\echo
\echo '   Prognosen mot föregående månad och ekonomienhetens bedömning'
SELECT pg_temp.text_table('r_prognos_forandring');
SELECT pg_temp.heading(3);
SELECT pg_temp.text_table('r_verksamhetsgrupp');
\echo
SELECT pg_temp.text_table('r_kontogrupp');
SELECT pg_temp.heading(4);
SELECT pg_temp.text_table('r_externa_volym');
\echo
\echo '   Kostnad och placeringsdriven prognos'
SELECT pg_temp.text_table('r_externa_kostnad');
SELECT pg_temp.text_table('r_externa_dygnskostnad');
\echo
\echo '   Per kategori (median vårdtid enligt överlevnadskurvan, Kaplan–Meier)'
SELECT pg_temp.text_table('r_externa_kategori');
\echo
\echo '   Volym och pris: avvikelse mot budgetens antaganden'
SELECT pg_temp.text_table('r_volym_pris');
SELECT pg_temp.text_table('r_volym_pris_budget');
\echo
\echo '   Känslighetsanalys'
SELECT pg_temp.text_table('r_kanslighet');
SELECT pg_temp.heading(5);
SELECT pg_temp.text_table('r_belaggning');
SELECT pg_temp.heading(6);
SELECT pg_temp.text_table('r_plan_totaler');
\echo
\echo '   Per åtgärd och år'
SELECT pg_temp.text_table('r_plan_atgarder');
\echo
\echo '   Kontroll av planerna som de är skrivna'
SELECT pg_temp.text_table('r_plan_kontroll');
SELECT pg_temp.heading(7);
SELECT pg_temp.text_table('r_prognossakerhet');
\echo
\echo '   Vems prognos var närmast:' :acc_years
SELECT pg_temp.text_table('r_vem_narmast');
\echo
\echo '   Helårsprognoserna' :y 'månad för månad'
SELECT pg_temp.text_table('r_prognos_ar');
SELECT pg_temp.heading(8);
SELECT pg_temp.text_table('r_personal');
SELECT pg_temp.heading(9);
SELECT pg_temp.text_table('r_jamforelse');
\echo
\echo '   Reformens ofinansierade kostnad'
SELECT pg_temp.text_table('r_reform');
SELECT pg_temp.heading(10);
SELECT pg_temp.text_table('r_bistand_manad');
\echo
\echo '   Helårsprognos'
SELECT pg_temp.text_table('r_bistand_prognos');
\echo
\echo '   Åtgärden'
SELECT pg_temp.text_table('r_bistand_atgard');
SELECT pg_temp.heading(11);
SELECT pg_temp.text_table('r_rapportkontroll');

\ir report_html.sql
\pset format aligned
\pset tuples_only off
\echo
\echo 'HTML-rapporten med diagram:' :html
