#!/usr/bin/python3
"""docs/reference.md, generated from the installed extension's catalog and
its COMMENTs, so that the reference says what the code has.

    /usr/bin/python3 scripts/reference.py            # write docs/reference.md
    /usr/bin/python3 scripts/reference.py --check    # fail (exit 1) with a diff
                                                     # when docs/reference.md is out of date

Connects with psql ($PGBIN/psql; PGHOST, PGPORT, PGUSER as the test
cluster's), makes a scratch database with a fresh CREATE EXTENSION actionplan
and reads every member object of the extension: types, functions, aggregates,
operators, casts, tables and views, each with its signature and COMMENT.
Objects are grouped by area, the area being the src/*.sql file that creates
them (in the install script's order); the support functions of types and
aggregates are listed after each area's API, by name only.
"""
import difflib
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'docs', 'reference.md')
DB = 'actionplan_reference'
FS, RS = '\x1f', '\x1e'

# the areas as the docs name them, by the file that defines them
AREAS = {
    'sek': ('Money: `sek`', 'money.md'),
    'estimate': ('Money: `estimate`', 'money.md'),
    'census': ('Placements: census, care days, cost', 'placements.md'),
    'survival': ('Placements: stay survival', 'placements.md'),
    'placement': ('Placements: placement forecasts', 'placements.md'),
    'accounts': ('Accounts: period budget and follow-up', 'accounts.md'),
    'forecast': ('Forecasts: monthly series', 'forecasts.md'),
    'refresh': ('Forecasts: registered ledgers and the nightly refresh', 'forecasts.md'),
    'its': ('Effects: interrupted time series', 'effects.md'),
    'effect': ('Effects: measured effects of placements', 'effects.md'),
    'plan': ('Plans: the action-plan register', 'plans.md'),
    'report': ('Reports: Swedish number formats', 'reports.md'),
    'analysis': ('Reports: follow-up report, volume and price, office forecasts', 'analyses.md'),
    'staffing': ('Reports: staffing', 'staffing.md'),
    'peers': ('Reports: peer municipalities', 'peers.md'),
    'income_support': ('Reports: income support', 'income_support.md'),
    'report_check': ('Reports: checking a report\'s arithmetic', 'report_check.md'),
}

QUERY = r"""
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'actionplan'),
member AS (SELECT d.classid, d.objid FROM pg_depend d, ext
           WHERE d.refobjid = ext.oid AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'),
support AS (  -- functions that serve a type, an aggregate, an operator or a planner
  SELECT unnest(ARRAY[typinput, typoutput, typreceive, typsend, typmodin, typmodout, typanalyze])::oid AS f FROM pg_type
  UNION SELECT unnest(ARRAY[aggtransfn, aggfinalfn, aggcombinefn, aggserialfn, aggdeserialfn,
                            aggmtransfn, aggminvtransfn, aggmfinalfn])::oid FROM pg_aggregate
  UNION SELECT prosupport::oid FROM pg_proc
  UNION SELECT amproc::oid FROM pg_amproc
  UNION SELECT castfunc FROM pg_cast
  UNION SELECT oprcode::oid FROM pg_operator
  UNION SELECT unnest(ARRAY[oprrest, oprjoin])::oid FROM pg_operator)
SELECT 'function', p.proname::text,
       CASE p.prokind WHEN 'a' THEN 'aggregate' WHEN 'p' THEN 'procedure' ELSE 'function' END
         || CASE WHEN p.oid IN (SELECT f FROM support) THEN ' support' ELSE '' END,
       p.proname || '(' || CASE WHEN p.prokind = 'a' THEN pg_get_function_identity_arguments(p.oid)
                                ELSE pg_get_function_arguments(p.oid) END || ')',
       pg_get_function_result(p.oid), coalesce(obj_description(p.oid, 'pg_proc'), '')
  FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
UNION ALL
SELECT 'type', t.typname::text,
       CASE t.typtype WHEN 'c' THEN 'composite type' WHEN 'd' THEN 'domain' WHEN 'e' THEN 'enum' ELSE 'type' END,
       t.typname::text,
       CASE WHEN t.typtype = 'c' THEN
         (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
            FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
       ELSE '' END,
       coalesce(obj_description(t.oid, 'pg_type'), '')
  FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
UNION ALL
SELECT 'operator', o.oprname::text, 'operator',
       coalesce(format_type(o.oprleft, NULL) || ' ', '') || o.oprname || ' ' || format_type(o.oprright, NULL),
       format_type(o.oprresult, NULL), coalesce(obj_description(o.oid, 'pg_operator'), '')
  FROM member m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
UNION ALL
SELECT 'cast', format_type(c.castsource, NULL), 'cast',
       format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL),
       CASE c.castcontext WHEN 'i' THEN 'implicit' WHEN 'a' THEN 'on assignment' ELSE 'explicit' END,
       coalesce(obj_description(c.oid, 'pg_cast'), '')
  FROM member m JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid
UNION ALL
SELECT 'relation', r.relname::text,
       CASE r.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                      WHEN 'S' THEN 'sequence' ELSE 'relation' END,
       r.relname::text,
       (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
          FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped),
       coalesce(obj_description(r.oid, 'pg_class'), '')
  FROM member m JOIN pg_class r ON m.classid = 'pg_class'::regclass AND r.oid = m.objid
 WHERE r.relkind IN ('r', 'v', 'm', 'p')
"""


