#!/usr/bin/python3
"""SQL-level fuzz harness for actionplan: generated and mutated text
literals, crafted binary (through binary COPY files) and extreme arguments
for every type, accessor and set-returning function of the extension.

Each case runs as its own statement under statement_timeout, inside a
PL/pgSQL wrapper that catches the error and reports its SQLSTATE.  A case
passes when it returns, or fails with a SQLSTATE of class 22 (data
exception), 54 (program limit) or 42 (type errors).  A crash, XX000,
08P01, a timeout, a round-trip mismatch (FZ001: text or binary input
accepted a value that does not read back equal) or any other SQLSTATE is a
failure.  After each batch a new connection must work and the server log
must show no backend terminated by a signal.

Usage (the cluster of scripts/cluster.sh running, `make install` done):
    /usr/bin/python3 test/fuzz/sql_fuzz.py [--seed N] [--cases N] [--only GROUP]
        [--log SERVER_LOG] [--timeout SECONDS] [-v]
Connection: PGHOST/PGPORT/PGUSER (a superuser), psql from PGBIN.  The
harness works in a database of its own (actionplan_fuzz), made afresh.
Deterministic: the same seed gives the same cases; a failure prints the
case number and its SQL, which --only GROUP and --seed reproduce.
Exit status 0 when every case passed, 1 otherwise.
"""
import argparse
import os
import queue
import random
import re
import subprocess
import sys
import threading
import time

DB = "actionplan_fuzz"
ACCEPTED = ("22", "54", "42")
CRASH_RE = re.compile(r"terminated by signal|exited with exit code|PANIC|TRAP:|was terminated by exception")

# ---------------------------------------------------------------- helpers


def lit(s):
    """A standard SQL string literal."""
    return "'" + s.replace("'", "''") + "'"


def psql_cmd(db, *extra):
    """The psql command line for db."""
    pgbin = os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin")
    return [os.path.join(pgbin, "psql"), "-X", "-q", "-A", "-t", "-d", db, *extra]


def psql(db, sql, check=True):
    """Run sql in one psql call; its stdout lines."""
    r = subprocess.run(psql_cmd(db, "-v", "ON_ERROR_STOP=1"), input=sql, text=True,
                       capture_output=True, timeout=300)
    if check and r.returncode != 0:
        raise RuntimeError("psql failed: %s\n%s" % (r.stderr, sql[:2000]))
    return [l for l in r.stdout.splitlines() if l != ""]


def server_alive(wait=60.0):
    """Whether a new connection works (waiting up to wait seconds for a restart after a crash)."""
    end = time.time() + wait
    while True:
        try:
            if psql("postgres", "SELECT 1", check=False) == ["1"]:
                return True
        except subprocess.TimeoutExpired:
            pass
        if time.time() > end:
            return False
        time.sleep(1)


# ------------------------------------------------------------- the server side

