-- The report functions read the tables they are given as the table's owner
-- (read_as_owner), never with a superuser caller's rights: an ordinary
-- role's view whose function the nightly job or a DBA reaches runs as that
-- role, in a security-restricted operation, and fails to become superuser.
-- A caller without the owner's rights reads as itself, as a plain SELECT.
\set QUIET on
SET client_min_messages = warning;
BEGIN;
SELECT plan(24);

CREATE ROLE ap_rep_owner NOLOGIN;
CREATE ROLE ap_rep_reader NOLOGIN;
CREATE SCHEMA ap_rep AUTHORIZATION ap_rep_owner;
GRANT USAGE ON SCHEMA ap_rep TO ap_rep_reader;

-- the owner's code: a function that says who runs it, and one that tries
-- to make its owner a superuser
CREATE FUNCTION ap_rep.who() RETURNS text LANGUAGE sql STABLE AS 'SELECT current_user::text';
CREATE FUNCTION ap_rep.escalate() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  EXECUTE 'ALTER ROLE ap_rep_owner SUPERUSER';
  RETURN 'escalated';
END $$;
ALTER FUNCTION ap_rep.who() OWNER TO ap_rep_owner;
ALTER FUNCTION ap_rep.escalate() OWNER TO ap_rep_owner;

CREATE TABLE ap_rep.gl (entry_date date, amount sek);
INSERT INTO ap_rep.gl VALUES ('2023-01-15', '100 000 kr'), ('2023-03-15', '50 000 kr');
CREATE TABLE ap_rep.bud (valid_from date, amount sek);
INSERT INTO ap_rep.bud VALUES ('2023-01-01', '1 200 000 kr');
ALTER TABLE ap_rep.gl OWNER TO ap_rep_owner;
ALTER TABLE ap_rep.bud OWNER TO ap_rep_owner;
-- the unit of every row is who read it
CREATE VIEW ap_rep.gl_who AS SELECT ap_rep.who() AS unit, entry_date, amount FROM ap_rep.gl;
CREATE VIEW ap_rep.bud_who AS SELECT ap_rep.who() AS unit, valid_from, amount FROM ap_rep.bud;
CREATE VIEW ap_rep.gl_escalate AS SELECT ap_rep.escalate() AS unit, entry_date, amount FROM ap_rep.gl;
ALTER VIEW ap_rep.gl_who OWNER TO ap_rep_owner;
ALTER VIEW ap_rep.bud_who OWNER TO ap_rep_owner;
ALTER VIEW ap_rep.gl_escalate OWNER TO ap_rep_owner;
GRANT SELECT ON ALL TABLES IN SCHEMA ap_rep TO ap_rep_reader;

-- follow_up_report, called by a superuser: the view's code ran as its owner
SELECT is((SELECT array_agg(DISTINCT unit) FILTER (WHERE unit IS NOT NULL)
           FROM follow_up_report('ap_rep.gl_who', 'ap_rep.bud_who', '2023-06-30')),
          '{ap_rep_owner}', 'follow_up_report as a superuser: the view''s function runs as the view''s owner');
SELECT is((SELECT outcome FROM follow_up_report('ap_rep.gl_who', 'ap_rep.bud_who', '2023-06-30') WHERE unit IS NULL),
          150000.00::numeric, 'and the figures are read all the same');
SELECT throws_ok($$SELECT * FROM follow_up_report('ap_rep.gl_escalate', 'ap_rep.bud_who', '2023-06-30')$$,
                 '42501', NULL, 'the owner''s code cannot make its owner a superuser through the report');
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'ap_rep_owner'), false, 'the owner is still no superuser');
SELECT throws_like($$SELECT * FROM follow_up_report('ap_rep.gl_escalate', 'ap_rep.bud_who', '2023-06-30')$$,
                   '%table gl_escalate (read as "ap_rep_owner")%', 'the error names the table and the role it was read as');