def psql(db, sql):
    """Run SQL with psql, unaligned with our separators; the rows."""
    p = subprocess.run([os.path.join(os.environ.get('PGBIN', ''), 'psql'), '-X', '-q', '-A', '-t',
                        '-v', 'ON_ERROR_STOP=1', '-F', FS, '-R', RS, '-d', db, '-c', sql],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit('reference: psql failed: ' + p.stderr.strip())
    return [r.split(FS) for r in p.stdout.rstrip('\n').split(RS) if r.strip()]


def source_files():
    """The src/*.sql files in the install script's order (the Makefile's SQL_SOURCES)."""
    mk = open(os.path.join(ROOT, 'Makefile'), encoding='utf-8').read()
    m = re.search(r'^SQL_SOURCES\s*=\s*(.*)$', mk, re.M)
    return [f.strip() for f in m.group(1).split()]


def typename(t):
    """A type as format_type prints it, from how the SQL files write it."""
    t = ' '.join(t.lower().split()).replace('@extschema@.', '')
    return {'float8': 'double precision', 'int8': 'bigint', 'int4': 'integer', 'int': 'integer',
            'int2': 'smallint', 'float4': 'real', 'bool': 'boolean'}.get(t, t)


def defined_in(files):
    """Where each object is created: (kind word, lower-case name) -> [(area,
    the text after the name up to its closing parenthesis)]."""
    where = {}
    pat = re.compile(r'^\s*CREATE\s+(?:UNLOGGED\s+)?(FUNCTION|AGGREGATE|PROCEDURE|TYPE|TABLE|VIEW|OPERATOR|CAST)\s+'
                     r'(?:@extschema@\.)?("?[^\s(;"]+"?|\()', re.I | re.M)
    for f in files:
        area = os.path.splitext(os.path.basename(f))[0]
        text = open(os.path.join(ROOT, f), encoding='utf-8').read()
        for m in pat.finditer(text):
            kind, name = m.group(1).lower(), m.group(2).strip('"').lower()
            rest = text[m.end(2):]
            args = rest[:rest.find(')') + 1] if ')' in rest else ''
            if kind == 'cast':
                c = re.match(r'\s*([^)]*?)\s+AS\s+([^)]+)\)', text[m.end(2):], re.I)
                if c:
                    where.setdefault(('cast', typename(c.group(1)) + ' as ' + typename(c.group(2))), []).append((area, ''))
                continue
            where.setdefault((kind, name), []).append((area, args.lower()))
    return where


def area_of(kind, name, signature, where):
    """The area (file stem) of one catalog object; overloads in several files
    are told apart by the argument types their CREATE names."""
    keys = {'function': ['function', 'aggregate', 'procedure'], 'type': ['type', 'table', 'view'],
            'operator': ['operator'], 'relation': ['table', 'view']}
    if kind == 'cast':
        src, _, dst = signature.partition(' AS ')
        c = where.get(('cast', typename(src) + ' as ' + typename(dst)))
        return c[0][0] if c else None
    cands = [c for k in keys.get(kind, []) for c in where.get((k, name.lower()), [])]
    if len({a for a, _ in cands}) > 1 and kind == 'function':
        types = re.findall(r'\b(sek|estimate|census|survival_curve|forecast_model|placement_forecast_result|float8|double precision|numeric|bigint|integer|text|date|daterange|regclass)\b',
                           signature.split('(', 1)[1].lower())
        first = types[0] if types else None
        fit = [a for a, args in cands if first and re.search(r'\b%s\b' % re.escape(first), args)]
        if fit:
            return fit[0]
    return cands[0][0] if cands else None


def esc(s):
    """Text for a Markdown paragraph (no stray emphasis or HTML)."""
    return s.replace('\\', '\\\\').replace('*', '\\*').replace('_', '\\_').replace('<', '&lt;')


def generate(db):
    rows = psql(db, QUERY)
    version = psql(db, "SELECT extversion FROM pg_extension WHERE extname = 'actionplan'")[0][0]
    files = source_files()
    where = defined_in(files)
    order = [os.path.splitext(os.path.basename(f))[0] for f in files]
    # operators are created by CREATE OPERATOR <sym>; their area is the one of
    # the function that implements them, found through the type they act on
    groups = {a: [] for a in order}
    unplaced = []
    for kind, name, what, sig, result, comment in rows:
        a = area_of(kind, name, sig, where)
        if a is None and kind == 'operator':
            t = re.findall(r'\b(sek|estimate|census|survival_curve|forecast_model)\b', sig)
            a = {'sek': 'sek', 'estimate': 'estimate'}.get(t[-1] if t else 'sek', 'sek')
        if a is None and kind == 'type' and what == 'composite type':
            a = area_of('relation', name, sig, where)
        if a is None:
            unplaced.append((kind, name, what, sig))
            continue
        groups[a].append((kind, name, what, sig, result, comment))
    if unplaced:
        sys.exit('reference: no source file found for ' + '; '.join(' '.join(u[2:]) for u in unplaced))
    out = ['# Reference', '',
           '<!-- generated by scripts/reference.py from the COMMENTs of the installed',
           '     extension; do not edit: make test fails when this file is out of date -->', '',
           'Every object of actionplan %s, by area, with its signature and what its' % version,
           'COMMENT says. The area pages explain and show them at work; the',
           '[conventions](conventions.md) hold for all of them.', '']
    toc = []
    body = []
    kind_rank = {'type': 0, 'composite type': 1, 'domain': 1, 'table': 2, 'view': 3,
                 'aggregate': 4, 'function': 5, 'procedure': 5, 'operator': 6, 'cast': 7}
    for a in order:
        objs = groups[a]
        if not objs:
            continue
        title, page = AREAS.get(a, (a, None))
        anchor = re.sub(r'[^a-z0-9 -]', '', title.lower()).replace(' ', '-')
        toc.append('- [%s](#%s)' % (title, anchor))
        body += ['## ' + title, '']
        if page:
            body += ['Source: `src/%s.sql`; explained in [%s](%s).' % (a, page, page), '']
        api = [o for o in objs if not o[2].endswith(' support')]
        sup = sorted({o[1] for o in objs if o[2].endswith(' support')})
        api.sort(key=lambda o: (kind_rank.get(o[2], 9), o[1], o[3]))
        for kind, name, what, sig, result, comment in api:
            if kind == 'function':
                head = '**`%s`** → `%s`' % (sig, result)
            elif kind == 'type' and what != 'type':
                head = '**`%s`** (%s): `%s`' % (sig, what, result) if result else '**`%s`** (%s)' % (sig, what)
            elif kind == 'relation':
                head = '**`%s`** (%s): `%s`' % (sig, what, result)
            elif kind == 'operator':
                head = '**`%s`** → `%s`' % (sig, result)
            elif kind == 'cast':
                head = '**`CAST(%s)`** (%s)' % (sig, result)
            else:
                head = '**`%s`** (%s)' % (sig, what)
            if what in ('aggregate', 'procedure'):
                head += ' — ' + what
            body += [head + '  ', esc(comment) if comment else '*(no comment)*', '']
        if sup:
            body += ['Support functions (called by the types and aggregates above, not by users): ' +
                     ', '.join('`%s`' % s for s in sup) + '.', '']
    return '\n'.join(out + toc + [''] + body).rstrip('\n') + '\n'


def main(argv):
    check = '--check' in argv
    psql('postgres', 'DROP DATABASE IF EXISTS %s' % DB)
    psql('postgres', 'CREATE DATABASE %s' % DB)
    try:
        psql(DB, 'CREATE EXTENSION actionplan')
        text = generate(DB)
    finally:
        psql('postgres', 'DROP DATABASE IF EXISTS %s' % DB)
    if not check:
        open(OUT, 'w', encoding='utf-8').write(text)
        print('reference: wrote docs/reference.md (%d lines)' % text.count('\n'))
        return 0
    old = open(OUT, encoding='utf-8').read() if os.path.exists(OUT) else ''
    if old == text:
        print('reference: docs/reference.md is up to date (%d lines)' % text.count('\n'))
        return 0
    diff = list(difflib.unified_diff(old.split('\n'), text.split('\n'), 'docs/reference.md',
                                     'generated', lineterm='', n=1))
    print('\n'.join(diff[:60]))
    print('reference: docs/reference.md is out of date (%d diff lines); run /usr/bin/python3 scripts/reference.py' % len(diff))
    return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
