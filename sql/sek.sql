-- sek: exact money.  Inputs as the municipal reports write them.
\set VERBOSITY default
\set SHOW_CONTEXT never

SELECT x AS input, x::sek AS sek
FROM (VALUES ('-15 000 tkr'), (U&'\2212' || '15 000 tkr'), ('81,5 mnkr'),
             ('4,6 mkr'), ('2 300 kr'), ('12 357 tkr'),
             ('12' || U&'\00A0' || '357 tkr'), ('12' || U&'\2009' || '357 tkr'),
             ('12' || U&'\202F' || '357 tkr'), ('1 750 000'), ('1750000'),
             ('1750000.50'), ('1750000,50'), ('-637,1 mnkr'), ('654 442 tkr'),
             ('1,5 mdkr'), ('0'), ('-0'), ('+7 kr'), ('0,01'), ('  3 kr  '),
             ('15tkr'), ('15 TKR'), ('2 Mkr'), ('100 SEK'), ('5 kronor'),
             ('1,23000 kr'), ('0,00001 mnkr'), ('92 233 720 368 547 758,07'),
             ('-92 233 720 368 547 758,07'), ('000123')) v(x);

-- output round-trips
SELECT x::sek::text::sek = x::sek AS round_trip
FROM (VALUES ('-81,5 mnkr'), ('0,01'), ('92 233 720 368 547 758,07'),
             ('-92 233 720 368 547 758,07')) v(x);

-- Swedish display
SELECT sek_format('-81500000'::sek, 'mnkr') AS mnkr,
       sek_format('-15 000 tkr'::sek, 'tkr') AS tkr,
       sek_format('12 357 tkr'::sek) AS auto_tkr,
       sek_format('2 300 kr'::sek) AS auto_kr,
       sek_format('654 376 tkr'::sek) AS auto_mnkr,
       sek_format('506,6 mnkr'::sek, 'mkr', 2) AS mkr_2,
       sek_format('-15 000 tkr'::sek, 'tkr', 0, ' ') AS plain_space,
       sek_format('1234567,89'::sek, 'kr', 2, '') AS no_sep,
       sek_format('1,5 mdkr'::sek, 'mdkr') AS mdkr;
-- rounding in display is half away from zero, and never shows "-0"
SELECT sek_format('-49 999,99 kr'::sek, 'mnkr') AS small_neg,
       sek_format('-50 000 kr'::sek, 'mnkr') AS half_neg,
       sek_format('50 000 kr'::sek, 'mnkr') AS half_pos,
       sek_format('149 999 kr'::sek, 'mnkr') AS below_half,
       sek_format('1 kr'::sek, 'kr', 4) AS padded;
SELECT sek_format('1 kr'::sek, 'euro');
SELECT sek_format('1 kr'::sek, 'kr', 13);
SELECT sek_format(NULL::sek, 'kr') IS NULL AS null_in_null_out;

-- arithmetic
SELECT '1,5 mnkr'::sek + '250 tkr'::sek AS plus,
       '1,5 mnkr'::sek - '2 mnkr'::sek AS minus,
       -'4,6 mkr'::sek AS neg, abs('-4,6 mkr'::sek) AS abs,
       '2 982 kr'::sek * 461 AS days_times_cost,
       461::bigint * '2 982 kr'::sek AS commuted,
       '654 376 tkr'::sek / 12 AS per_month,
       '506,6 mnkr'::sek / '654,4 mnkr'::sek AS consumption;
-- rounding rule: nearest öre, halves away from zero
SELECT '0,05'::sek * 0.5 AS half_up, '-0,05'::sek * 0.5 AS half_down,
       '0,05'::sek / 2 AS div_half, '-0,05'::sek / 2 AS div_half_neg,
       '1 kr'::sek / 3 AS third, '2 kr'::sek / 3 AS two_thirds,
       '100 kr'::sek / 3.0 AS by_numeric, '1 kr'::sek * (1.0/3) AS by_fraction;
-- float8 factors are taken exactly as stored: 0.5 is exact, 0.1 is not
SELECT '0,01'::sek * 0.5::float8 AS half_of_ore,
       '0,05'::sek * 0.1::float8 AS tenth,
       '759,9 mnkr'::sek * (8.0::float8 / 12) AS eight_twelfths,
       '506,6 mnkr'::sek / (8.0::float8 / 12) AS runrate,
       '1 kr'::sek * 1e-30::float8 AS tiny, '1 kr'::sek / 1e300::float8 AS tiny2;
-- run-rate after August (Delårsrapport 2 2023): 506,6 / 8 × 12 = 759,9 mnkr
SELECT sek_format('506,6 mnkr'::sek / 8 * 12, 'mnkr') AS runrate;

-- casts: integers and numeric are kronor
SELECT 1500::sek AS int4, 1500::bigint::sek AS int8, 12.34::sek AS num,
       12.3400::sek AS trailing_zeros, 1.005::float8::sek AS float_rounds,
       '12,34 kr'::sek::numeric AS to_numeric, '12,50 kr'::sek::bigint AS to_int8,
       '-12,50 kr'::sek::bigint AS to_int8_neg, '12,34 kr'::sek::float8 AS to_float8,
       sek_ore('12,34 kr') AS ore, sek_from_ore(1234) AS from_ore;