-- a caller without the owner's rights reads as itself (what SELECT gives it)
SET ROLE ap_rep_reader;
SELECT is((SELECT array_agg(DISTINCT unit) FILTER (WHERE unit IS NOT NULL)
           FROM follow_up_report('ap_rep.gl_who', 'ap_rep.bud_who', '2023-06-30')),
          '{ap_rep_reader}', 'a caller without the owner''s rights reads as itself');
RESET ROLE;
-- a member of the owner's role reads as the owner
GRANT ap_rep_owner TO ap_rep_reader;
SET ROLE ap_rep_reader;
SELECT is((SELECT array_agg(DISTINCT unit) FILTER (WHERE unit IS NOT NULL)
           FROM follow_up_report('ap_rep.gl_who', 'ap_rep.bud_who', '2023-06-30')),
          '{ap_rep_owner}', 'a member of the owner''s role reads as the owner');
RESET ROLE;
REVOKE ap_rep_owner FROM ap_rep_reader;

-- staffing_follow_up
CREATE TABLE ap_rep.staff (month date, kind text, fte numeric, cost sek);
INSERT INTO ap_rep.staff VALUES ('2023-01-01', 'employed', 10, '500 000 kr'), ('2023-02-01', 'employed', 10, '500 000 kr');
CREATE TABLE ap_rep.staff_bud (valid_from date, fte numeric, cost sek);
INSERT INTO ap_rep.staff_bud VALUES ('2023-01-01', 10, '6 000 000 kr');
CREATE VIEW ap_rep.staff_who AS SELECT ap_rep.who() AS unit, * FROM ap_rep.staff;
CREATE VIEW ap_rep.staff_bud_who AS SELECT ap_rep.who() AS unit, * FROM ap_rep.staff_bud;
ALTER TABLE ap_rep.staff OWNER TO ap_rep_owner;
ALTER TABLE ap_rep.staff_bud OWNER TO ap_rep_owner;
ALTER VIEW ap_rep.staff_who OWNER TO ap_rep_owner;
ALTER VIEW ap_rep.staff_bud_who OWNER TO ap_rep_owner;
SELECT is((SELECT array_agg(DISTINCT unit) FILTER (WHERE unit IS NOT NULL)
           FROM staffing_follow_up('ap_rep.staff_who', 'ap_rep.staff_bud_who', '2023-02-28')),
          '{ap_rep_owner}', 'staffing_follow_up as a superuser: the view''s function runs as its owner');
SELECT is((SELECT cost FROM staffing_follow_up('ap_rep.staff_who', 'ap_rep.staff_bud_who', '2023-02-28') WHERE unit IS NULL),
          1000000.00::numeric, 'and its cost is read');

-- volume_price_report
CREATE TABLE ap_rep.stays (stay daterange, daily_cost sek);
INSERT INTO ap_rep.stays VALUES ('[2023-01-01,2023-01-11)', '2 000 kr');
CREATE TABLE ap_rep.vp_bud (persons_per_day numeric, cost_per_care_day numeric);
INSERT INTO ap_rep.vp_bud VALUES (1, 2000);
CREATE VIEW ap_rep.stays_who AS SELECT ap_rep.who() AS category, * FROM ap_rep.stays;
CREATE VIEW ap_rep.vp_bud_who AS SELECT ap_rep.who() AS category, * FROM ap_rep.vp_bud;
ALTER TABLE ap_rep.stays OWNER TO ap_rep_owner;
ALTER TABLE ap_rep.vp_bud OWNER TO ap_rep_owner;
ALTER VIEW ap_rep.stays_who OWNER TO ap_rep_owner;
ALTER VIEW ap_rep.vp_bud_who OWNER TO ap_rep_owner;
SELECT is((SELECT array_agg(category) FILTER (WHERE category IS NOT NULL)
           FROM volume_price_report('ap_rep.stays_who', 'ap_rep.vp_bud_who', '[2023-01-01,2023-02-01)')),
          '{ap_rep_owner}', 'volume_price_report as a superuser: the view''s function runs as its owner');
SELECT is((SELECT actual_care_days FROM volume_price_report('ap_rep.stays_who', 'ap_rep.vp_bud_who', '[2023-01-01,2023-02-01)')
           WHERE category IS NULL), 10::numeric, 'and its care days are read');

