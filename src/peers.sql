-- Comparison with other municipalities (jämförelse med liknande kommuner):
-- key figures per municipality and year in the shape of Kolada (the
-- municipal statistics service of RKA: a KPI id such as N01951, a
-- municipality code such as 0180, a year, a gender T/K/M and a value),
-- peer groups, cost per inhabitant, a municipality's gap to its peers' mean
-- and median in kronor, and the unfunded cost of a reform in kronor per
-- inhabitant × population (Delårsrapport 2 2023: (228 − 37) kr × 159 050
-- invånare = 30,4 mnkr a year).  The tables are the finance office's (it
-- loads them, load_kpi_values reads a Kolada export); everyone reads them.

CREATE TABLE kpi (
  kpi text PRIMARY KEY,
  title text NOT NULL,
  unit text NOT NULL,
  loaded_by name NOT NULL DEFAULT CURRENT_USER,
  CONSTRAINT kpi_id CHECK (kpi OPERATOR(pg_catalog.~) '^[A-Za-z0-9_]{1,32}$'));
COMMENT ON TABLE kpi IS 'Key figures (nyckeltal) as Kolada names them: id (N01951 is the population, Invånare totalt, antal), title and unit (''kr/inv'' for kronor per inhabitant: peer_comparison turns only those into kronor; ''antal'', ''%'', …). loaded_by is the role that wrote the row: row-level security lets only it (and roles with its privileges) change it; everyone reads.';

CREATE TABLE municipality (
  municipality text PRIMARY KEY,
  name text NOT NULL,
  loaded_by name NOT NULL DEFAULT CURRENT_USER,
  CONSTRAINT municipality_code CHECK (municipality OPERATOR(pg_catalog.~) '^[A-Za-z0-9_]{1,32}$'));
COMMENT ON TABLE municipality IS 'Municipalities by code (Kolada''s id: ''0180'' Stockholm, ''1880'' Örebro) and name. loaded_by as in kpi.';

CREATE TABLE kpi_value (
  kpi text NOT NULL REFERENCES kpi,
  municipality text NOT NULL REFERENCES municipality,
  year integer NOT NULL,
  gender text NOT NULL DEFAULT 'T',
  value numeric NOT NULL,
  source text,
  loaded_by name NOT NULL DEFAULT CURRENT_USER,
  loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  PRIMARY KEY (kpi, municipality, year, gender),
  CONSTRAINT kpi_value_year CHECK (year BETWEEN 1900 AND 2999),
  CONSTRAINT kpi_value_gender CHECK (gender IN ('T', 'K', 'M')));
COMMENT ON TABLE kpi_value IS 'A key figure''s value for a municipality and year (Kolada''s period) and gender (T total, K women, M men, as Kolada; the comparisons read T), with where it came from (source) and who loaded it when. The population is the KPI N01951. Written by load_kpi_values or INSERT; loaded_by as in kpi.';

CREATE TABLE peer_group (
  peer_group text PRIMARY KEY,
  title text NOT NULL,
  basis text,
  loaded_by name NOT NULL DEFAULT CURRENT_USER);
COMMENT ON TABLE peer_group IS 'Groups of municipalities to compare with (Kolada''s "Liknande kommuner IFO" groups, or the office''s own choice): id, title and what the grouping rests on (basis). loaded_by as in kpi.';

CREATE TABLE peer_group_member (
  peer_group text NOT NULL REFERENCES peer_group ON DELETE CASCADE,
  municipality text NOT NULL REFERENCES municipality,
  loaded_by name NOT NULL DEFAULT CURRENT_USER,
  PRIMARY KEY (peer_group, municipality));
COMMENT ON TABLE peer_group_member IS 'The municipalities of a peer group. A municipality compared with a group it belongs to is left out of its own peers. loaded_by as in kpi.';