SETUP = r"""
SET client_min_messages = warning;
CREATE EXTENSION actionplan;
CREATE SCHEMA fz;
CREATE TABLE fz.sink_sek (v sek);
CREATE TABLE fz.sink_estimate (v estimate);
CREATE TABLE fz.sink_census (v census);
CREATE TABLE fz.sink_survival_curve (v survival_curve);
CREATE TABLE fz.sink_forecast_model (v forecast_model);
-- one statement of a case: rows counted through their text (so every column,
-- its output function included, is computed); COPY and the like run as they are
-- finite: a row with NaN or Infinity in it is FZ002 (forecasts must be finite or 22003)
CREATE FUNCTION fz.run(q text, finite boolean) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE n bigint; bad bigint; st text; msg text;
BEGIN
  IF q ~* '^\s*(copy|insert|do)\M' THEN EXECUTE q;
  ELSE EXECUTE 'SELECT count(fz_q::text), count(*) FILTER (WHERE fz_q::text ~ ''NaN|Infinity'') FROM (' || q || ') fz_q' INTO n, bad; END IF;
  IF finite AND bad > 0 THEN RETURN 'FZ002 NaN or Infinity in a forecast'; END IF;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  RETURN st || ' ' || left(replace(msg, E'\n', ' '), 200);
END $f$;
-- raise FZ001 (not an accepted class: a failure) when v does not round-trip
-- through text (out -> in equal) and binary (send -> recv, same bytes)
CREATE FUNCTION fz.check_round_trip(typ text, v text, b bytea) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE t2 text; b2 bytea; path text := current_setting('data_directory') || '/fz_round_trip.bin';
BEGIN
  EXECUTE format('SELECT (%L::%s)::text, %s_send(%L::%s)', v, typ, typ, v, typ) INTO t2, b2;
  IF t2 IS DISTINCT FROM v OR b2 IS DISTINCT FROM b THEN
    RAISE EXCEPTION USING ERRCODE = 'FZ001', MESSAGE = format('%s text round trip differs: %s -> %s', typ, v, t2);
  END IF;
  EXECUTE format('TRUNCATE fz.sink_%s', typ);
  EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', b, path);
  EXECUTE format('COPY fz.sink_%s FROM %L (FORMAT binary)', typ, path);
  EXECUTE format('SELECT v::text, %s_send(v) FROM fz.sink_%s', typ, typ) INTO t2, b2;
  IF t2 IS DISTINCT FROM v OR b2 IS DISTINCT FROM b THEN
    RAISE EXCEPTION USING ERRCODE = 'FZ001', MESSAGE = format('%s binary round trip differs: %s -> %s', typ, v, t2);
  END IF;
END $f$;
-- text input of typ: when accepted, the value must round-trip
CREATE FUNCTION fz.text_in(typ text, s text) RETURNS TABLE (v text) LANGUAGE plpgsql AS $f$
DECLARE b bytea;
BEGIN
  EXECUTE format('SELECT (%L::%s)::text, %s_send(%L::%s)', s, typ, typ, s, typ) INTO v, b;
  PERFORM fz.check_round_trip(typ, v, b);
  RETURN NEXT;
END $f$;
-- binary input of typ through a binary COPY file: when accepted, the value must round-trip
CREATE FUNCTION fz.bin_in(typ text, b bytea) RETURNS TABLE (v text) LANGUAGE plpgsql AS $f$
DECLARE b2 bytea; path text := current_setting('data_directory') || '/fz_bin_in.bin';
BEGIN
  EXECUTE format('TRUNCATE fz.sink_%s', typ);
  EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', b, path);
  EXECUTE format('COPY fz.sink_%s FROM %L (FORMAT binary)', typ, path);
  EXECUTE format('SELECT v::text, %s_send(v) FROM fz.sink_%s', typ, typ) INTO v, b2;
  PERFORM fz.check_round_trip(typ, v, b2);
  RETURN NEXT;
END $f$;
-- sample values: the corpus the mutations start from
CREATE TABLE fz.sample (typ text, v text, b bytea);
INSERT INTO fz.sample SELECT 'sek', v::text, sek_send(v) FROM unnest(ARRAY['0', '1 kr', '-15 000 tkr', '81,5 mnkr',
  '0,01', '-0,01', '92 233 720 368 547 758,07', '-92 233 720 368 547 758,07', '1750000']::sek[]) v;
INSERT INTO fz.sample SELECT 'estimate', v::text, estimate_send(v) FROM unnest(ARRAY['2-3 mkr', 'ca 4,6 mkr',
  'ingen effekt', '500 tkr-1 mkr', '-92 233 720 368 547 758,07 - 92 233 720 368 547 758,07']::estimate[]) v;
CREATE TABLE fz.stays AS
SELECT i, daterange(d, CASE WHEN i % 7 = 0 THEN NULL ELSE d + (i * 37 % 400) + 1 END) AS stay,
       sek_from_ore(((i * 7919) % 500000 + 1000) * 100) AS cost, i % 3 = 0 AS treated
FROM generate_series(1, 120) i, LATERAL (SELECT date '2022-01-01' + (i * 13 % 900)) x(d);
INSERT INTO fz.sample SELECT 'census', c::text, census_send(c) FROM (
  SELECT census(stay, cost, daterange('2023-01-01', '2024-01-01')) FROM fz.stays UNION ALL
  SELECT census(stay, cost, daterange('2022-06-01', '2022-06-03')) FROM fz.stays UNION ALL
  SELECT census(stay, cost, daterange('0001-01-01', '0001-02-01')) FROM fz.stays UNION ALL
  SELECT census(daterange('9999-12-01', NULL), sek_from_ore(9223372036854), daterange('9999-12-01', '10000-01-01')) UNION ALL
  SELECT census(stay, cost, daterange('2020-01-01', '2024-12-31')) FROM fz.stays WHERE i < 5) s(c);
INSERT INTO fz.sample SELECT 'survival_curve', c::text, survival_curve_send(c) FROM (
  SELECT stay_survival(stay, date '2024-06-01') FROM fz.stays UNION ALL
  SELECT stay_survival(stay, date '2022-03-01') FROM fz.stays UNION ALL
  SELECT stay_survival(daterange('4000-01-01 BC', '3990-01-01 BC'), date '3000-01-01 BC') UNION ALL
  SELECT stay_survival(daterange('2024-01-01', '2024-01-02'), date '2024-01-05')) s(c);
CREATE TABLE fz.series AS
SELECT (date '2019-01-01' + make_interval(months => t))::date AS d, t,
       1000 + 5 * t + 200 * cos(2 * pi() * t / 12) + 30 * sin(t * 1.7) AS v
FROM generate_series(0, 59) t;
INSERT INTO fz.sample SELECT 'forecast_model', m::text, forecast_model_send(m) FROM (
  SELECT forecast_fit(d, v, meth) FROM fz.series, unnest(ARRAY['ets', 'theta', 'damped', 'comb', 'ets(M,Ad,M)', 'ets(A,N,N)']) meth GROUP BY meth
  UNION ALL SELECT ets_fit(d, 5) FROM fz.series
  UNION ALL SELECT forecast_fit(d, -v * 1e-300, 'comb') FROM fz.series
  UNION ALL SELECT forecast_fit(d, v * 1e140, 'comb') FROM fz.series WHERE t < 14) s(m);
"""

