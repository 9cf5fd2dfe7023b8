-- The HTML report: one self-contained file (inline CSS and SVG, no script)
-- written to :html with psql's \o; the sections are the views and charts of
-- demo/report_views.sql (included first).  Leaves psql in unaligned,
-- tuples-only output: the includer sets what it wants back.
--
-- Printed (the committee's paper, scripts/pdf.sh) it is A4: each table or
-- chart is a block kept on one page, a section's heading and intro are kept
-- with its first block, table rows are never split, and the wide section 2
-- goes on landscape pages (the named page "wide") so it keeps all columns.
CREATE TEMP TABLE html_section (ord int, h2 text, intro text, blocks text[], wide boolean DEFAULT false);
-- the headings and introductions are report_section's (demo/report_views.sql)
INSERT INTO html_section (ord, h2, intro, blocks)
SELECT r.ord, r.h2, r.intro, b.blocks
FROM report_section r JOIN (VALUES
  (1, ARRAY[pg_temp.html_table('r_sammanfattning')]),
  (2, ARRAY[pg_temp.html_table('r_verksamhet'), pg_temp.html_table('r_prognos_forandring'), pg_temp.svg_chart('fan'),
            pg_temp.svg_chart('period')]),
  (3, ARRAY[pg_temp.html_table('r_verksamhetsgrupp'), pg_temp.html_table('r_kontogrupp')]),
  (4, ARRAY[pg_temp.svg_chart('ppd'), pg_temp.html_table('r_externa_volym'), pg_temp.html_table('r_externa_kostnad'),
            pg_temp.html_table('r_externa_dygnskostnad'), pg_temp.html_table('r_externa_kategori'),
            pg_temp.html_table('r_volym_pris'), pg_temp.html_table('r_volym_pris_budget'), pg_temp.html_table('r_kanslighet')]),
  (5, ARRAY[pg_temp.html_table('r_belaggning')]),
  (6, ARRAY[pg_temp.html_table('r_plan_totaler'), pg_temp.html_table('r_plan_atgarder'), pg_temp.html_table('r_plan_kontroll')]),
  (7, ARRAY[pg_temp.html_table('r_prognossakerhet'), pg_temp.html_table('r_vem_narmast'), pg_temp.svg_chart('evolution'),
            pg_temp.html_table('r_prognos_ar')]),
  (8, ARRAY[pg_temp.html_table('r_personal')]),
  (9, ARRAY[pg_temp.html_table('r_jamforelse'), pg_temp.html_table('r_reform')]),
  (10, ARRAY[pg_temp.html_table('r_bistand_manad'), pg_temp.html_table('r_bistand_prognos'), pg_temp.html_table('r_bistand_atgard')]),
  (11, ARRAY[pg_temp.html_table('r_rapportkontroll')])
) b(ord, blocks) USING (ord);
-- the follow-up per unit (eleven columns) and the plans (long texts in
-- nine columns) are too wide for A4 portrait
UPDATE html_section SET wide = true WHERE ord IN (2, 6, 8, 10);
\pset format unaligned
\pset tuples_only on
\o :html
SELECT '<!DOCTYPE html>' || E'\n' || '<html lang="sv"><head><meta charset="utf-8"><title>' || pg_temp.esc(:'title_line') || '</title>'
    || '<style>body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:14px;margin:2em auto;max-width:1200px;color:#222}'
    || 'h1{font-size:22px}h2{font-size:18px;margin-top:2em;border-bottom:1px solid #ccc}'
    || 'table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:3px 7px;vertical-align:top}'
    || 'th{background:#eef1f5;text-align:left}td.num{text-align:right;white-space:nowrap}td.na{color:#999;text-align:center}'
    || 'svg{display:block;margin:1em 0;max-width:100%;height:auto}p.note{color:#555}'
    -- paper: A4 portrait, section 2 on landscape pages; a block (a heading
    -- with its intro and first table or chart, or a later table or chart)
    -- and a table row are never split, a heading never ends a page; the
    -- charts of a landscape page side by side
    || '@page{size:A4;margin:14mm 12mm}@page wide{size:A4 landscape;margin:12mm}'
    || '@media print{body{font-size:9.5pt;margin:0;max-width:none}h1{font-size:15pt;margin-top:0}h2{font-size:12.5pt;margin-top:1.2em}'
    || 'th,td{padding:2px 5px}table{margin:.6em 0}svg{margin:.6em 0}'
    || 'section.wide{page:wide}section.wide>.chart{display:inline-block;width:49.5%;vertical-align:top}'
    || 'h1,h2,p{break-after:avoid}.block,tr,svg{break-inside:avoid}thead{display:table-header-group}'
    || '*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}'
    || '</style></head><body>'
    || '<h1>' || pg_temp.esc(:'title_line') || '</h1>'
    || '<p class="note">Framtagen av actionplan i PostgreSQL: alla belopp, prognoser och intervall räknas av tilläggets funktioner '
    || 'över tabellerna i schemat ' || pg_temp.esc(:'data') || '. Per ' || pg_temp.esc(:'as_of') || '.</p>'
    || '<p class="note">' || pg_temp.esc(:'convention') || '</p>'
    || string_agg('<section' || CASE WHEN wide THEN ' class="wide"' ELSE '' END || '><div class="block"><h2>' || ord || '. ' || pg_temp.esc(h2) || '</h2>'
                  || coalesce('<p>' || pg_temp.esc(intro) || '</p>', '') || blocks[1] || '</div>'
                  || coalesce((SELECT string_agg('<div class="block' || CASE WHEN b LIKE '<svg%' THEN ' chart' ELSE '' END || '">' || b || '</div>', '' ORDER BY i)
                               FROM unnest(blocks[2:]) WITH ORDINALITY AS x(b, i)), '')
                  || '</section>', E'\n' ORDER BY ord)
    || '</body></html>'
FROM html_section;
\o
