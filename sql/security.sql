-- Reading a registered ledger with a lesser role's rights (src/refresh.c):
-- who may ask ledger_month_sums to read as whom, what it checks of the
-- ledger's columns, and column names that once collided with the refresh's
-- own.  The attack matrix (escalation attempts, two roles, pg_cron) is in
-- the pgTAP suites test/security_*.sql and test/cron/security.sql.
SET client_min_messages = warning;
CREATE ROLE ap_reg_owner;
CREATE ROLE ap_reg_other;
CREATE TABLE su_ledger (day date, unit text, amt sek);
INSERT INTO su_ledger VALUES ('2023-01-05', 'a', '100 kr'), ('2023-01-20', 'a', '50 kr'), ('2023-02-01', 'b', '7 kr');
-- no ledger is read as a superuser, not even a superuser's own table: what
-- the query reaches (a view, a column's type or its cast) may be an
-- ordinary role's code
SELECT * FROM ledger_month_sums('su_ledger', 'day', 'amt', '{unit}', current_user::regrole, '2023-01-01', '2023-12-31');
-- the owner reads it as itself
ALTER TABLE su_ledger OWNER TO ap_reg_other;
SELECT * FROM ledger_month_sums('su_ledger', 'day', 'amt', '{unit}', 'ap_reg_other', '2023-01-01', '2023-12-31')
ORDER BY 1, 2;
SELECT * FROM ledger_month_sums('su_ledger', 'day', 'amt', '{}', 'ap_reg_other', '2023-01-01', '2023-01-31');
-- NULLs are refused, not a silent empty set
SELECT * FROM ledger_month_sums('su_ledger', 'day', 'amt', '{}', NULL, '2023-01-01', '2023-01-31');
SELECT * FROM ledger_month_sums('su_ledger', 'day', 'amt', '{unit,NULL}', 'ap_reg_other', '2023-01-01', '2023-01-31');
-- a temporary table would outlive its registration as a bare OID
CREATE TEMP TABLE tmp_ledger (day date, amt sek);
ALTER TABLE tmp_ledger OWNER TO ap_reg_other;
SELECT * FROM ledger_month_sums('tmp_ledger', 'day', 'amt', '{}', 'ap_reg_other', '2023-01-01', '2023-01-31');
DROP TABLE tmp_ledger;
-- an ordinary role's table is read as a role that may, never as a superuser
CREATE TABLE own_ledger ("key" text, "month" text, "amount" text, ap_ledger int, "ap month" text, d date, a sek);
ALTER TABLE own_ledger OWNER TO ap_reg_owner;
GRANT SELECT ON own_ledger TO ap_reg_owner;
INSERT INTO own_ledger VALUES ('k', 'm', 'x', 1, 'q', '2023-03-03', '1 kr'), ('k', 'm', 'x', 1, 'q', '2023-03-04', '2 kr');
SELECT * FROM ledger_month_sums('own_ledger', 'd', 'a', '{}', current_user::regrole, '2023-01-01', '2023-12-31');
-- key columns named like the refresh's columns and alias are just columns
SELECT * FROM ledger_month_sums('own_ledger', 'd', 'a', '{key,month,amount,ap_ledger,ap month}', 'ap_reg_owner', '2023-01-01', '2023-12-31');
-- a role may read only as a role it has the privileges of
SET ROLE ap_reg_other;
SELECT * FROM ledger_month_sums('own_ledger', 'd', 'a', '{}', 'ap_reg_owner', '2023-01-01', '2023-12-31');
SELECT * FROM ledger_month_sums('su_ledger', 'day', 'amt', '{}', 'postgres', '2023-01-01', '2023-12-31');
-- as itself, an ordinary role still needs SELECT on the table
SELECT * FROM ledger_month_sums('own_ledger', 'd', 'a', '{}', 'ap_reg_other', '2023-01-01', '2023-12-31');
RESET ROLE;
-- on another role's behalf (the refresh), only as a role with no rights the
-- owner lacks: ap_reg_other has some (su_ledger) until the owner is a member
GRANT SELECT ON own_ledger TO ap_reg_other;
SELECT * FROM ledger_month_sums('own_ledger', 'd', 'a', '{}', 'ap_reg_other', '2023-01-01', '2023-12-31');
GRANT ap_reg_other TO ap_reg_owner;
SELECT * FROM ledger_month_sums('own_ledger', 'd', 'a', '{}', 'ap_reg_other', '2023-01-01', '2023-12-31');
REVOKE ap_reg_other FROM ap_reg_owner;
-- registered columns that changed: dropped, renamed or of another type
ALTER TABLE own_ledger RENAME COLUMN d TO day;
SELECT * FROM ledger_month_sums('own_ledger', 'd', 'a', '{}', 'ap_reg_owner', '2023-01-01', '2023-12-31');
ALTER TABLE own_ledger ALTER COLUMN a TYPE numeric USING a::numeric;
SELECT * FROM ledger_month_sums('own_ledger', 'day', 'a', '{}', 'ap_reg_owner', '2023-01-01', '2023-12-31');
SELECT * FROM ledger_month_sums(0, 'day', 'a', '{}', 'ap_reg_owner', '2023-01-01', '2023-12-31');
SELECT * FROM ledger_month_sums('own_ledger', 'day', 'a', '{}', 0, '2023-01-01', '2023-12-31');
-- the refresh pins search_path for the ledger's query: the table must be
-- named by its schema, which ledger_month_sums does
CREATE SCHEMA ap_other_schema;
CREATE TABLE ap_other_schema."odd ""name""" (day date, amt sek);
INSERT INTO ap_other_schema."odd ""name""" VALUES ('2023-05-05', '3 kr');
ALTER TABLE ap_other_schema."odd ""name""" OWNER TO ap_reg_other;
GRANT USAGE ON SCHEMA ap_other_schema TO ap_reg_other;
SELECT * FROM ledger_month_sums('ap_other_schema."odd ""name"""', 'day', 'amt', '{}', 'ap_reg_other', '2023-01-01', '2023-12-31');
DROP SCHEMA ap_other_schema CASCADE;
DROP TABLE own_ledger, su_ledger;
DROP ROLE ap_reg_owner;
DROP ROLE ap_reg_other;
-- number_format groups digits in linear time: the largest numeric is quick
SET statement_timeout = '10s';
SELECT length(number_format(1e131071)) AS digits_and_separators,
       left(number_format(1e131071), 9) AS head, right(number_format(-1e20, 0, '.'), 8) AS tail;
RESET statement_timeout;
