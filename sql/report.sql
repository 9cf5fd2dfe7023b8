-- Swedish display of plain numbers and percentages (src/report.sql): the
-- figures of Delårsrapport 2 2023 as the report prints them, rounding, the separator,
-- NULLs and bad input.
\pset null '—'
SELECT number_format(2982.4) AS kr_per_dygn, number_format(460.6) AS personer, number_format(-12.44, 1) AS pct,
       number_format(654376) AS tkr, number_format(0.125, 2) AS half_up, number_format(-0.125, 2) AS half_down,
       number_format(-0.04, 1) AS no_minus_zero, number_format(1234567.891, 3, ' ') AS plain_space;
SELECT percent_format(77.4) AS consumption, percent_format(-12.44, 1) AS deviation, percent_format(100 * 1.05) AS over_full,
       percent_format(100 * 87.0 / 100) AS unweighted;
-- float8: its decimal value (2.675 is stored as 2.67499999999999982236431605997495353221893310546875)
SELECT number_format(2.675::float8, 2) AS float8_decimal, number_format(1e15::float8) AS big, number_format(0.5::float8) AS half;
-- separators: & and \ are taken as text
SELECT number_format(1234567, 0, '&') AS amp, number_format(1234567, 0, '\') AS backslash, number_format(1234567, 0, '') AS none;
SELECT number_format(NULL::numeric) AS null_value, number_format(5, NULL) AS null_decimals, percent_format(NULL) AS null_pct;
-- bad input
SELECT number_format('NaN'::numeric);
SELECT number_format('Infinity'::float8);
SELECT percent_format('-Infinity'::float8);
SELECT number_format(1, 13);
SELECT number_format(1, -1);
SELECT number_format(1, 0, 'abcdefghi');