# ---------------------------------------------------------------- generators

DIGITS = "0123456789"
JUNK = ["-", "+", "\u2212", "\u2013", ",", ".", " ", "\u00a0", "\u202f", "e", "E", "*", "|", ":", "/", "=",
        "(", ")", "[", ")", "BC", "kr", "tkr", "mkr", "mnkr", "mdkr", "ca", "9" * 25, "-" * 3, "NaN",
        "Infinity", "-Infinity", "1e308", "5e-324", "\t", "\n", "0x10", "00", "ö", "٣"]
BIG_NUMS = ["0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483648", "-2147483649",
            "4294967295", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "18446744073709551616", "99999999999999999999999999", "1e308", "1e309", "-1e308", "5e-324",
            "2.2250738585072014e-308", "1e-400", "NaN", "Infinity", "-Infinity", "0.1", "-0.5", "1e-310"]
ODD_DATES = ["0001-01-01", "0001-01-01 BC", "4713-11-24 BC", "4714-11-24 BC", "0100-01-01 BC", "9999-12-31",
             "10000-01-01", "10000-01-02", "12345-06-07", "294276-12-31", "5874897-12-31", "1999-02-29",
             "2024-02-29", "2023-13-01", "0000-01-01", "infinity", "-infinity", "2024-01-00", "99999999-01-01"]


def mutate_text(rng, s):
    """A mutated copy of the text s: digits flipped, junk inserted, parts cut, repeated, swapped."""
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(10)
        n = len(s)
        if op == 0 and n:
            idx = [i for i, ch in enumerate(s) if ch.isdigit()]
            if idx:
                i = rng.choice(idx)
                s = s[:i] + rng.choice(DIGITS) + s[i + 1:]
        elif op == 1:
            i = rng.randint(0, n)
            s = s[:i] + rng.choice(JUNK) + s[i:]
        elif op == 2 and n:
            i = rng.randrange(n)
            s = s[:i] + s[i + rng.randint(1, 8):]
        elif op == 3:
            s = s[:rng.randint(0, n)]
        elif op == 4 and n:
            i, j = sorted(rng.randrange(n + 1) for _ in range(2))
            s = s[:j] + s[i:j] * rng.randint(1, 4) + s[j:]
        elif op == 5:
            nums = list(re.finditer(r"-?\d+(\.\d+)?(e[-+]?\d+)?", s))
            if nums:
                m = rng.choice(nums)
                s = s[:m.start()] + rng.choice(BIG_NUMS) + s[m.end():]
        elif op == 6:
            dates = list(re.finditer(r"\d{4,}-\d\d-\d\d( BC)?", s))
            if dates:
                m = rng.choice(dates)
                s = s[:m.start()] + rng.choice(ODD_DATES) + s[m.end():]
        elif op == 7:
            s = s + rng.choice([" ", "x", ",", "|", " | ", "*0", "*2147483647", ",1", "=1"])
        elif op == 8 and n:
            i = rng.randrange(n)
            s = s[:i] + chr(rng.choice([32, 45, 48, 57, 0x2212, 0xa0, 44, 46, 124, 42])) + s[i + 1:]
        else:
            parts = re.split(r"( |,|\|)", s)
            if len(parts) > 2:
                i, j = rng.randrange(len(parts)), rng.randrange(len(parts))
                parts[i], parts[j] = parts[j], parts[i]
                s = "".join(parts)
    return s


def mutate_bytes(rng, b):
    """A mutated copy of the bytes b: cut, flipped, extreme 4- and 8-byte fields, appended, random."""
    b = bytearray(b)
    op = rng.randrange(7)
    if op == 0:
        return bytes(b[:rng.randrange(len(b) + 1)]) if b else b""
    if op == 1 and b:
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        return bytes(b)
    if op == 2 and len(b) >= 4:
        i = rng.randrange(0, len(b) - 3)
        b[i:i + 4] = rng.choice([b"\x7f\xff\xff\xff", b"\x80\x00\x00\x00", b"\xff\xff\xff\xff",
                                 b"\x00\x00\x00\x00", b"\x00\x00\x00\x01", b"\x00\x01\x00\x00"])
        return bytes(b)
    if op == 3 and len(b) >= 8:
        i = rng.randrange(0, len(b) - 7)
        b[i:i + 8] = rng.choice([b"\x7f\xf0" + b"\x00" * 6, b"\x7f\xf8" + b"\x00" * 6, b"\x00" * 7 + b"\x01",
                                 b"\x80" + b"\x00" * 7, b"\x7f" + b"\xff" * 7, b"\xff" * 8,
                                 b"\x00\x0f" + b"\xff" * 6])
        return bytes(b)
    if op == 4:
        return bytes(b) + bytes(rng.randrange(256) for _ in range(rng.randint(1, 24)))
    if op == 5 and len(b) >= 8:
        i = rng.randrange(len(b) - 7)
        return bytes(b[:i] + b[i:i + 8] * rng.randint(2, 5) + b[i + 8:])
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))


