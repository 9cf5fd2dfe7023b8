-- Rendering for the report (demo/report.sql): session-local functions
-- (pg_temp) that turn a report view into an HTML table or a terminal table
-- and the rows of the temp table chart_point into an SVG chart.  Plain SQL and string_agg; the
-- numbers are formatted by the extension (number_format), Swedish style.

-- text for HTML and XML
CREATE FUNCTION pg_temp.esc(t text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT replace(replace(replace(replace(t, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;') $$;

-- a cell that is a number, an amount, a per cent or a range of them (shown
-- right-aligned)
CREATE FUNCTION pg_temp.is_number(t text) RETURNS boolean LANGUAGE sql IMMUTABLE
  AS $$ SELECT t ~ '^-?[0-9][0-9 \u00a0,.\u2013%-]*( till -?[0-9][0-9 \u00a0,.]*)?( (%|kr|tkr|mnkr|mkr))?$' $$;

-- a report view as an HTML table: its columns in order as the header, NULL
-- as a dash, numbers right-aligned
CREATE FUNCTION pg_temp.html_table(view_name text, caption text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  rows json;
BEGIN
  EXECUTE format('SELECT json_agg(t) FROM %s t', view_name) INTO rows;
  IF rows IS NULL THEN
    RETURN '<p class="empty">(inga rader)</p>';
  END IF;
  RETURN '<table>' || coalesce('<caption>' || pg_temp.esc(caption) || '</caption>', '')
    || '<thead><tr>'
    || (SELECT string_agg('<th>' || pg_temp.esc(k) || '</th>', '' ORDER BY n)
        FROM json_object_keys(rows -> 0) WITH ORDINALITY AS h(k, n))
    || '</tr></thead><tbody>'
    || (SELECT string_agg('<tr>' || (
              SELECT string_agg(CASE WHEN c.value IS NULL THEN '<td class="na">—</td>'
                                     WHEN pg_temp.is_number(c.value) THEN '<td class="num">' || pg_temp.esc(c.value) || '</td>'
                                     ELSE '<td>' || pg_temp.esc(c.value) || '</td>' END, '' ORDER BY c.n)
              FROM json_each_text(r.row) WITH ORDINALITY AS c(key, value, n)) || '</tr>', '' ORDER BY r.i)
        FROM json_array_elements(rows) WITH ORDINALITY AS r(row, i))
    || '</tbody></table>';
END
$$;

-- t's words in lines of at most w characters (a longer word on a line of
-- its own)
CREATE FUNCTION pg_temp.wrap(t text, w int) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  lines text[] := '{}';
  cur text := '';
  word text;
BEGIN
  FOREACH word IN ARRAY regexp_split_to_array(btrim(t), '\s+') LOOP
    IF cur <> '' AND length(cur) + 1 + length(word) > w THEN
      lines := lines || cur;
      cur := word;
    ELSE
      cur := CASE WHEN cur = '' THEN word ELSE cur || ' ' || word END;
    END IF;
  END LOOP;
  RETURN lines || cur;
END
$$;

-- a report view as a terminal table no line of which is wider than width:
-- psql's aligned layout, NULL as a dash, numbers right-aligned, text cells
-- wrapped at 48 characters; a table still too wide is printed in parts, each
-- with the first column and as many of the next ones as fit
CREATE FUNCTION pg_temp.text_table(view_name text, width int DEFAULT 160) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  rows json;
  cols text[];
  w int[];
  right_col boolean[];
  part int[];
  parts text[] := '{}';
  nxt int;
BEGIN
  EXECUTE format('SELECT json_agg(t) FROM %s t', view_name) INTO rows;
  IF rows IS NULL THEN
    RETURN '(inga rader)';
  END IF;
  CREATE TEMP TABLE IF NOT EXISTS text_cell (i int, n int, lines text[], num boolean);
  TRUNCATE text_cell;
  INSERT INTO text_cell
  SELECT r.i, c.n, ARRAY[coalesce(c.value, '—')], c.value IS NULL OR pg_temp.is_number(c.value)
  FROM json_array_elements(rows) WITH ORDINALITY AS r(row, i),
       LATERAL json_each_text(r.row) WITH ORDINALITY AS c(key, value, n);
  SELECT array_agg(k ORDER BY n) INTO cols FROM json_object_keys(rows -> 0) WITH ORDINALITY AS h(k, n);
  -- a column of numbers (and dashes) is right-aligned, header too; a
  -- number among text (a year beside "Totalt") is right-aligned in its cell
  SELECT array_agg(b ORDER BY n) INTO right_col FROM (SELECT n, bool_and(num) AS b FROM text_cell GROUP BY n) s;
  -- text is wrapped only when the table is too wide
  IF (SELECT sum(greatest(length(cols[n]), m) + 3) - 1 FROM (SELECT n, max(length(lines[1])) AS m FROM text_cell GROUP BY n) s) > width THEN
    UPDATE text_cell SET lines = pg_temp.wrap(lines[1], 48) WHERE NOT right_col[n];
  END IF;
  SELECT array_agg(greatest(length(cols[n]), m) ORDER BY n) INTO w
  FROM (SELECT n, max(length(l)) AS m FROM text_cell, unnest(lines) l GROUP BY n) s;
  -- the parts: column 1, then columns 2.. while the line stays within width
  nxt := 2;
  LOOP
    part := ARRAY[1];
    WHILE nxt <= cardinality(cols) AND (cardinality(part) = 1
          OR (SELECT sum(w[p] + 3) FROM unnest(part) p) + w[nxt] + 1 <= width) LOOP
      part := part || nxt;
      nxt := nxt + 1;
    END LOOP;
    parts := parts || ((
      SELECT rtrim(' ' || string_agg(CASE WHEN right_col[p] THEN lpad(cols[p], w[p]) ELSE rpad(cols[p], w[p]) END, ' | ' ORDER BY o)) || E'\n'
          || string_agg(repeat('-', w[p] + 2), '+' ORDER BY o)
      FROM unnest(part) WITH ORDINALITY AS x(p, o))
      || (SELECT string_agg(E'\n' || rtrim(' ' || line), '' ORDER BY i, j)
          FROM (SELECT c.i, j, string_agg(CASE WHEN right_col[c.n] OR c.num THEN lpad(coalesce(c.lines[j], ''), w[c.n])
                                                 ELSE rpad(coalesce(c.lines[j], ''), w[c.n]) END, ' | ' ORDER BY x.o) AS line
                FROM unnest(part) WITH ORDINALITY AS x(p, o) JOIN text_cell c ON c.n = x.p,
                     generate_series(1, (SELECT max(cardinality(lines)) FROM text_cell d WHERE d.i = c.i)) j
                GROUP BY c.i, j) s));
    EXIT WHEN nxt > cardinality(cols);
  END LOOP;
  RETURN array_to_string(parts, E'\n\n');
END
$$;

-- the points of the charts: per chart and series, x as a date (a month) or
-- a category number with its label, y (or a band lo..hi); kind 'line',
-- 'dash', 'band' or 'bar'
CREATE TEMP TABLE chart (chart text PRIMARY KEY, title text, y_label text, y_decimals int DEFAULT 0,
                         x_kind text DEFAULT 'month', y_from_zero boolean DEFAULT true);
CREATE TEMP TABLE chart_point (chart text, series text, ord int, kind text, color text,
                               x date, xcat int, xlabel text, y float8, lo float8, hi float8);

-- a step for about five ticks: 1, 2 or 5 × 10^k
CREATE FUNCTION pg_temp.nice_step(span float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
  SELECT m * 10 ^ e
  FROM (SELECT floor(log(greatest(span, 1e-9) / 5)) AS e) p,
       LATERAL (SELECT min(m) AS m FROM unnest(ARRAY[1, 2, 5, 10]) m WHERE m * 10 ^ p.e >= span / 6) q $$;

CREATE FUNCTION pg_temp.month_sv(d date) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT (ARRAY['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'])[extract(month FROM d)::int] $$;

-- one chart as SVG: a frame 780 × 330, y axis with Swedish numbers and its
-- label, x axis by month (years, or months when it spans two years or less)
-- or by category, a legend under the title
CREATE FUNCTION pg_temp.svg_chart(name text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  c chart;
  w constant float8 := 780; h constant float8 := 330;
  l constant float8 := 78; r constant float8 := 20; t constant float8 := 58; b constant float8 := 40;
  ymin float8; ymax float8; step float8;
  x0 float8; x1 float8;
  nbar int;
  out text;
BEGIN
  SELECT * INTO c FROM chart WHERE chart.chart = name;
  SELECT min(least(y, lo)), max(greatest(y, hi)) INTO ymin, ymax FROM chart_point p WHERE p.chart = name;
  IF c.y_from_zero THEN
    ymin := least(0, ymin);
    ymax := greatest(0, ymax);
  END IF;
  step := pg_temp.nice_step(ymax - ymin);
  ymin := floor(ymin / step) * step;
  ymax := ceil(ymax / step) * step;
  IF c.x_kind = 'month' THEN
    SELECT min(extract(year FROM x) * 12 + extract(month FROM x) - 1), max(extract(year FROM x) * 12 + extract(month FROM x) - 1)
      INTO x0, x1 FROM chart_point p WHERE p.chart = name;
  ELSE
    SELECT min(xcat) - 0.5, max(xcat) + 0.5 INTO x0, x1 FROM chart_point p WHERE p.chart = name;
    SELECT count(DISTINCT series) INTO nbar FROM chart_point p WHERE p.chart = name AND kind = 'bar';
  END IF;
  IF x1 = x0 THEN x1 := x0 + 1; END IF;
  CREATE TEMP TABLE IF NOT EXISTS chart_xy (series text, ord int, kind text, color text, px float8, py float8, plo float8, phi float8, bar int);
  TRUNCATE chart_xy;
  INSERT INTO chart_xy
  SELECT p.series, p.ord, p.kind, p.color,
         l + (w - l - r) * (CASE WHEN c.x_kind = 'month' THEN extract(year FROM p.x) * 12 + extract(month FROM p.x) - 1
                                 ELSE p.xcat END - x0) / (x1 - x0),
         t + (h - t - b) * (ymax - p.y) / (ymax - ymin),
         t + (h - t - b) * (ymax - p.lo) / (ymax - ymin),
         t + (h - t - b) * (ymax - p.hi) / (ymax - ymin),
         dense_rank() OVER (PARTITION BY p.kind ORDER BY p.ord)::int
  FROM chart_point p WHERE p.chart = name;
  out := format('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="%s" font-family="sans-serif" font-size="12">',
                w, h, w, h, pg_temp.esc(c.title))
    || format('<text x="%s" y="18" font-size="15" font-weight="bold">%s</text>', l, pg_temp.esc(c.title))
    -- y grid and ticks
    || (SELECT string_agg(format('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s"/><text x="%s" y="%s" text-anchor="end">%s</text>',
                                 l, w - r, py, py, CASE WHEN v = 0 THEN '#555' ELSE '#ddd' END, l - 6, py + 4,
                                 pg_temp.esc(number_format(v, c.y_decimals))), '' ORDER BY v)
        FROM (SELECT v, t + (h - t - b) * (ymax - v) / (ymax - ymin) AS py
              FROM generate_series(0, round((ymax - ymin) / step)::int) k, LATERAL (SELECT ymin + k * step AS v) s) g)
    || format('<text transform="translate(16 %s) rotate(-90)" text-anchor="middle">%s</text>', (t + h - b) / 2, pg_temp.esc(c.y_label))
    || format('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#555"/>', l, l, t, h - b)
    -- x ticks
    || coalesce(CASE WHEN c.x_kind = 'month' THEN
         (SELECT string_agg(format('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#555"/><text x="%s" y="%s" text-anchor="middle">%s</text>',
                                   px, px, h - b, h - b + 5, px, h - b + 18, lab), '')
          FROM (SELECT l + (w - l - r) * (m - x0) / (x1 - x0) AS px,
                       CASE WHEN x1 - x0 > 24 THEN (m / 12)::int::text
                            ELSE pg_temp.month_sv(make_date((m / 12)::int, (m % 12)::int + 1, 1))
                                 || CASE WHEN m % 12 = 0 OR m = x0 THEN ' ' || (m / 12)::int ELSE '' END END AS lab
                FROM generate_series(x0::int, x1::int) m
                WHERE x1 - x0 <= 24 OR m % 12 = 0) s)
       ELSE
         (SELECT string_agg(DISTINCT format('<text x="%s" y="%s" text-anchor="middle">%s</text>',
                                            l + (w - l - r) * (xcat - x0) / (x1 - x0), h - b + 18, pg_temp.esc(xlabel)), '')
          FROM chart_point p WHERE p.chart = name) END, '')
    -- bands first, then bars, then lines
    || coalesce((SELECT string_agg(format('<polygon points="%s" fill="%s" fill-opacity="%s" stroke="none"><title>%s</title></polygon>',
                                          pts, color, op, pg_temp.esc(series)), '' ORDER BY ord)
                 FROM (SELECT series, ord, color, CASE WHEN min(ord) OVER (PARTITION BY color) = ord THEN 0.18 ELSE 0.3 END AS op,
                              string_agg(round(px::numeric, 1) || ',' || round(phi::numeric, 1), ' ' ORDER BY px)
                              || ' ' || string_agg(round(px::numeric, 1) || ',' || round(plo::numeric, 1), ' ' ORDER BY px DESC) AS pts
                       FROM chart_xy WHERE kind = 'band' GROUP BY series, ord, color) s), '')
    || coalesce((SELECT string_agg(format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>',
                                          round((px - bw * nbar / 2 + bw * (bar - 1))::numeric, 1), round(least(py, y0)::numeric, 1),
                                          round((bw * 0.9)::numeric, 1), round(abs(py - y0)::numeric, 1), color, pg_temp.esc(series)), '')
                 FROM chart_xy, LATERAL (SELECT (w - l - r) / (x1 - x0) * 0.8 / greatest(nbar, 1) AS bw,
                                                t + (h - t - b) * ymax / (ymax - ymin) AS y0) z
                 WHERE kind = 'bar'), '')
    || coalesce((SELECT string_agg(format('<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s><title>%s</title></polyline>',
                                          pts, color, CASE WHEN kind = 'dash' THEN ' stroke-dasharray="6 4"' ELSE '' END,
                                          pg_temp.esc(series)), '' ORDER BY ord)
                 FROM (SELECT series, ord, kind, color,
                              string_agg(round(px::numeric, 1) || ',' || round(py::numeric, 1), ' ' ORDER BY px) AS pts
                       FROM chart_xy WHERE kind IN ('line', 'dash') GROUP BY series, ord, kind, color) s), '')
    -- legend
    || (SELECT string_agg(format('<rect x="%s" y="30" width="14" height="%s" fill="%s"%s/><text x="%s" y="41">%s</text>',
                                 lx, CASE WHEN kind IN ('line', 'dash') THEN 3 ELSE 10 END, color,
                                 CASE WHEN kind = 'band' THEN ' fill-opacity="0.3"' ELSE '' END, lx + 18, pg_temp.esc(series)), '' ORDER BY ord)
        FROM (SELECT series, ord, kind, color,
                     l + coalesce(sum(length(series) * 6.5 + 34) OVER (ORDER BY ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS lx
              FROM (SELECT DISTINCT series, ord, kind, color FROM chart_xy) d) s)
    || '</svg>';
  RETURN out;
END
$$;
