-- Installing under a hostile search_path: decoys in a schema that comes
-- first must not be picked up by the install script or, later, by the
-- extension's own SQL functions.
CREATE SCHEMA hostile;
CREATE FUNCTION hostile.int8pl(bigint, bigint) RETURNS bigint
  LANGUAGE sql AS 'SELECT 0::bigint';
CREATE OPERATOR hostile.+ (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = hostile.int8pl);
CREATE FUNCTION hostile.numeric_mul(numeric, numeric) RETURNS numeric
  LANGUAGE sql AS 'SELECT 0::numeric';
SET search_path = hostile, public;
CREATE EXTENSION actionplan SCHEMA public;

-- the decoy operator is live for plain bigint …
SELECT 1::bigint OPERATOR(hostile.+) 1::bigint AS decoy;
-- … but the extension's functions keep their own meaning
CREATE FUNCTION hostile.sek_mul_int4(public.sek, integer) RETURNS public.sek
  LANGUAGE sql AS 'SELECT ''0''::public.sek';
SELECT 2 * '1,5 kr'::sek AS three_kr, '1,5 kr'::sek * 2 AS three_kr_again;
SELECT 1.5 * '10 kr'::sek AS fifteen_kr;
RESET search_path;
DROP SCHEMA hostile CASCADE;

-- every object of the extension is documented (\df+, \dT+, \do+ show it)
SELECT pg_describe_object(d.classid, d.objid, 0) AS undocumented
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'actionplan')
  AND d.deptype = 'e'
  AND obj_description(d.objid, d.classid::regclass::text) IS NULL
ORDER BY 1;

-- every aggregate is parallel safe and has a combine function (and, for an
-- internal state, serialize/deserialize functions): no row may come out
SELECT p.oid::regprocedure AS offending_aggregate
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'actionplan')
  AND (p.proparallel <> 's' OR a.aggcombinefn = 0
       OR (a.aggtranstype = 'internal'::regtype AND (a.aggserialfn = 0 OR a.aggdeserialfn = 0)))
ORDER BY 1;
SELECT count(*) >= 7 AS has_aggregates
FROM pg_aggregate a JOIN pg_depend d ON d.objid = a.aggfnoid AND d.deptype = 'e'
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'actionplan');

-- the install script must not use OR REPLACE / IF NOT EXISTS: reinstalling
-- over existing objects fails instead of silently taking them over
DROP EXTENSION actionplan;
CREATE TYPE sek AS (x int);
CREATE EXTENSION actionplan;
DROP TYPE sek;
CREATE EXTENSION actionplan;