def hexlit(b):
    """A bytea literal of b."""
    return "'\\x" + b.hex() + "'::bytea"


def pick(rng, xs):
    """One of xs."""
    return rng.choice(xs)


INTS = ["0", "1", "-1", "2", "7", "12", "30", "365", "366", "600", "601", "36525", "36526", "100000",
        "2147483647", "-2147483648", "-2147483647", "NULL"]
FLOATS = ["0", "1", "-1", "0.5", "0.95", "0.999999", "1e-300", "5e-324", "1e308", "-1e308",
          "'NaN'::float8", "'Infinity'::float8", "'-Infinity'::float8", "NULL", "2", "100"]
SEKS = ["'0'::sek", "'1 kr'::sek", "'-1 kr'::sek", "sek_from_ore(9223372036854775807)",
        "sek_from_ore(-9223372036854775807)", "sek_from_ore(1)", "'1 mkr'::sek", "NULL::sek", "'-15 000 tkr'::sek"]
RANGES = ["daterange('2023-01-01', '2024-01-01')", "daterange('2023-03-01', '2023-03-02')",
          "daterange('2023-03-01', '2023-03-01')", "'empty'::daterange", "daterange(NULL, NULL)",
          "daterange('-infinity', 'infinity')", "daterange(NULL, '2023-06-01')", "daterange('2023-06-01', NULL)",
          "daterange('0100-01-01 BC', '0099-03-01 BC')", "daterange('4713-01-01 BC', '2024-01-01')",
          "daterange('9999-12-01', '10000-01-01')", "daterange('10000-01-01', '12000-01-01')",
          "daterange('0001-01-01', '9999-12-31')", "daterange('2023-01-01', '2123-01-02')",
          "daterange('5874890-01-01', '5874897-12-31')", "daterange('4714-11-24 BC', '4714-12-24 BC')",
          "daterange('2023-12-31', '2024-01-01', '[]')", "NULL::daterange"]
DATES = ["date '2023-06-30'", "date '2024-01-01'", "date '0001-01-01'", "date '0100-01-01 BC'",
         "date '4714-11-24 BC'", "date '9999-12-31'", "date '10000-01-01'", "date '5874897-12-31'",
         "'infinity'::date", "'-infinity'::date", "date '2024-02-29'", "NULL::date"]
INTERVALS = ["'1 day'", "'1 month'", "'1 year'", "'7 days'", "'2147483647 days'", "'-1 day'", "'0'",
             "'1 microsecond'", "'1 hour'", "'23 hours'", "'1 month -1 day'", "'1 mon 1 day'",
             "'178000000 years'", "'-2147483648 months'", "'2147483647 months'", "'1 day 1 second'",
             "'-1 month'", "'100 years'", "'1 month 2147483647 days'", "'3 months'", "'1 week'",
             "'-178000000 years'", "'2147483647 days 2147483647 months'", "NULL::interval"]
TEXTS = ["'days'", "'months'", "'ets'", "'theta'", "'damped'", "'comb'", "'ets(M,Ad,M)'", "'ets(A,A,A)'",
         "'ETS(m,ad,m)'", "''", "'x'", "repeat('a', 10000)", "'ets('", "'ets(A,Ad'", "NULL::text",
         "'runrate'", "'profile'", "'ledger'", "'income'", "'ets(A,N,N) '"]
PROFILES = ["ARRAY[1,1,1,1,1,1,1,1,1,1,1,1]::float8[]", "ARRAY[0,0,0,0,0,0,0,0,0,0,0,0]::float8[]",
            "ARRAY[1,2,3]::float8[]", "array_fill(1e308::float8, ARRAY[12])", "array_fill('NaN'::float8, ARRAY[12])",
            "array_fill(-1::float8, ARRAY[12])", "array_fill(5e-324::float8, ARRAY[12])",
            "ARRAY[1,0,0,0,0,0,0,0,0,0,0,'Infinity']::float8[]", "array_fill(1::float8, ARRAY[13])",
            "'{}'::float8[]", "array_fill(1::float8, ARRAY[3,4])", "ARRAY[1,NULL,1,1,1,1,1,1,1,1,1,1]::float8[]",
            "array_fill(1::float8, ARRAY[12], ARRAY[0])"]


