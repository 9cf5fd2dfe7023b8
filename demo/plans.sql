-- The action plans of Handlingsplan ekonomi 2025 and Åtgärdsplan 2024–2026, entered as they are written (their
-- arithmetic included: plan_check reports where it does not add up).
-- Used by `make demo` and by the tests (sql/plan.sql, test/plan.sql); needs
-- the extension in the search_path. Plan ids are whatever the sequence gives:
-- look plans up by committee and title.

-- Handlingsplan ekonomi 2025: Individ- och familjeomsorgsnämnden. A
-- forecast deficit of -15 000 tkr after tertial 1; nine measures, effects for
-- 2025 in words ("ca 2-3 mkr", "ingen effekt"), one figure for 2026 and three
-- effects expected in 2026 without an amount; the plan's own total for 2025
-- is "7-10 mkr". Cooperation (FSG) 2025-06-03.
WITH p AS (
  INSERT INTO action_plan (committee, title, first_year, last_year, requirement_kind,
                           requirement, requirement_year, source)
  VALUES ('Individ- och familjeomsorgsnämnden', 'Handlingsplan ekonomi 2025', 2025, 2026,
          'deficit', '15 000 tkr', 2025, 'Handlingsplan ekonomi 2025')
  RETURNING plan_id),
m AS (
  INSERT INTO plan_measure (plan_id, number, title, kind, due, status, categories, note)
  SELECT p.plan_id, v.number, v.title, v.kind, v.due::date, v.status, v.categories::text[], v.note
  FROM p, (VALUES
    (1, 'Stöd i hemmet och till familjehem för att möjliggöra en än mer återhållsam hållning av institutionsplaceringar',
        'short_term', '2025-12-31', 'started', '{HVB,familjehem}', 'Effekten kopplas till nätverksarbete och utökad öppenvård.'),
    (2, 'Fortsatt strategiskt arbete med att stärka arbetsmiljön för att bibehålla ett lågt behov av konsulter',
        'short_term', '2025-12-31', 'started', '{}', 'Antalet konsulter beräknas minska med 2 under stor del av 2025.'),
    (3, 'Vidareutveckla kartläggningen och ge utökat stöd i prisförhandlingen av de mest kostsamma HVB-placeringarna',
        'short_term', '2025-12-31', 'started', '{HVB}', 'Ca 4,6 mkr varav ca 2 mkr redan har genomförts.'),
    (4, 'Öka samordningen mellan Individ- och familjeomsorgsförvaltningen och Sociala omsorgsförvaltningen',
        'short_term', '2025-12-31', 'planned', '{}', 'Ingen effekt i år men förväntad 2026 (inget belopp).'),
    (5, 'Utreda förutsättningar för ett kommunalt HVB för målgruppen 8–12 år med komplex problematik',
        'political_decision', '2026-12-31', 'planned', '{HVB}', 'Ingen effekt 2025.'),
    (6, 'Utveckling av inriktning och målgrupp för nämndens verksamhet, HVB Torstenssonsgatan',
        'political_decision', '2026-12-31', 'planned', '{HVB}', 'Placeringar internt till lägre kostnad 2026.'),
    (7, 'Fortsatt arbete att förkorta vårdtider i placeringar av vuxna samt öka användningen av öppenvårdsinsatser vuxen',
        'short_term', '2026-12-31', 'started', '{vuxna}', 'Effekt först 2026 (inget belopp).'),
    (8, 'Bibehålla och fortsätta utveckla nätverksarbetet för att minska behovet av placering utom det egna hemmet',
        'short_term', '2025-12-31', 'started', '{nätverkshem}', 'Effekten är kopplad till ökat stöd i hemmet (åtgärd 1).'),
    (9, 'Utveckla nytt utökat stöd till föräldrar till placerade barn',
        'short_term', '2026-12-31', 'planned', '{barn}', 'Ingen effekt 2025 men kan förväntas under 2026 (inget belopp).')
  ) v(number, title, kind, due, status, categories, note)
  RETURNING measure_id, number),
