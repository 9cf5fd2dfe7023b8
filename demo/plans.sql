-- The action plans of Handlingsplan ekonomi 2025 and Åtgärdsplan 2024–2026, entered as they are written (their
-- arithmetic included: plan_check reports where it does not add up).
-- Used by `make demo` and by the tests (sql/plan.sql, test/plan.sql); needs
-- the extension in the search_path. Plan ids are whatever the sequence gives:
-- look plans up by committee and title.

-- 000: Individ- och familjeomsorgsnämnden, Handlingsplan ekonomi 2025. A
-- forecast deficit of -15 000 tkr after tertial 1; nine measures, effects for
-- 2025 in words ("ca 2-3 mkr", "ingen effekt") and one figure for 2026; the
-- plan's own total for 2025 is "7-10 mkr". Cooperation (FSG) 2025-06-03.
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
e AS (
  INSERT INTO measure_effect (measure_id, year, expected)
  SELECT m.measure_id, v.year, v.expected::estimate
  FROM m JOIN (VALUES
    (1, 2025, 'ca 2-3 mkr'), (2, 2025, 'ca 2,6 mkr'), (3, 2025, 'ca 4,6 mkr'),
    (4, 2025, '0'), (5, 2025, '0'), (6, 2025, '0'), (6, 2026, 'ca 2-3 mkr'),
    (7, 2025, '0'), (8, 2025, '0'), (9, 2025, '0')
  ) v(number, year, expected) USING (number)
  RETURNING measure_id),
f AS (
  -- "varav ca 2 mkr redan har genomförts"
  INSERT INTO measure_follow_up (measure_id, as_of, year, achieved, status, comment)
  SELECT m.measure_id, DATE '2025-06-03', 2025, '2 mkr', 'started', 'ca 2 mkr redan genomförda'
  FROM m WHERE m.number = 3
  RETURNING measure_id)
INSERT INTO plan_stated_total (plan_id, year, stated)
SELECT p.plan_id, 2025, 'ca 7-10 mkr' FROM p;

-- 004: Vård- och socialavdelningen, Åtgärdsplan 2024–2026. A savings
-- requirement (sparbeting) of 12 357 tkr; ten measures with effects per year
-- in kronor, row totals (some blank: "-") and the stated sum 13 149 tkr.
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
e AS (
  -- the year columns 2024 / 2025 / 2026; "-" and blank cells are no row
  INSERT INTO measure_effect (measure_id, year, expected)
  SELECT m.measure_id, v.year, v.expected::estimate
  FROM m JOIN (VALUES
    (1, 2024, '535 000'), (1, 2025, '535 000'), (1, 2026, '535 000'),
    (2, 2024, '1 750 000'), (2, 2025, '750 000'),
    (3, 2024, '1 200 000'), (3, 2025, '600 000'), (3, 2026, '600 000'),
    (4, 2024, '110 000'), (4, 2025, '440 000'), (4, 2026, '440 000'),
    (5, 2024, '1 000 000'), (5, 2025, '1 000 000'),
    (6, 2024, '100 000'),
    (7, 2024, '1 859 000'),
    (8, 2024, '465 000'), (8, 2025, '465 000'), (8, 2026, '465 000'),
    (9, 2025, '110 000'), (9, 2026, '440 000'),
    (10, 2024, '150 000')
  ) v(number, year, expected) USING (number)
  RETURNING measure_id)
INSERT INTO plan_stated_total (plan_id, year, stated)
SELECT p.plan_id, NULL, '13 149 tkr' FROM p;