BASE_TEXT = {
    "sek": ["0", "1 kr", "-15 000 tkr", "81,5 mnkr", "2 300 kr", "1750000", "\u22124,6 mkr", "1 234,56",
            "92 233 720 368 547 758,07", "-92 233 720 368 547 758,07", "0,01 kr", "12 357 tkr", "1,5 mdkr"],
    "estimate": ["2-3 mkr", "2\u20133 mkr", "ca 4,6 mkr", "7-10 mkr", "ingen effekt", "500 tkr-1 mkr",
                 "2000000.00..3000000.00", "-5--3 mkr", "ca 0"],
}


def build_cases(rng, samples, per_group):
    """All cases as (group, sql), per_group scaling their number."""
    cases = []
    base = BASE_TEXT
    by_type = {}
    for typ, v, b in samples:
        by_type.setdefault(typ, []).append((v, b))
    types = ["sek", "estimate", "census", "survival_curve", "forecast_model"]
    weights = {"sek": 1.0, "estimate": 0.8, "census": 1.2, "survival_curve": 1.0, "forecast_model": 1.2}
    # text: valid outputs and literals, mutated
    for typ in types:
        seeds = [v for v, _ in by_type.get(typ, [])] + base.get(typ, [])
        for _ in range(int(per_group * weights[typ])):
            s = mutate_text(rng, rng.choice(seeds))
            cases.append((typ + " text", "SELECT * FROM fz.text_in(%s, %s)" % (lit(typ), lit(s))))
        for s in seeds:
            cases.append((typ + " text", "SELECT * FROM fz.text_in(%s, %s)" % (lit(typ), lit(s))))
    # binary: send() of valid values, mutated; every truncation of a few
    for typ in types:
        vals = by_type.get(typ, [])
        for _ in range(int(per_group * weights[typ])):
            b = mutate_bytes(rng, rng.choice(vals)[1])
            cases.append((typ + " binary", "SELECT * FROM fz.bin_in(%s, %s)" % (lit(typ), hexlit(b))))
        for v, b in vals[:2] + vals[-1:]:
            for k in range(len(b) + 1):
                if len(b) < 120 or k % max(1, len(b) // 60) == 0 or k > len(b) - 10:
                    cases.append((typ + " binary", "SELECT * FROM fz.bin_in(%s, %s)" % (lit(typ), hexlit(b[:k]))))
    # a subnormal, the largest and a negative-zero double in each double field of a model's header and first component
    for v, b in by_type["forecast_model"][:2]:
        for off in [21] + [33 + 11 + 8 * k for k in range(22)]:
            for d in (b"\x00\x00\x00\x00\x00\x00\x00\x01", b"\x00\x0f\xff\xff\xff\xff\xff\xff", b"\x7f\xef\xff\xff\xff\xff\xff\xff", b"\x80" + b"\x00" * 7):
                cases.append(("forecast_model binary", "SELECT * FROM fz.bin_in('forecast_model', %s)" % hexlit(b[:off] + d + b[off + 8:])))
    # accessors and set-returning functions with extreme arguments
    cens = [lit(v) + "::census" for v, _ in by_type["census"]]
    curves = [lit(v) + "::survival_curve" for v, _ in by_type["survival_curve"]]
    models = [lit(v) + "::forecast_model" for v, _ in by_type["forecast_model"]]
    ests = [lit(v) + "::estimate" for v, _ in by_type["estimate"]]
    r = lambda xs: rng.choice(xs)
    acc = []
    for _ in range(per_group):
        c = r(cens)
        acc.append(("census accessors", "SELECT * FROM census_buckets(%s, %s::interval)" % (c, r(INTERVALS))))
        acc.append(("census accessors", "SELECT %s(%s, %s)" % (
            r(["care_days", "persons_per_day", "peak", "cost", "cost_per_care_day"]), c, r(RANGES))))
        acc.append(("census accessors", "SELECT occupancy(%s, %s, %s)" % (c, r(FLOATS), r(RANGES))))
        acc.append(("census accessors", "SELECT care_days(c), persons_per_day(c), peak(c), cost(c), cost_per_care_day(c), period(c), occupancy(c, %s) FROM (SELECT %s AS c) s" % (r(FLOATS), c)))
        acc.append(("census aggregate", "SELECT census(s, c, %s) FROM (VALUES (%s, %s), (%s, %s)) v(s, c)" % (
            r(RANGES), r(RANGES), r(SEKS), r(RANGES), r(SEKS))))
        acc.append(("census aggregate", "SELECT rollup(c) FROM (VALUES (%s), (%s)) v(c)" % (r(cens), r(cens))))
        acc.append(("census aggregate", "SELECT * FROM census_buckets((SELECT census(stay, cost, %s) FROM fz.stays), %s::interval)" % (
            r(RANGES), r(INTERVALS))))
        cv = r(curves)
        acc.append(("survival accessors", "SELECT survival(%s, %s), median_stay(%s), stay_count(%s), event_count(%s)" % (cv, r(INTS), cv, cv, cv)))
        acc.append(("survival accessors", "SELECT * FROM survival_interval(%s, %s, %s)" % (cv, r(INTS), r(FLOATS))))
        acc.append(("survival accessors", "SELECT expected_remaining_days(%s, %s, %s)" % (cv, r(INTS), r(INTS))))
        acc.append(("survival aggregate", "SELECT stay_survival(s, %s) FROM (VALUES (%s), (%s), (%s)) v(s)" % (
            r(DATES), r(RANGES), r(RANGES), r(RANGES))))
        acc.append(("survival aggregate", "SELECT rollup(c) FROM (VALUES (%s), (%s)) v(c)" % (cv, r(curves))))
        acc.append(("placement", "SELECT care_days(%s, %s), stay_cost(%s, %s, %s)" % (
            r(RANGES), r(RANGES), r(RANGES), r(SEKS), r(RANGES))))
        acc.append(("placement", "SELECT placement_forecast(stay, cost, %s, %s) FROM fz.stays" % (r(DATES), r(DATES))))
        acc.append(("placement", "SELECT placement_forecast(s, c, %s, %s) FROM (VALUES (%s, %s), (%s, %s)) v(s, c)" % (
            r(DATES), r(DATES), r(RANGES), r(SEKS), r(RANGES), r(SEKS))))
        acc.append(("placement", "SELECT placement_outlook(%s, (SELECT placement_forecast(stay, cost, %s, %s) FROM fz.stays))" % (
            r(cens), r(DATES), r(DATES))))
        acc.append(("effect", "SELECT stay_effect(stay, cost, treated, %s%s) FROM fz.stays" % (
            r(DATES), r(["", ", 1", ", 0", ", -1", ", 2147483647", ", 365"]))))
        acc.append(("effect", "SELECT stay_effect(s, c, t, %s) FROM (VALUES (%s, %s, true), (%s, %s, false), (%s, %s, false)) v(s, c, t)" % (
            r(DATES), r(RANGES), r(SEKS), r(RANGES), r(SEKS), r(RANGES), r(SEKS))))
        acc.append(("effect", "SELECT alternative_cost(%s::bigint, %s, %s), net_effect(%s, %s, %s::bigint)" % (
            r(INTS), r(SEKS), r(SEKS), r(SEKS), r(SEKS), r(INTS))))
        acc.append(("effect", "SELECT alternative_cost(stay, cost, %s%s) FROM fz.stays" % (r(RANGES), r(["", ", " + r(SEKS)]))))
        acc.append(("effect", "SELECT net_effect(stay_effect(stay, cost, treated, %s), %s) FROM fz.stays" % (r(DATES), r(SEKS))))
        acc.append(("accounts", "SELECT period_budget(%s, %s, %s)" % (r(SEKS), r(DATES), r(TEXTS + PROFILES))))
        acc.append(("accounts", "SELECT forecast_runrate(%s, %s), forecast_profile(%s, %s, %s)" % (
            r(SEKS), r(DATES), r(SEKS), r(DATES), r(TEXTS + PROFILES))))
        acc.append(("accounts", "SELECT follow_up(%s, %s, %s, %s, %s)" % (r(SEKS), r(SEKS), r(SEKS), r(SEKS), r(TEXTS))))
        acc.append(("accounts", "SELECT follow_up(d, a, %s, %s%s) FROM (VALUES (%s, %s), (%s, %s)) v(d, a)" % (
            r(SEKS), r(DATES), r(["", ", " + r(TEXTS), ", 'runrate', " + r(TEXTS + PROFILES)]),
            r(DATES), r(SEKS), r(DATES), r(SEKS))))
        acc.append(("accounts", "SELECT month_profile(d, a) FROM (VALUES (%s, %s), (%s, %s), (%s, %s)) v(d, a)" % (
            r(DATES), r(SEKS), r(DATES), r(SEKS), r(DATES), r(SEKS))))
        m = r(models)
        acc.append(("forecast accessors", "SELECT * FROM forecast(%s, %s)" % (m, r(INTS))))
        acc.append(("forecast accessors", "SELECT * FROM year_end(%s%s)" % (
            m, r(["", ", 2023", ", 2024", ", 2070", ", 2072", ", 2073", ", 0", ", -1", ", 2147483647", ", -2147483648", ", 9999", ", 10000"]))))
        acc.append(("forecast accessors", "SELECT model_name(%s)" % m))
        vexpr = r(["v", "-v", "v * 1e300", "v * 1e-300", "v * 1e-320", "v * 1e305", "0 * v", "v - 1100",
                   "CASE WHEN t % 2 = 0 THEN 1e308 ELSE -1e308 END", "CASE WHEN t = 30 THEN 1e300 ELSE v END",
                   "v * 5e-324", "(t % 3)::float8"])
        acc.append(("forecast fit", "SELECT * FROM year_end((SELECT forecast_fit(%s, %s, %s) FROM fz.series WHERE t < %s))" % (
            r(["d", "d + t * 400", "(d - interval '2020 years')::date", "(d + interval '7980 years')::date", "(d - 3000000)"]),
            vexpr, r(TEXTS), r(["6", "5", "13", "24", "25", "60", "7"]))))
        acc.append(("forecast fit", "SELECT * FROM forecast((SELECT forecast_fit(d, %s, %s) FROM fz.series), %s)" % (
            vexpr, r(TEXTS), r(INTS))))
        acc.append(("its", "SELECT its_effect(%s, %s, %s) FROM fz.series" % (
            r(["d", "d + t * 400", "(d - interval '2010 years')::date", "(d + interval '7900 years')::date"]), vexpr, r(DATES))))
        e = r(ests)
        acc.append(("estimate accessors", "SELECT low(%s), high(%s), mid(%s), width(%s), %s + %s, %s * %s::float8" % (
            e, e, e, e, e, r(ests), e, r(FLOATS))))
        acc.append(("estimate accessors", "SELECT estimate_format(%s, %s, %s, %s)" % (
            e, r(["'kr'", "'tkr'", "'mkr'", "'mnkr'", "'x'", "NULL"]), r(INTS), r(["' '", "','", "''", "repeat('x', 100)", "NULL"]))))
        acc.append(("estimate accessors", "SELECT sum(v) FROM (VALUES (%s), (%s), (%s)) x(v)" % (e, r(ests), r(ests))))
        s1, s2 = r(SEKS), r(SEKS)
        acc.append(("sek accessors", "SELECT %s + %s, %s - %s, %s * %s::float8, %s / %s::float8" % (s1, s2, s1, s2, s1, r(FLOATS), s1, r(FLOATS))))
        acc.append(("sek accessors", "SELECT sek_format(%s, %s, %s, %s)" % (
            s1, r(["'kr'", "'tkr'", "'mkr'", "'mnkr'", "'mdkr'", "'x'", "NULL"]), r(INTS), r(["' '", "','", "''", "repeat('x', 100)", "NULL"]))))
        acc.append(("sek accessors", "SELECT sek(%s::numeric), sek(%s::float8), sek(%s::bigint)" % (
            r(["0", "1e20", "-1e20", "92233720368547758.07", "92233720368547758.075", "0.005", "'NaN'", "1e-100"]),
            r(FLOATS), r(["0", "9223372036854775807", "-9223372036854775808", "92233720368547758", "92233720368547759"]))))
        acc.append(("sek accessors", "SELECT sum(v), avg(v), min(v), max(v) FROM (VALUES (%s), (%s), (%s)) x(v)" % (s1, s2, r(SEKS))))
        acc.append(("report", "SELECT number_format(%s::numeric, %s, %s), percent_format(%s, %s)" % (
            r(["0", "1e1000", "-1e1000", "1e-1000", "123456.789", "'NaN'", "1e20000"]), r(["0", "2", "12", "13", "-1"]),
            r(["NULL", "' '", "repeat('x', 9)"]), r(FLOATS), r(["0", "2", "13"]))))
    cases.extend(acc)
    return cases


# ---------------------------------------------------------------- running


def run_batch(cases, start, timeout, hang):
    """Run cases[start:] in one session until the end or a lost connection.
    Returns (results {i: sqlstate-and-message}, index where it stopped or None)."""
    script = ["SET statement_timeout = '%ds';" % timeout, "SET temp_file_limit = '256MB';",
              "SET client_min_messages = error;", "\\set VERBOSITY sqlstate", "\\set ON_ERROR_STOP off"]
    for i in range(start, len(cases)):
        script.append("SELECT '%d|' || fz.run(%s, %s);" % (i, lit(cases[i][1]), str(cases[i][0].startswith("forecast ")).lower()))
    proc = subprocess.Popen(psql_cmd(DB, "-v", "ON_ERROR_STOP=0"), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ, PGAPPNAME="sql_fuzz"))
    lines = queue.Queue()
    errs = []

    def reader(stream, sink, eof):
        for l in stream:
            sink(l.rstrip("\n"))
        if eof:
            sink(None)

    threading.Thread(target=reader, args=(proc.stdout, lines.put, True), daemon=True).start()
    err_thread = threading.Thread(target=reader, args=(proc.stderr, errs.append, False), daemon=True)
    err_thread.start()

    def feed():
        try:
            proc.stdin.write("\n".join(script) + "\n")
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass
    threading.Thread(target=feed, daemon=True).start()
    results = {}
    last = start - 1
    while True:
        try:
            l = lines.get(timeout=hang)
        except queue.Empty:
            # a case that statement_timeout did not stop: end its backend
            psql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sql_fuzz'",
                 check=False)
            proc.kill()
            results[last + 1] = "HANG no answer within %d s" % hang
            return results, last + 1
        if l is None:
            break
        m = re.match(r"^(\d+)\|(.*)$", l)
        if m:
            last = int(m.group(1))
            results[last] = m.group(2)
    proc.wait()
    err_thread.join(5)
    top = [e for e in errs if e.startswith("ERROR:")]
    lost = any("connection to server was lost" in e or "server closed the connection" in e for e in errs)
    missing = [i for i in range(start, (last + 1) if lost else len(cases)) if i not in results]
    for i, e in zip(missing, top):
        results[i] = e.replace("ERROR:", "").strip()
    for i in missing[len(top):]:
        results[i] = "MISSING " + " ".join(errs[-3:])
    if lost and last + 1 < len(cases):
        results[last + 1] = "CRASH connection lost: " + " ".join(errs[-3:])
        return results, last + 1
    return results, None


