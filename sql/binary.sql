-- Binary I/O: a binary COPY round trip, and crafted binary input (recv
-- validates like text input: ERROR 22P03, never a crash).  A bytea or
-- bigint column copied out in binary gives a field of chosen raw bytes.
\set SHOW_CONTEXT never
CREATE TABLE money_in (amount sek, effect estimate);
INSERT INTO money_in VALUES ('-81,5 mnkr', 'ca 2-3 mkr'), ('0,01', '-5--3 mkr'),
  ('92 233 720 368 547 758,07', '4,6 mkr'), (NULL, NULL);
\copy money_in TO 'results/money.bin' WITH (FORMAT binary)
CREATE TABLE money_out (LIKE money_in);
\copy money_out FROM 'results/money.bin' WITH (FORMAT binary)
SELECT (SELECT count(*) FROM money_out) AS copied,
       (SELECT count(*) FROM (SELECT * FROM money_in EXCEPT SELECT * FROM money_out) d) AS differing;

CREATE TABLE sek_only (amount sek);
CREATE TABLE estimate_only (effect estimate);
-- errors show their SQLSTATE only (\copy sets no :SQLSTATE variable)
\set VERBOSITY sqlstate
-- INT64_MIN öre is not a sek
\copy (SELECT (-9223372036854775807 - 1)::bigint) TO 'results/min.bin' WITH (FORMAT binary)
\copy sek_only FROM 'results/min.bin' WITH (FORMAT binary)
-- a 4-byte field where 8 are needed, and 9 bytes
\copy (SELECT '\x00000001'::bytea) TO 'results/short.bin' WITH (FORMAT binary)
\copy sek_only FROM 'results/short.bin' WITH (FORMAT binary)
\copy (SELECT '\x000000000000000101'::bytea) TO 'results/long.bin' WITH (FORMAT binary)
\copy sek_only FROM 'results/long.bin' WITH (FORMAT binary)
-- an estimate whose low is above its high
\copy (SELECT '\x00000000000000020000000000000001'::bytea) TO 'results/inverted.bin' WITH (FORMAT binary)
\copy estimate_only FROM 'results/inverted.bin' WITH (FORMAT binary)
-- an estimate with an INT64_MIN end, and one of 8 bytes
\copy (SELECT '\x80000000000000000000000000000001'::bytea) TO 'results/est_min.bin' WITH (FORMAT binary)
\copy estimate_only FROM 'results/est_min.bin' WITH (FORMAT binary)
\copy (SELECT '\x0000000000000001'::bytea) TO 'results/est_short.bin' WITH (FORMAT binary)
\copy estimate_only FROM 'results/est_short.bin' WITH (FORMAT binary)
-- valid crafted values load: 1 öre, and the range [1, 2] öre
\copy (SELECT '\x0000000000000001'::bytea) TO 'results/one.bin' WITH (FORMAT binary)
\copy sek_only FROM 'results/one.bin' WITH (FORMAT binary)
\copy (SELECT '\x00000000000000010000000000000002'::bytea) TO 'results/range.bin' WITH (FORMAT binary)
\copy estimate_only FROM 'results/range.bin' WITH (FORMAT binary)
\set VERBOSITY default
SELECT * FROM sek_only;
SELECT * FROM estimate_only;
DROP TABLE money_in, money_out, sek_only, estimate_only;