-- Published statistics: everyone reads every row; a role writes only rows
-- it loaded itself (or as a role whose privileges it has), so one office's
-- figures cannot be rewritten by another role with INSERT/UPDATE rights.
-- The same for each of the five tables, which pg_dump keeps.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['kpi', 'municipality', 'kpi_value', 'peer_group', 'peer_group_member'] LOOP
    PERFORM pg_catalog.pg_extension_config_dump(pg_catalog.format('@extschema@.%I', t)::pg_catalog.regclass, '');
    EXECUTE pg_catalog.format('ALTER TABLE @extschema@.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE pg_catalog.format('CREATE POLICY %I ON @extschema@.%I FOR SELECT USING (true)', t || '_read', t);
    EXECUTE pg_catalog.format('CREATE POLICY %I ON @extschema@.%I FOR ALL USING (@extschema@.acts_as(loaded_by)) '
                              'WITH CHECK (@extschema@.acts_as(loaded_by))', t || '_loader', t);
    EXECUTE pg_catalog.format('COMMENT ON POLICY %I ON @extschema@.%I IS %L', t || '_read', t,
                              'Published statistics: every role reads every row.');
    EXECUTE pg_catalog.format('COMMENT ON POLICY %I ON @extschema@.%I IS %L', t || '_loader', t,
                              'A role with INSERT, UPDATE or DELETE on the table writes only rows loaded by itself or a role it has the privileges of (loaded_by).');
    EXECUTE pg_catalog.format('GRANT SELECT ON @extschema@.%I TO PUBLIC', t);
  END LOOP;
END
$$;

-- The population (N01951, total) of a municipality in a year.
CREATE FUNCTION population(municipality text, year integer) RETURNS numeric
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  p numeric;
BEGIN
  IF NOT EXISTS (SELECT FROM @extschema@.municipality m WHERE m.municipality = population.municipality) THEN
    RAISE EXCEPTION 'unknown municipality %', quote_literal(population.municipality) USING ERRCODE = '42704',
      HINT = 'Add it to the table municipality (code and name) first.';
  END IF;
  SELECT v.value INTO p FROM @extschema@.kpi_value v
  WHERE v.kpi = 'N01951' AND v.municipality = population.municipality AND v.year = population.year AND v.gender = 'T';
  IF p IS NULL THEN
    RAISE EXCEPTION 'no population (N01951) of municipality % in %', population.municipality, population.year
      USING ERRCODE = 'P0002', HINT = 'Load Kolada''s N01951 (Invånare totalt, antal) for that year with load_kpi_values.';
  END IF;
  RETURN p;
END
$$;
COMMENT ON FUNCTION population(text, integer) IS 'The population of a municipality in a year: its value of Kolada''s N01951 (Invånare totalt, antal), gender T, in kpi_value. An unknown municipality is ERROR 42704, no such value P0002; NULL in, NULL out.';

-- A cost in kronor per inhabitant.
CREATE FUNCTION cost_per_inhabitant(cost numeric, population numeric) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF population <= 0 OR population > 100000000 THEN
    RAISE EXCEPTION 'population % is outside 1 .. 100 000 000', population USING ERRCODE = '22023';
  END IF;
  RETURN round(cost / population, 2);
END
$$;
COMMENT ON FUNCTION cost_per_inhabitant(numeric, numeric) IS 'A cost in kronor divided by the population: kronor per inhabitant (kr/inv, as Kolada''s cost KPIs), numeric with two decimals; the sign of cost is kept. A population of 0 or less or over 100 000 000 is ERROR 22023; NULL in, NULL out.';

CREATE FUNCTION cost_per_inhabitant(cost numeric, municipality text, year integer) RETURNS numeric
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN @extschema@.cost_per_inhabitant(cost, @extschema@.population(municipality, year));
COMMENT ON FUNCTION cost_per_inhabitant(numeric, text, integer) IS 'A cost in kronor per inhabitant of the municipality in year (its population, N01951, in kpi_value). Errors as population(municipality, year) and cost_per_inhabitant(cost, population).';

-- What a reform costs that its funding does not cover.
CREATE FUNCTION unfunded_cost(cost_per_inhabitant numeric, funding_per_inhabitant numeric, population numeric) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF cost_per_inhabitant < 0 OR funding_per_inhabitant < 0 THEN
    RAISE EXCEPTION 'cost % and funding % per inhabitant must not be negative', cost_per_inhabitant, funding_per_inhabitant
      USING ERRCODE = '22023', HINT = 'Give both as positive kronor per inhabitant, e.g. 228 and 37.';
  END IF;
  IF cost_per_inhabitant > 1000000 OR funding_per_inhabitant > 1000000 THEN
    RAISE EXCEPTION 'cost % or funding % per inhabitant is over 1 000 000 kr', cost_per_inhabitant, funding_per_inhabitant
      USING ERRCODE = '22023';
  END IF;
  IF population <= 0 OR population > 100000000 THEN
    RAISE EXCEPTION 'population % is outside 1 .. 100 000 000', population USING ERRCODE = '22023';
  END IF;
  RETURN round((cost_per_inhabitant - funding_per_inhabitant) * population, 2);
END
$$;
COMMENT ON FUNCTION unfunded_cost(numeric, numeric, numeric) IS 'The cost of a reform that its funding does not cover, in kronor a year: (cost − funding per inhabitant) × population, numeric with two decimals; negative when the funding exceeds the cost. Delårsrapport 2 2023: the stronger protection of children and adults exposed to violence from 2024 costs 228 kr per inhabitant (SKR''s estimate) against a general state grant raised by 37 kr per inhabitant, which for 159 050 inhabitants leaves 30 378 550 kr = 30,4 mnkr a year unfunded. A negative cost or funding, either over 1 000 000 kr, or a population outside 1 .. 100 000 000 is ERROR 22023; NULL in, NULL out.';

CREATE FUNCTION unfunded_cost(cost_per_inhabitant numeric, funding_per_inhabitant numeric, municipality text, year integer) RETURNS numeric
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN @extschema@.unfunded_cost(cost_per_inhabitant, funding_per_inhabitant, @extschema@.population(municipality, year));
COMMENT ON FUNCTION unfunded_cost(numeric, numeric, text, integer) IS 'unfunded_cost with the population of the municipality in year (N01951 in kpi_value). Errors as population(municipality, year) and unfunded_cost(cost, funding, population).';

-- A municipality against its peers, per KPI and year.
CREATE FUNCTION peer_comparison(municipality text, peer_group text, first_year integer, last_year integer DEFAULT NULL,
                                kpis text[] DEFAULT NULL)
RETURNS TABLE (kpi text, title text, unit text, year integer, value numeric, peers integer,
               peer_mean numeric, peer_median numeric, peer_min numeric, peer_max numeric,
               gap_mean numeric, gap_median numeric, population numeric, gap_mean_kr numeric, gap_median_kr numeric,
               rank integer, note text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
  m text := peer_comparison.municipality;
  g text := peer_comparison.peer_group;
  y0 integer := peer_comparison.first_year;
  y1 integer := coalesce(peer_comparison.last_year, peer_comparison.first_year);
  ks text[] := peer_comparison.kpis;
  bad text;
BEGIN
  IF m IS NULL OR g IS NULL OR y0 IS NULL THEN
    RAISE EXCEPTION 'municipality, peer group and first year must not be NULL' USING ERRCODE = '22004';
  END IF;
  IF y0 < 1900 OR y0 > 2999 OR y1 < 1900 OR y1 > 2999 OR y1 < y0 THEN
    RAISE EXCEPTION 'years % .. % are not a period within 1900 .. 2999', y0, y1 USING ERRCODE = '22023',
      HINT = 'Give first_year, and last_year (default first_year) not before it.';
  END IF;
  IF NOT EXISTS (SELECT FROM @extschema@.municipality x WHERE x.municipality = m) THEN
    RAISE EXCEPTION 'unknown municipality %', quote_literal(m) USING ERRCODE = '42704',
      HINT = 'Add it to the table municipality (code and name) first.';
  END IF;
  IF NOT EXISTS (SELECT FROM @extschema@.peer_group x WHERE x.peer_group = g) THEN
    RAISE EXCEPTION 'unknown peer group %', quote_literal(g) USING ERRCODE = '42704',
      HINT = 'Add it to peer_group and its municipalities to peer_group_member.';
  END IF;
  SELECT string_agg(coalesce(quote_literal(k), 'NULL'), ', ') INTO bad
  FROM unnest(ks) k WHERE NOT EXISTS (SELECT FROM @extschema@.kpi x WHERE x.kpi = k);
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'unknown KPI %', bad USING ERRCODE = '42704', HINT = 'Add it to the table kpi (id, title, unit) first.';
  END IF;
  RETURN QUERY
  WITH own AS (
    SELECT v.kpi, v.year, v.value FROM @extschema@.kpi_value v
    WHERE v.municipality = m AND v.gender = 'T' AND v.year BETWEEN y0 AND y1
      AND (ks IS NULL AND v.kpi <> 'N01951' OR v.kpi = ANY (ks))),
  peer AS (
    SELECT v.kpi, v.year, v.value
    FROM @extschema@.kpi_value v
    JOIN @extschema@.peer_group_member pm ON pm.municipality = v.municipality AND pm.peer_group = g
    JOIN own o ON o.kpi = v.kpi AND o.year = v.year
    WHERE v.gender = 'T' AND v.municipality <> m),
  s AS (
    SELECT p.kpi, p.year, count(*)::integer AS n, avg(p.value) AS mean,
           array_agg(p.value ORDER BY p.value) AS vals, min(p.value) AS lo, max(p.value) AS hi
    FROM peer p GROUP BY p.kpi, p.year),
  r AS (
    -- the median: the middle value, or the mean of the two middle ones
    SELECT o.kpi, k.title, k.unit, o.year, o.value, coalesce(s.n, 0) AS n, s.mean,
           (s.vals[(s.n + 1) / 2] + s.vals[(s.n + 2) / 2]) / 2 AS median, s.lo, s.hi,
           lower(btrim(k.unit)) = 'kr/inv' AS per_inhabitant,
           (SELECT pv.value FROM @extschema@.kpi_value pv
            WHERE pv.kpi = 'N01951' AND pv.municipality = m AND pv.year = o.year AND pv.gender = 'T') AS pop,
           1 + (SELECT count(*) FROM peer p WHERE p.kpi = o.kpi AND p.year = o.year AND p.value < o.value)::integer AS rk
    FROM own o JOIN @extschema@.kpi k ON k.kpi = o.kpi
    LEFT JOIN s ON s.kpi = o.kpi AND s.year = o.year)
  SELECT r.kpi, r.title, r.unit, r.year, r.value, r.n, round(r.mean, 2), round(r.median, 2), r.lo, r.hi,
         round(r.value - r.mean, 2), round(r.value - r.median, 2), r.pop,
         CASE WHEN r.per_inhabitant THEN round((r.value - r.mean) * r.pop, 2) END,
         CASE WHEN r.per_inhabitant THEN round((r.value - r.median) * r.pop, 2) END,
         r.rk,
         nullif(array_to_string(ARRAY[
           CASE WHEN r.n = 0 THEN 'no peer has a value' END,
           CASE WHEN NOT r.per_inhabitant THEN 'unit ' || r.unit || ' is not kr/inv: no gap in kronor' END,
           CASE WHEN r.per_inhabitant AND r.pop IS NULL THEN 'no population (N01951) that year: no gap in kronor' END], '; '), '')
  FROM r ORDER BY r.kpi, r.year;
END
$fn$;
COMMENT ON FUNCTION peer_comparison(text, text, integer, integer, text[]) IS 'A municipality against a peer group (liknande kommuner), per KPI and year from first_year to last_year (default first_year) where the municipality has a value (gender T; all its KPIs but the population N01951, or those of kpis): its value; the number of peers with a value that year (the group''s members, the municipality itself left out); their mean (unweighted, as Kolada''s group values), median, minimum and maximum; the gaps value − mean and value − median (positive: the municipality spends more per inhabitant); for a KPI in kr/inv the municipality''s population (N01951) and the gaps in kronor, gap per inhabitant × population (from the unrounded mean); its rank among itself and the peers (1 = lowest value); note says why a column is NULL. Everything numeric (means, medians and gaps rounded to two decimals). NULL arguments are ERROR 22004; years outside 1900..2999 or last_year before first_year 22023; an unknown municipality, peer group or KPI 42704.';

-- One line of a CSV file split into fields: delimiter-separated, a field in
-- double quotes may hold the delimiter and "" for a quote.
CREATE FUNCTION kpi_csv_fields(line text, delimiter text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  parts text[];
  fields text[];
BEGIN
  IF delimiter NOT IN (';', ',', E'\t') THEN
    RAISE EXCEPTION 'delimiter % is not one of ; , or a tab', quote_literal(delimiter) USING ERRCODE = '22023';
  END IF;
  IF strpos(line, '"') = 0 THEN
    RETURN string_to_array(line, delimiter);
  END IF;
  SELECT array_agg(r.m[1] ORDER BY r.o), array_agg(coalesce(replace(r.m[2], '""', '"'), r.m[3]) ORDER BY r.o)
  INTO parts, fields
  FROM regexp_matches(line, format('((?:^|%1$s)(?:"((?:[^"]|"")*)"|([^%1$s"]*)))', delimiter), 'g') WITH ORDINALITY r(m, o);
  IF parts IS NULL OR array_to_string(parts, '') <> line THEN
    RAISE EXCEPTION 'badly quoted CSV line: %', left(line, 200) USING ERRCODE = '22P04',
      HINT = 'A quoted field starts and ends with " next to a delimiter, and a quote inside it is written "".';
  END IF;
  RETURN fields;
END
$$;
COMMENT ON FUNCTION kpi_csv_fields(text, text) IS 'The fields of one CSV line: split at delimiter ('';'', '','' or a tab); a field in double quotes may hold the delimiter, a "" in it is a quote. A stray or unclosed quote is ERROR 22P04 (a quoted field cannot span lines), another delimiter 22023. What load_kpi_values splits lines with.';

-- Loads key figures from a CSV export of the statistics service.
CREATE FUNCTION load_kpi_values(csv text, source text DEFAULT NULL, on_existing text DEFAULT 'error',
                                OUT loaded integer, OUT replaced integer, OUT missing integer)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  d text;
  hdr text[];
  i_kpi int; i_mun int; i_per int; i_gen int; i_val int;
  rec record;
  f text[];
  v text;
  num numeric;
  g text;
  lines int[] := '{}';
  ks text[] := '{}';
  ms text[] := '{}';
  ys int[] := '{}';
  gs text[] := '{}';
  vs numeric[] := '{}';
  bad record;
  hl text;
  mode text := lower(on_existing);
BEGIN
  IF csv IS NULL THEN
    RAISE EXCEPTION 'the CSV text is NULL' USING ERRCODE = '22004',
      HINT = 'Pass the file''s content, e.g. psql''s \set csv `cat file.csv` and load_kpi_values(:''csv'').';
  END IF;
  IF mode IS NULL OR mode NOT IN ('error', 'replace') THEN
    RAISE EXCEPTION 'unknown on_existing %', coalesce(quote_literal(on_existing), 'NULL') USING ERRCODE = '22023',
      HINT = 'Use ''error'' (a row already in kpi_value is an error, the default) or ''replace'' (its value is replaced).';
  END IF;
  IF octet_length(csv) > 64 * 1024 * 1024 THEN
    RAISE EXCEPTION 'the CSV text is % bytes, over the limit of 64 MB', octet_length(csv) USING ERRCODE = '54000',
      HINT = 'Split the export, by KPI or by year.';
  END IF;
  missing := 0;
  FOR rec IN SELECT u.n::int AS n, rtrim(u.x, E'\r') AS line
             FROM unnest(string_to_array(csv, E'\n')) WITH ORDINALITY u(x, n) LOOP
    CONTINUE WHEN btrim(rec.line, E' \t') = '';
    IF hdr IS NULL THEN
      -- the header names the columns (in any order); the delimiter is the
      -- first of ; tab , that it has
      hl := regexp_replace(rec.line, '^\uFEFF', '');
      d := CASE WHEN strpos(hl, ';') > 0 THEN ';' WHEN strpos(hl, E'\t') > 0 THEN E'\t' ELSE ',' END;
      BEGIN
        hdr := ARRAY(SELECT lower(btrim(h, E' \t')) FROM unnest(@extschema@.kpi_csv_fields(hl, d)) WITH ORDINALITY u(h, o) ORDER BY o);
      EXCEPTION WHEN bad_copy_file_format THEN
        RAISE EXCEPTION 'line %: %', rec.n, SQLERRM USING ERRCODE = '22P04';
      END;
      i_kpi := array_position(hdr, 'kpi');
      i_mun := coalesce(array_position(hdr, 'municipality'), array_position(hdr, 'municipality_id'));
      i_per := coalesce(array_position(hdr, 'period'), array_position(hdr, 'year'));
      i_gen := array_position(hdr, 'gender');
      i_val := array_position(hdr, 'value');
      IF i_kpi IS NULL OR i_mun IS NULL OR i_per IS NULL OR i_val IS NULL THEN
        RAISE EXCEPTION 'line %: the header % lacks a column kpi, municipality, period or value', rec.n, left(rec.line, 200)
          USING ERRCODE = '22P04',
          HINT = 'The first line names the columns as Kolada''s data: kpi, municipality (or municipality_id), period (or year), gender (optional, T when missing) and value; others (count, status, municipality name) are ignored.';
      END IF;
      CONTINUE;
    END IF;
    BEGIN
      f := @extschema@.kpi_csv_fields(rec.line, d);
    EXCEPTION WHEN bad_copy_file_format THEN
      RAISE EXCEPTION 'line %: %', rec.n, SQLERRM USING ERRCODE = '22P04';
    END;
    IF cardinality(f) <> cardinality(hdr) THEN
      RAISE EXCEPTION 'line %: % fields, the header has %', rec.n, cardinality(f), cardinality(hdr) USING ERRCODE = '22P04',
        HINT = format('Fields are separated by %L (the header''s delimiter); a field holding it is quoted.', d);
    END IF;
    IF coalesce(btrim(f[i_kpi]), '') = '' OR coalesce(btrim(f[i_mun]), '') = '' THEN
      RAISE EXCEPTION 'line %: empty kpi or municipality', rec.n USING ERRCODE = '22P04';
    END IF;
    IF btrim(f[i_per]) !~ '^[0-9]{4}$' THEN
      RAISE EXCEPTION 'line %: period % is not a year', rec.n, quote_literal(f[i_per]) USING ERRCODE = '22P02';
    END IF;
    IF btrim(f[i_per])::int NOT BETWEEN 1900 AND 2999 THEN
      RAISE EXCEPTION 'line %: year % is outside 1900 .. 2999', rec.n, btrim(f[i_per]) USING ERRCODE = '22023';
    END IF;
    g := upper(coalesce(nullif(btrim(f[i_gen]), ''), 'T'));
    IF g NOT IN ('T', 'K', 'M') THEN
      RAISE EXCEPTION 'line %: gender % is not T, K or M', rec.n, quote_literal(f[i_gen]) USING ERRCODE = '22023',
        HINT = 'Kolada''s genders: T total, K women (kvinnor), M men (män).';
    END IF;
    -- the value: a decimal point or a Swedish decimal comma, spaces (also
    -- no-break and thin) as thousands separators, a Unicode minus; empty
    -- is a value Kolada does not have (null), counted in missing
    v := translate(f[i_val], E' \u00A0\u2009\u202F\t', '');
    v := replace(v, E'\u2212', '-');
    IF v = '' THEN
      missing := missing + 1;
      CONTINUE;
    END IF;
    IF v !~ '^[+-]?[0-9]+([.,][0-9]+)?$' THEN
      RAISE EXCEPTION 'line %: value % is not a number', rec.n, quote_literal(f[i_val]) USING ERRCODE = '22P02',
        HINT = 'Write 1234,5 or 1 234,5 or 1234.5: one decimal comma or point, spaces between thousands.';
    END IF;
    num := replace(v, ',', '.')::numeric;
    IF abs(num) >= 1e15 THEN
      RAISE EXCEPTION 'line %: value % is out of range', rec.n, f[i_val] USING ERRCODE = '22003';
    END IF;
    lines := lines || rec.n;
    ks := ks || btrim(f[i_kpi]);
    ms := ms || btrim(f[i_mun]);
    ys := ys || btrim(f[i_per])::int;
    gs := gs || g;
    vs := vs || num;
  END LOOP;
  IF hdr IS NULL THEN
    RAISE EXCEPTION 'the CSV text has no header line' USING ERRCODE = '22P04',
      HINT = 'The first line names the columns: kpi, municipality, period, gender, value.';
  END IF;
  -- codes the tables do not know
  SELECT u.n, u.k INTO bad FROM unnest(lines, ks) u(n, k)
  WHERE NOT EXISTS (SELECT FROM @extschema@.kpi x WHERE x.kpi = u.k) ORDER BY u.n LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'line %: unknown KPI %', bad.n, quote_literal(bad.k) USING ERRCODE = '23503',
      HINT = 'Add the KPI to the table kpi (id, title, unit) first.';
  END IF;
  SELECT u.n, u.m INTO bad FROM unnest(lines, ms) u(n, m)
  WHERE NOT EXISTS (SELECT FROM @extschema@.municipality x WHERE x.municipality = u.m) ORDER BY u.n LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'line %: unknown municipality code %', bad.n, quote_literal(bad.m) USING ERRCODE = '23503',
      HINT = 'Add the municipality to the table municipality (code and name) first; Kolada''s codes have four digits, e.g. 0180.';
  END IF;
  -- the same key twice in the file
  SELECT a.n AS n1, b.n AS n2, a.k, a.m, a.y, a.g INTO bad
  FROM unnest(lines, ks, ms, ys, gs) a(n, k, m, y, g)
  JOIN unnest(lines, ks, ms, ys, gs) b(n, k, m, y, g) ON (b.k, b.m, b.y, b.g) = (a.k, a.m, a.y, a.g) AND b.n > a.n
  ORDER BY b.n LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'lines % and %: the same KPI %, municipality %, year % and gender % twice', bad.n1, bad.n2, bad.k, bad.m, bad.y, bad.g
      USING ERRCODE = '23505';
  END IF;
  SELECT count(*)::int INTO replaced
  FROM unnest(lines, ks, ms, ys, gs) u(n, k, m, y, g)
  JOIN @extschema@.kpi_value t ON (t.kpi, t.municipality, t.year, t.gender) = (u.k, u.m, u.y, u.g);
  IF replaced > 0 AND mode = 'error' THEN
    SELECT u.n, u.k, u.m, u.y, u.g INTO bad FROM unnest(lines, ks, ms, ys, gs) u(n, k, m, y, g)
    JOIN @extschema@.kpi_value t ON (t.kpi, t.municipality, t.year, t.gender) = (u.k, u.m, u.y, u.g) ORDER BY u.n LIMIT 1;
    RAISE EXCEPTION 'line %: KPI %, municipality %, year %, gender % is already loaded (% such lines)', bad.n, bad.k, bad.m, bad.y, bad.g, replaced
      USING ERRCODE = '23505', HINT = 'Pass on_existing => ''replace'' to replace the values (a new export with revised figures).';
  END IF;
  INSERT INTO @extschema@.kpi_value AS t (kpi, municipality, year, gender, value, source, loaded_by, loaded_at)
  SELECT u.k, u.m, u.y, u.g, u.v, load_kpi_values.source, CURRENT_USER, now()
  FROM unnest(ks, ms, ys, gs, vs) u(k, m, y, g, v)
  ON CONFLICT (kpi, municipality, year, gender)
  DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source, loaded_at = EXCLUDED.loaded_at;
  loaded := cardinality(lines) - replaced;
END
$fn$;
COMMENT ON FUNCTION load_kpi_values(text, text, text) IS 'Loads key figures into kpi_value from the text of a CSV file in the shape of Kolada''s data (one line per KPI, municipality, year and gender): a header naming the columns kpi, municipality (or municipality_id), period (or year), gender (T, K or M; optional, T when missing or empty) and value, in any order, other columns ignored; delimiter ; tab or , (the first the header has); a field in double quotes may hold the delimiter; values with a decimal point or a Swedish decimal comma, spaces as thousands separators; an empty value (Kolada''s null) is skipped and counted in missing. source is stored with each row; on_existing ''error'' (default) or ''replace'' (a new export with revised values). Returns loaded (new rows), replaced and missing. All or nothing: a bad line (wrong number of fields, bad quoting, no header) is ERROR 22P04, a value or period that is not a number 22P02, a gender not T/K/M or a year outside 1900..2999 22023, an unknown KPI or municipality code 23503 (add them first), the same key twice in the file or a key already loaded (with ''error'') 23505, each naming the line; a NULL text 22004, over 64 MB 54000. Reads no file itself: the client passes the content (psql: \set csv `cat file.csv`). Runs with the caller''s rights: it needs INSERT (and UPDATE to replace) on kpi_value, and row-level security lets it replace only rows its role loaded.';
