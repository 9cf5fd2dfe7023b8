-- Swedish display of plain numbers and percentages for reports (persons per
-- day, kronor per care day, occupancy, deviation %), by the rules of
-- sek_format: decimal comma, no-break space between thousands groups,
-- rounding half away from zero, never "-0".

CREATE FUNCTION number_format(value numeric, decimals integer DEFAULT 0, thousands text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  d integer := coalesce(decimals, 0);
  sep text := coalesce(thousands, U&'\00A0');
  r numeric;
  digits text;
  pad integer;
BEGIN
  IF value IS NULL THEN
    RETURN NULL;
  END IF;
  IF value IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) THEN
    RAISE EXCEPTION 'cannot format % as a number', value USING ERRCODE = '22003',
      HINT = 'Give a finite value (a ratio with a zero divisor is NaN or infinite: use nullif on the divisor).';
  END IF;
  IF d < 0 OR d > 12 THEN
    RAISE EXCEPTION 'decimals % is outside 0..12', d USING ERRCODE = '22023',
      HINT = 'Give 0 to 12 decimals.';
  END IF;
  IF octet_length(sep) > 8 THEN
    RAISE EXCEPTION 'thousands separator "%" is longer than 8 bytes', sep USING ERRCODE = '22023',
      HINT = 'Use a space, a no-break space (the default) or a thin space.';
  END IF;
  r := round(value, d);
  -- abs(r)::text has exactly d decimals after round(); group the integer part
  -- from the right: zero-padded to whole groups of three, split in one pass
  -- and joined, the padding cut off (linear in the digits, where a
  -- look-ahead regular expression was quadratic)
  digits := split_part(abs(r)::text, '.', 1);
  pad := (3 - length(digits) % 3) % 3;
  RETURN CASE WHEN r < 0 THEN '-' ELSE '' END
      || substr((SELECT string_agg(g[1], sep)
                 FROM regexp_matches(repeat('0', pad) || digits, '\d{3}', 'g') g), pad + 1)
      || CASE WHEN d > 0 THEN ',' || split_part(abs(r)::text, '.', 2) ELSE '' END;
END
$fn$;
COMMENT ON FUNCTION number_format(numeric, integer, text) IS 'Swedish display of a number: number_format(2982.4) = ''2 982'', number_format(-12.44, 1) = ''-12,4''. decimals 0..12 (NULL = 0), rounded half away from zero, never ''-0''; thousands NULL = no-break space. NULL gives NULL; NaN or infinity is ERROR 22003, decimals outside 0..12 or a separator over 8 bytes 22023.';

CREATE FUNCTION number_format(value float8, decimals integer DEFAULT 0, thousands text DEFAULT NULL)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN number_format(value::numeric, decimals, thousands);
COMMENT ON FUNCTION number_format(float8, integer, text) IS 'number_format of a float8 (persons per day, ratios): its decimal value rounded half away from zero; NaN or infinity is ERROR 22003.';

CREATE FUNCTION percent_format(value float8, decimals integer DEFAULT 0)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN number_format(value::numeric, decimals) || ' %';
COMMENT ON FUNCTION percent_format(float8, integer) IS 'A value in per cent, Swedish style: percent_format(-12.44, 1) = ''-12,4 %'', percent_format(77.4) = ''77 %'' (a ratio: multiply by 100 first). Errors as number_format.';