-- The effects, their kind read from the words under "Beräknad effekt 2025"
-- (the plan is for the deficit of 2025 and says nothing of later years
-- unless quoted). An effect expected without an amount is unquantified, not
-- '0'; "Ingen effekt" for 2025 is '0'.
e AS (
  INSERT INTO measure_effect (measure_id, kind, year, starts, expected, unquantified, wording)
  SELECT m.measure_id, v.kind, v.year, v.starts::date, v.expected::estimate, v.expected IS NULL, v.wording
  FROM m JOIN (VALUES
    -- one-off 2025: "Effekten 2025 kopplas till åtgärden utveckla nätverksarbete nedan samt utökad
    -- öppenvård och beräknas ge ca 2-3 mkr" (the effect of 2025; a joint one: see measure 8)
    (1, 'one_off', 2025, NULL, 'ca 2-3 mkr', 'Effekten 2025 ... beräknas ge ca 2-3 mkr'),
    -- one-off 2025: "antalet konsulter beräknas minska med 2 under stor del av 2025"
    (2, 'one_off', 2025, NULL, 'ca 2,6 mkr', 'antalet konsulter beräknas minska med 2 under stor del av 2025'),
    -- one-off 2025: "Beräknad effekt 2025: Ca 4,6 mkr" (prices of the placements of 2025)
    (3, 'one_off', 2025, NULL, 'ca 4,6 mkr', 'Beräknad effekt 2025: Ca 4,6 mkr varav ca 2 mkr redan har genomförts'),
    -- "Ingen effekt i år men förväntad 2026": none in 2025, an unquantified one in 2026
    (4, 'one_off', 2025, NULL, '0', 'Ingen effekt i år'),
    (4, 'one_off', 2026, NULL, NULL, 'men förväntad 2026'),
    -- "Ingen effekt"
    (5, 'one_off', 2025, NULL, '0', 'Ingen effekt'),
    -- permanent from 2026: "förväntad effekt 2026 utifrån placeringar internt till lägre kostnad.
    -- Effekten 2026 uppskattas till ca 2-3 mkr" (a new orientation of the own HVB: a new level)
    (6, 'one_off', 2025, NULL, '0', 'Ingen effekt 2025'),
    (6, 'permanent', NULL, '2026-01-01', 'ca 2-3 mkr', 'förväntad effekt 2026 utifrån placeringar internt till lägre kostnad. Effekten 2026 uppskattas till ca 2-3 mkr'),
    -- "Effekt först 2026" (no amount)
    (7, 'one_off', 2025, NULL, '0', 'Effekt först 2026'),
    (7, 'one_off', 2026, NULL, NULL, 'Effekt först 2026'),
    -- "Effekten är kopplad till ökat stöd i hemmet": the joint effect of measure 1, linked below
    (8, 'one_off', 2025, NULL, 'ca 2-3 mkr', 'Effekten är kopplad till ökat stöd i hemmet'),
    -- "Ingen effekt 2025 men kan förväntas under 2026" (no amount)
    (9, 'one_off', 2025, NULL, '0', 'Ingen effekt 2025'),
    (9, 'one_off', 2026, NULL, NULL, 'men kan förväntas under 2026')
  ) v(number, kind, year, starts, expected, wording) USING (number)
  RETURNING measure_id),