CREATE TEMP TABLE assign (amount sek);
INSERT INTO assign VALUES (100), (100::bigint), (99.95), ('1 tkr');
SELECT * FROM assign;

-- comparisons, ordering, hashing, indexes
SELECT '1 tkr'::sek = '1000'::sek AS eq, '1 tkr'::sek <> '1000,01'::sek AS ne,
       '-1 kr'::sek < '0'::sek AS lt, '2 mkr'::sek > '1 999 999,99'::sek AS gt,
       '5 kr'::sek <= '5 kr'::sek AS le, '5 kr'::sek >= '6 kr'::sek AS ge;
SELECT x FROM (VALUES ('3 kr'::sek), ('-2 tkr'), ('1 mnkr'), ('0'), ('-2 tkr')) v(x)
ORDER BY x;
SELECT x, count(*) FROM (VALUES ('3 kr'::sek), ('-2 tkr'), ('3,00'), ('-2000')) v(x)
GROUP BY x ORDER BY x;
CREATE TEMP TABLE ledger AS
  SELECT i, sek_from_ore(i * 997 % 100000 - 50000) AS amount FROM generate_series(1, 2000) i;
CREATE INDEX ON ledger (amount);
CREATE INDEX ledger_hash ON ledger USING hash (amount);
ANALYZE ledger;
SET enable_seqscan = off;
SELECT count(*) FROM ledger WHERE amount BETWEEN '-10 kr' AND '10 kr';
SELECT count(*) FROM ledger WHERE amount = '-490,03';
RESET enable_seqscan;
SELECT count(*) FROM ledger WHERE amount BETWEEN '-10 kr' AND '10 kr';
SELECT sek_hash('1 kr') = sek_hash('1,00') AS equal_hash,
       sek_hash_extended('1 kr', 7) = sek_hash_extended('1.00', 7) AS equal_hash64,
       sek_hash('1 kr') <> sek_hash('100') AS differs;
CREATE TEMP TABLE parts (amount sek) PARTITION BY HASH (amount);
CREATE TEMP TABLE parts_0 PARTITION OF parts FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TEMP TABLE parts_1 PARTITION OF parts FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO parts SELECT amount FROM ledger;
SELECT count(*) = 2000 AS all_routed, (SELECT count(*) FROM parts_0) > 0 AS both_used FROM parts;

-- errors: overflow 22003, division by zero 22012, bad text 22P02
\set VERBOSITY default
SELECT '92 233 720 368 547 758,07'::sek + '0,01'::sek;
SELECT '-92 233 720 368 547 758,07'::sek - '0,01'::sek;
SELECT '92 233 720 368 547 758 kr'::sek * 2;
SELECT '1 mdkr'::sek * 1e12::float8;
SELECT '1 kr'::sek / 1e-300::float8;
SELECT '1 kr'::sek * 'NaN'::float8;
SELECT '1 kr'::sek / 0;
SELECT '1 kr'::sek / 0.0;
SELECT '1 kr'::sek / 0::float8;
SELECT '1 kr'::sek / '0'::sek;
SELECT 1.234::sek;
SELECT 'NaN'::numeric::sek;
SELECT 'Infinity'::float8::sek;
SELECT 'NaN'::float8::sek;
SELECT 9223372036854775807::bigint::sek;
SELECT sek_from_ore(-9223372036854775808);
SELECT '1,234 kr'::sek;
SELECT '1 2345'::sek;
SELECT '92 233 720 368 547 758,08'::sek;
SELECT '1 kr 2'::sek;

-- Ambiguous point thousands: an integer part of one to three digits (not
-- starting with 0, no space groups), a point and exactly three digits is
-- 22P02 ("15.000" may be 15 000 kr pasted from a European sheet); other
-- forms with a point keep reading it as the decimal mark, and a numeric
-- cast always does.
SELECT '15.000'::sek;
SELECT '1.234.567'::sek;
SELECT '-2.500 tkr'::sek;
SELECT '2.500-3.000 mkr'::estimate;
SELECT x, x::sek FROM unnest(ARRAY['1750000.50', '15.5', '15.0', '0.125 tkr', '015.000', '1000.000', '15.0000',
                                   '15,000', '15 000', '1 500.50', '-4.6 mkr']) x;
SELECT 15.000::sek, 1234.500::numeric::sek;

-- sek_format of kronor as numeric, bigint, integer or text
SELECT sek_format(-81500000, 'mnkr') AS int4, sek_format(-81500000::bigint, 'mnkr') AS int8,
       sek_format(-81500000.00, 'mnkr') AS num, sek_format('-81,5 mnkr', 'tkr') AS txt,
       sek_format(1234.565, 'kr', 2) AS rounded_to_ore, sek_format(NULL::numeric, 'kr') AS null;
SELECT sek_format(1e17, 'kr');
SELECT sek_format(5, 'euro');

-- round(sek) to whole kronor, round(sek, unit) to whole units, halves away from zero
SELECT v, round(v) AS kr, round(v, 'tkr') AS tkr, round(v, 'mnkr') AS mnkr, round(v, 'mkr') AS mkr
FROM unnest(ARRAY['0,50', '-0,50', '0,49', '2 300,50', '-1 500', '1 499,99', '81 549 999', '-81 550 000']::sek[]) v;
SELECT round(sek_from_ore(9223372036854775807), 'mnkr');
SELECT round('1 kr'::sek, 'euro');
