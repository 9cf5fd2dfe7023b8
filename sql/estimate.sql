-- estimate: an expected effect, a closed range of sek.
\set SHOW_CONTEXT never

SELECT x AS input, x::estimate AS estimate, low(x::estimate), high(x::estimate), mid(x::estimate)
FROM (VALUES ('2-3 mkr'), ('2–3 mkr'), ('ca 2-3 mkr'), ('ca 4,6 mkr'), ('7-10 mkr'),
             ('-15 000 tkr'), ('535 000'), ('Ca. 2,6 mkr'), ('cirka 1 mkr'),
             ('ungefär 300 tkr'), ('~ 5 tkr'), ('500 tkr - 1 mkr'), ('2 mkr – 3 mkr'),
             ('1..2 kr'), ('1 till 2 mkr'), ('-5--3 mkr'), ('-5 – -3 mkr'),
             ('ingen effekt'), ('Ingen'), ('0,01-0,02'), ('1-1')) v(x);

-- the action plan's 2025 effects (Handlingsplan ekonomi 2025): 9,2–10,2 mkr
SELECT sum(e) AS total, estimate_format(sum(e), 'mkr') AS display,
       sum(e) @> '9,5 mkr'::sek AS contains_9_5, sum(e) @> '7 mkr'::sek AS contains_7,
       '10 mkr'::sek <@ sum(e) AS within
FROM (VALUES ('ca 2-3 mkr'::estimate), ('ca 2,6 mkr'), ('ca 4,6 mkr'),
             ('ingen effekt'), (NULL)) v(e);
-- the stated total "7-10 mkr" does not contain the parts' range
SELECT '7-10 mkr'::estimate @> '9,2-10,2 mkr'::estimate AS stated_covers_parts,
       '7-10 mkr'::estimate && '9,2-10,2 mkr'::estimate AS overlap;

-- text round trip
SELECT e::text::estimate = e AS round_trip
FROM (VALUES ('ca 2-3 mkr'::estimate), ('4,6 mkr'), ('-5--3 mkr'), ('0')) v(e);

-- display
SELECT estimate_format('ca 2-3 mkr') AS auto, estimate_format('ca 4,6 mkr', 'mkr') AS point,
       estimate_format('500 tkr-1 mkr', 'tkr') AS tkr,
       estimate_format('4 550 000 - 4 649 999', 'mnkr') AS rounds_alike,
       estimate_format('-5--3 mkr', 'mnkr', 0) AS negative,
       estimate_format('535 000') AS small;

-- arithmetic
SELECT '2-3 mkr'::estimate + '1 mkr'::estimate AS plus,
       '2-3 mkr'::estimate - '1-2 mkr'::estimate AS minus,
       -'2-3 mkr'::estimate AS neg,
       '2-3 mkr'::estimate * 0.5::float8 AS half,
       '2-3 mkr'::estimate * -1::float8 AS negated,
       1.5::float8 * '2-3 mkr'::estimate AS commuted,
       width('2-3 mkr'::estimate), mid('0,01-0,02'::estimate) AS mid_rounds,
       estimate('1 kr', '2 kr') AS constructed, '5 kr'::sek::estimate AS point;

-- ordering and grouping
SELECT e, count(*) FROM (VALUES ('2-3 mkr'::estimate), ('1-5 mkr'), ('2-3 mkr'), ('1-2 mkr')) v(e)
GROUP BY e ORDER BY e;

-- a moving sum of estimates uses the inverse transition
SELECT i, sum(e) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, '1-2 kr'::estimate), (2, '3-5 kr'), (3, NULL), (4, '10 kr')) v(i, e);

-- errors
SELECT '3-2 mkr'::estimate;
SELECT estimate('3 kr', '2 kr');
SELECT '2-'::estimate;
SELECT 'ca'::estimate;
SELECT '2-3-4 mkr'::estimate;
SELECT '2,001-3 kr'::estimate;
SELECT '1-92 233 720 368 547 758,08'::estimate;
SELECT '92 233 720 368 547 758 kr'::estimate + '1 kr'::estimate;
SELECT '2-3 mkr'::estimate * 'NaN'::float8;
SELECT estimate_format('2-3 mkr', 'dollar');