def verdict(res):
    """Whether a case's result passes."""
    return res == "ok" or (len(res) >= 5 and res[:2] in ACCEPTED and res[5:6] in ("", " "))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=20261204)
    ap.add_argument("--cases", type=int, default=150, help="generated cases per group and type (scale)")
    ap.add_argument("--only", default=None, help="run only the groups containing this word")
    ap.add_argument("--log", default=None, help="server log to check for crashes")
    ap.add_argument("--timeout", type=int, default=5, help="statement_timeout per case, seconds")
    ap.add_argument("--batch", type=int, default=400)
    ap.add_argument("-v", action="store_true", help="print every failing case in full")
    ap.add_argument("--show", default=None, help="also print the cases whose outcome starts with this (e.g. 42883, ok)")
    a = ap.parse_args()
    log = a.log or os.path.join(os.environ.get("AP_CLUSTER_DIR", ""), "server.log")
    log_start = os.path.getsize(log) if os.path.isfile(log) else None
    t0 = time.time()

    psql("postgres", "DROP DATABASE IF EXISTS %s; CREATE DATABASE %s;" % (DB, DB))
    psql(DB, SETUP)
    samples = []
    for l in psql(DB, "SELECT typ || '|' || encode(convert_to(v, 'UTF8'), 'hex') || '|' || encode(b, 'hex') FROM fz.sample ORDER BY typ, v"):
        typ, v, b = l.split("|")
        samples.append((typ, bytes.fromhex(v).decode(), bytes.fromhex(b)))
    rng = random.Random(a.seed)
    cases = build_cases(rng, samples, a.cases)
    if a.only:
        cases = [c for c in cases if a.only in c[0]]

    results = {}
    crashes = 0
    i = 0
    while i < len(cases):
        end = min(len(cases), i + a.batch)
        tb = time.time()
        res, stopped = run_batch(cases[:end], i, a.timeout, 3 * a.timeout + 10)
        if a.v:
            print("sql_fuzz: cases %d..%d: %.1f s, stopped at %s" % (i, end - 1, time.time() - tb, stopped))
        results.update(res)
        if stopped is not None:
            crashes += results[stopped].startswith("CRASH")
            if not server_alive():
                print("sql_fuzz: the server does not come back after case %d: stopping" % stopped)
                break
            i = stopped + 1
            continue
        if not server_alive(5):
            print("sql_fuzz: no new connection after the batch ending at case %d" % (end - 1))
            results[end - 1] = "DEAD server not accepting connections"
        i = end

    signals = []
    if log_start is not None:
        with open(log, errors="replace") as f:
            f.seek(log_start)
            signals = [l.strip() for l in f if CRASH_RE.search(l)]
    ran = len(results)
    fails = sorted(k for k, v in results.items() if not verdict(v))
    groups = {}
    for k, v in results.items():
        g = groups.setdefault(cases[k][0], [0, 0])
        g[0] += 1
        g[1] += not verdict(v)
    for g in sorted(groups):
        print("sql_fuzz: %-24s %5d cases, %d failed" % (g, groups[g][0], groups[g][1]))
    for k in fails[:200]:
        sql = cases[k][1]
        print("FAIL case %d [%s] %s\n     %s" % (k, cases[k][0], results[k], sql if a.v or len(sql) < 600 else sql[:600] + " ..."))
    for k in sorted(results):
        if a.show and results[k].startswith(a.show):
            print("case %d [%s] %s\n     %s" % (k, cases[k][0], results[k], cases[k][1]))
    for l in signals:
        print("sql_fuzz: server log: " + l)
    codes = {}
    for v in results.values():
        codes[v[:5]] = codes.get(v[:5], 0) + 1
    print("sql_fuzz: outcomes " + ", ".join("%s %d" % kv for kv in sorted(codes.items())))
    print("sql_fuzz: seed %d, %d cases, %d failed, %d crashes, %d log lines of a signal, %.0f s" % (
        a.seed, ran, len(fails), crashes, len(signals), time.time() - t0))
    psql("postgres", "DROP DATABASE IF EXISTS %s" % DB, check=False)
    sys.exit(0 if not fails and not signals and ran == len(cases) else 1)


if __name__ == "__main__":
    main()
