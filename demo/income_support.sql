-- Section 10 of the report, Ekonomiskt bistånd: the register
-- :data.income_support (demo/income_support_data.sql, generated) month by
-- month as households × kronor per household, the year-end forecast as the
-- product of the two factors' forecasts with a 95 % interval, and the
-- follow-up of the demo's measure (modelled on Åtgärdsplan 2024–2026's
-- Åtgärd 6) split into the household effect and the amount effect.
-- Included by demo/report_views.sql; costs in the report's signs (negative),
-- kronor per household as a price (positive), savings positive.
\if :{?is_start} \else \set is_start 2023-03-01 \endif
\if :{?is_expected} \else \set is_expected 8000000 \endif
CREATE TEMP TABLE is_rp AS
SELECT format('%I.income_support', :'data')::regclass AS reg, :'is_start'::date AS start, :'is_expected'::numeric AS expected;

-- the year's months beside the same month a year before
CREATE TEMP VIEW r_bistand_manad AS
SELECT to_char(m.month, 'YYYY-MM') AS "Månad",
       number_format(m.households) AS "Hushåll",
       number_format(p.households) AS "Hushåll året före",
       sek_format(m.per_household, 'kr') AS "Kr per hushåll",
       sek_format(p.per_household, 'kr') AS "Kr per hushåll året före",
       sek_format(-m.total, 'mnkr') AS "Kostnad",
       sek_format(-p.total, 'mnkr') AS "Kostnad året före"
FROM rp, is_rp,
     LATERAL income_support_months(is_rp.reg, rp.ys, rp.as_of) m
LEFT JOIN LATERAL income_support_months(is_rp.reg, (rp.ys - interval '1 year')::date, (rp.as_of - interval '1 year')::date) p
  ON p.month = (m.month - interval '1 year')::date
ORDER BY m.month;

-- the year-end forecast: each factor for the rest of the year, their product
CREATE TEMP VIEW r_bistand_prognos AS
SELECT x.label AS "Helårsprognos", x.point AS "Prognos", x.lo AS "Lägre kostnad, 95 %", x.hi AS "Högre kostnad, 95 %"
FROM rp, is_rp, LATERAL income_support_forecast(is_rp.reg, rp.as_of) f,
LATERAL (VALUES
  (1, 'Hushåll per månad, resten av året', number_format(f.households), number_format(f.households_lo95), number_format(f.households_hi95)),
  (2, 'Kr per hushåll och månad, resten av året', sek_format(f.per_household, 'kr'), sek_format(f.per_household_lo95, 'kr'),
      sek_format(f.per_household_hi95, 'kr')),
  (3, 'Utfall ' || rp.period_name, sek_format(-f.outcome, 'mnkr'), NULL, NULL),
  (4, 'Resten av året (hushåll × kr per hushåll)', sek_format(-f.remaining_cost, 'mnkr'),
      sek_format(-(f.lo95 - f.outcome), 'mnkr'), sek_format(-(f.hi95 - f.outcome), 'mnkr')),
  (5, 'Helår ' || rp.y, sek_format(-f.forecast, 'mnkr'), sek_format(-f.lo95, 'mnkr'), sek_format(-f.hi95, 'mnkr'))
) x(ord, label, point, lo, hi)
ORDER BY x.ord;

-- the measure: the months since its start against the forecast from before
-- it, split into households and kronor per household
CREATE TEMP VIEW r_bistand_atgard AS
SELECT coalesce(to_char(e.month, 'YYYY-MM'), 'Totalt') AS "Månad",
       number_format(e.households) AS "Hushåll",
       number_format(e.counterfactual_households) AS "Hushåll utan åtgärd",
       sek_format(e.per_household, 'kr') AS "Kr per hushåll",
       sek_format(e.counterfactual_per_household, 'kr') AS "Kr per hushåll utan åtgärd",
       sek_format(e.saving, 'tkr') AS "Besparing",
       sek_format(e.household_effect, 'tkr') AS "varav färre hushåll",
       sek_format(e.amount_effect, 'tkr') AS "varav lägre belopp",
       sek_format(e.expected, 'tkr') AS "Förväntad",
       percent_format(e.realisation) AS "Uppfyllt"
FROM rp, is_rp, LATERAL income_support_effect(is_rp.reg, is_rp.start, rp.as_of, is_rp.expected) e
WHERE rp.as_of >= is_rp.start
ORDER BY e.month NULLS LAST;

INSERT INTO report_section
SELECT 10, 'Ekonomiskt bistånd',
       format('Hushåll med utbetalning per månad och kronor per hushåll (ett pris, positivt) ur registret över utbetalningar '
              '(genererat i demokommunen). Helårsprognosen är utfallet hittills plus hushåll × kronor per hushåll för resten '
              'av året, där varje faktor prognostiseras för sig (kombinationsmodellen) och produktens 95 %%-intervall räknas på '
              'logaritmisk skala med faktorernas korrelation (%s); i simulering täckte intervallet %s. Åtgärden (efter Åtgärd 6 '
              'Ekonomiskt bistånd i Åtgärdsplan 2024–2026: kontroll av stora beslut och arbetsmarknadsinsatser) gäller från %s '
              'med förväntad effekt %s per år; besparingen är prognosen från före start minus utfallet, uppdelad i färre '
              'hushåll (till prognosens belopp) och lägre belopp per hushåll (för de hushåll som fick bistånd).',
              (SELECT replace(round(f.correlation, 2)::text, '.', ',') FROM income_support_forecast(is_rp.reg, rp.as_of) f),
              '93–98 % av utfallen per fall, 95,5 % sammantaget (docs/income_support.md)', to_char(is_rp.start, 'YYYY-MM-DD'), sek_format(is_rp.expected, 'mnkr'))
FROM rp, is_rp;