-- Measures 1 and 8 name each other ("kopplas till åtgärden utveckla
-- nätverksarbete", "kopplad till ökat stöd i hemmet"): one joint effect of
-- ca 2-3 mkr, stored once as measure 8's wholly counted in measure 1's.
l AS (
  INSERT INTO measure_link (plan_id, measure_id, linked_to, overlap, wording)
  SELECT p.plan_id, m8.measure_id, m1.measure_id, 1, 'Effekten är kopplad till ökat stöd i hemmet.'
  FROM p, m m8, m m1 WHERE m8.number = 8 AND m1.number = 1
  RETURNING measure_id),
f AS (
  -- "varav ca 2 mkr redan har genomförts"
  INSERT INTO measure_follow_up (measure_id, as_of, year, achieved, status, comment)
  SELECT m.measure_id, DATE '2025-06-03', 2025, '2 mkr', 'started', 'ca 2 mkr redan genomförda'
  FROM m WHERE m.number = 3
  RETURNING measure_id)
INSERT INTO plan_stated_total (plan_id, year, stated)
SELECT p.plan_id, 2025, 'ca 7-10 mkr' FROM p;

-- Åtgärdsplan 2024–2026: Vård- och socialavdelningen. A savings
-- requirement (sparbeting) of 12 357 tkr, an annual level ("Målet är att
-- inför budget 2027 vara i nivå med liknande kommuner"); ten measures with
-- effects per year in kronor, row totals (some blank: "-") and the stated sum
-- 13 149 tkr.
WITH p AS (
  INSERT INTO action_plan (committee, title, first_year, last_year, requirement_kind,
                           requirement, source)
  VALUES ('Vård- och socialavdelningen', 'Åtgärdsplan 2024 – 2026 och inför 2027', 2024, 2026,
          'savings_requirement', '12 357 tkr', 'Åtgärdsplan 2024–2026')
  RETURNING plan_id),
m AS (
  INSERT INTO plan_measure (plan_id, number, title, kind, how, due, responsible,
                            follow_up_every, follow_up_how, categories, stated_total)
  SELECT p.plan_id, v.number, v.title, v.kind, v.how, v.due::date, v.responsible,
         v.every::interval, v.follow_up, v.categories::text[], v.total::estimate
  FROM p, (VALUES
    (1, 'Minska övertid/mertid genom överanställning', 'short_term',
        'Styrgrupp SAMarbetet, ledningsgrupp VoO', '2024-03-31', 'Bitr. avdelningschef',
        '1 month', 'Månadsvis genom enhetsmötesprotokoll', '{}', '1 605 000'),
    (2, 'Bemanning utifrån nyckeltal SÄBO', 'short_term',
        'Enhetschefer SÄBO', '2024-03-31', 'Avdelningschef/Bitr. avdelningschef',
        '1 month', 'Månadsvis genom enhetsmötesprotokoll', '{}', NULL),
    (3, 'Minska/ta bort bemanningspersonal HSL', 'short_term',
        'Rekrytering och arbetsmiljöarbete, HSL-chef', '2024-12-31', 'Avdelningschef',
        NULL, 'Löpande dialog avdelningschef/HSL-chef', '{}', '2 400 000'),
    (4, 'Medicinrobotar i hemtjänst', 'short_term',
        'Inköp (leasing?), utbildning, installation, välja lämpliga användare', '2024-12-31',
        'Avdelningschef/bitr. avdelningschef', NULL, 'Löpande dialog inblandade parter', '{}', '990 000'),
    (5, 'Placeringskostnader IFO', 'short_term',
        'Uppföljning av familjehemsplaceringar och missbruksvård; preventivt arbete genom öppenvård',
        '2024-12-31', 'Avdelningschef', '1 month', 'Prognoser avdelningschef/IFO-chef',
        '{familjehem,missbruksvård}', '2 000 000'),
    (6, 'Ekonomiskt bistånd', 'short_term',
        'Kontroller av stora beslut och preventivt arbete genom AME', '2024-12-31', 'Avdelningschef',
        '1 month', 'Prognoser avdelningschef/IFO-chef', '{}', NULL),
    (7, 'Obudgeterade statsbidrag', 'short_term',
        'Statsbidrag som vi nu vet kommer men som vi ej har budgeterat för', '2024-12-31', 'Avdelningschef',
        '1 month', 'Prognoser avdelningschef', '{}', NULL),
    (8, 'Översyn planering hemtjänst', 'short_term',
        'Hemtjänstmöten, enhetscheferna hemtjänst', '2024-12-31', 'Bitr. enhetschef',
        '1 month', 'Månadsvis', '{}', '1 395 000'),
    (9, 'Välfärdsteknik', 'political_decision',
        'Omvärldsbevakning, nyttokalkyler; IT-samordnare, ledningsgrupp VoO', '2024-12-31',
        'Avdelningschef/bitr. avdelningschef', '1 month', 'Månadsvis, ledningsgrupp VoO och admingrupp', '{}', '550 000'),
    (10, 'Översyn och justering hyror SÄBO', 'political_decision',
        'Omvärldsbevakning, ta fram beslutsunderlag; controller x2', '2024-12-31',
        'Avdelningschef/bitr. avdelningschef', NULL, 'Löpande dialog', '{}', '150 000')
  ) v(number, title, kind, how, due, responsible, every, follow_up, categories, total)
  RETURNING measure_id, number),
-- The year columns 2024 / 2025 / 2026, each row read as one-off or
-- permanent effects: a figure repeated in the following years, or a first
-- year's part followed by the full annual figure (110 000 = 3/12 of
-- 440 000), is one permanent annual level from a start (the document shows
-- the level again in every year it is in force); a figure that stops ("-")
-- is a one-off of its year. "-" before a start is no effect.
e AS (
  INSERT INTO measure_effect (measure_id, kind, year, starts, expected, wording)
  SELECT m.measure_id, v.kind, v.year, v.starts::date, v.expected::estimate, v.wording
  FROM m JOIN (VALUES
    -- 535 000 | 535 000 | 535 000: one level, "Med mer personalresurser än det som behövs för att
    -- grundbemanna kan vi använda ordinarie personal för att täcka frånvaro"
    (1, 'permanent', NULL, '2024-01-01', '535 000', '535 000 535 000 535 000; Minska övertid/mertid genom överanställning'),
    -- 1 750 000 | 750 000 | -: the footnote "vissa åtgärder (främst åtgärd 2 och 3) inte får någon
    -- påverkan på budget 2025 men det underskott som fanns 2023 minskar/försvinner", and the row stops
    (2, 'one_off', 2024, NULL, '1 750 000', 'främst åtgärd 2 och 3 inte får någon påverkan på budget 2025 men det underskott som fanns 2023 minskar/försvinner'),
    (2, 'one_off', 2025, NULL, '750 000', '750 000 - (the row stops)'),
    -- 1 200 000 | 600 000 | 600 000: 2024 the same footnote (one-off), then one level of 600 000
    (3, 'one_off', 2024, NULL, '1 200 000', 'främst åtgärd 2 och 3 inte får någon påverkan på budget 2025'),
    (3, 'permanent', NULL, '2025-01-01', '600 000', '600 000 600 000'),
    -- 110 000 | 440 000 | 440 000: robots in use from October 2024, "kan ge stora vinster" each year
    (4, 'permanent', NULL, '2024-10-01', '440 000', '110 000 440 000 440 000'),
    -- 1 000 000 | 1 000 000 | -: placements of each year, not counted in 2026
    (5, 'one_off', 2024, NULL, '1 000 000', '1 000 000 1 000 000 -'),
    (5, 'one_off', 2025, NULL, '1 000 000', '1 000 000 1 000 000 -'),
    -- 100 000 | - | -
    (6, 'one_off', 2024, NULL, '100 000', '100 000 - - -'),
    -- 1 859 000 | - | -: "Statsbidrag som vi nu vet kommer men som vi ej har budgeterat för"
    (7, 'one_off', 2024, NULL, '1 859 000', 'Statsbidrag som vi nu vet kommer men som vi ej har budgeterat för'),
    -- 465 000 | 465 000 | 465 000: one level
    (8, 'permanent', NULL, '2024-01-01', '465 000', '465 000 465 000 465 000; Likvärdig och effektiv planering'),
    -- - | 110 000 | 440 000: from October 2025
    (9, 'permanent', NULL, '2025-10-01', '440 000', '- 110 000 440 000'),
    -- 150 000 in 2024 only, but "ett förslag om indexuppräkning så att höjningen kan ske årsvis utan
    -- ytterligare politiska beslut": a rent increase is a new level, in 2025 and 2026 too
    (10, 'permanent', NULL, '2024-01-01', '150 000', 'så att höjningen kan ske årsvis utan ytterligare politiska beslut')
  ) v(number, kind, year, starts, expected, wording) USING (number)
  RETURNING measure_id)
INSERT INTO plan_stated_total (plan_id, year, stated)
SELECT p.plan_id, NULL, '13 149 tkr' FROM p;