-- income_support_months (and through it the forecast and the effect)
CREATE TABLE ap_rep.payments (month date, amount numeric);
INSERT INTO ap_rep.payments VALUES ('2023-01-10', 5000), ('2023-01-20', 3000);
CREATE VIEW ap_rep.payments_who AS SELECT ap_rep.who() AS household, * FROM ap_rep.payments;
ALTER TABLE ap_rep.payments OWNER TO ap_rep_owner;
ALTER VIEW ap_rep.payments_who OWNER TO ap_rep_owner;
-- both payments are one household: the one the view's function names
SELECT is((SELECT households FROM income_support_months('ap_rep.payments_who')), 1::bigint,
          'income_support_months reads the register');
CREATE VIEW ap_rep.payments_check AS
  SELECT CASE WHEN ap_rep.who() = 'ap_rep_owner' THEN 'h1' END AS household, * FROM ap_rep.payments;
ALTER VIEW ap_rep.payments_check OWNER TO ap_rep_owner;
SELECT is((SELECT total FROM income_support_months('ap_rep.payments_check')), 8000::numeric,
          'as the register''s owner (the household would be NULL, ERROR 22004, as anyone else)');

-- under a forced parallel plan the reports read the same
SET LOCAL force_parallel_mode = on;
SELECT is((SELECT outcome FROM follow_up_report('ap_rep.gl_who', 'ap_rep.bud_who', '2023-06-30') WHERE unit IS NULL),
          150000.00::numeric, 'follow_up_report under force_parallel_mode');
SELECT is((SELECT total FROM income_support_months('ap_rep.payments_check')), 8000::numeric,
          'income_support_months under force_parallel_mode');
RESET force_parallel_mode;

-- read_as_owner itself: its bad inputs
SELECT throws_ok($$SELECT * FROM read_as_owner(NULL, '{amount}') AS r(amount sek)$$, '22004', NULL, 'read_as_owner: NULL relation');
SELECT throws_ok($$SELECT * FROM read_as_owner('ap_rep.gl', NULL) AS r(amount sek)$$, '22004', NULL, 'read_as_owner: NULL columns');
SELECT throws_ok($$SELECT * FROM read_as_owner('ap_rep.gl', '{nope}') AS r(amount sek)$$, '42703', NULL, 'read_as_owner: a missing column');
SELECT throws_ok($$SELECT * FROM read_as_owner('ap_rep.gl', '{amount}', 'amount') AS r(amount sek)$$, '42804', NULL,
                 'read_as_owner: a date_column that is not a date');
SELECT throws_ok($$SELECT * FROM read_as_owner('ap_rep.gl', '{amount,entry_date}') AS r(amount sek)$$, '22023', NULL,
                 'read_as_owner: more columns than the definition list');
SELECT throws_ok($$SELECT * FROM read_as_owner('ap_rep.gl', '{amount}', NULL, '2023-01-01') AS r(amount sek)$$, '22023', NULL,
                 'read_as_owner: a bound without a date_column');
CREATE SEQUENCE ap_rep.seq;
SELECT throws_ok($$SELECT * FROM read_as_owner('ap_rep.seq', '{last_value}') AS r(v bigint)$$, '42809', NULL,
                 'read_as_owner: a sequence is not a table');
SELECT is((SELECT sum(amount) FROM read_as_owner('ap_rep.gl', '{amount}', 'entry_date', '2023-02-01', NULL) AS r(amount sek)),
          '50 000 kr'::sek, 'read_as_owner: the bounds keep the rows between them');
-- a reader without SELECT on the table gets nothing by reading through it
REVOKE SELECT ON ap_rep.gl FROM ap_rep_reader;
SET ROLE ap_rep_reader;
SELECT throws_ok($$SELECT * FROM read_as_owner('ap_rep.gl', '{amount}') AS r(amount sek)$$, '42501', NULL,
                 'read_as_owner: a caller without SELECT (and without the owner''s rights) is refused');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
