#!/usr/bin/python3
"""What BI tools read, through psqlODBC (unixODBC, pyodbc) as Excel and Power BI
do: every column of the report functions and of forecast_latest on the demo
data, with the type the driver reports.  Amounts and percentages must arrive
as decimal.Decimal (never the text of a sek), every other column as the type
listed here, and the amounts must add up as numbers: the client's sum of a
column equals the server's, and follow_up_report's unit rows add up to its
total row.  Connects to the throwaway cluster (PGHOST socket directory,
PGPORT, PGUSER from scripts/lib.sh's client_env) and the database named by
AP_CLIENT_DB (test/clients/setup.sh loads the demo into it).  Prints one
line per failure ("FAIL ...") and exits 1 if there was any."""
import datetime
import decimal
import glob
import json
import os
import sys

import pyodbc

D = decimal.Decimal
# the Python type psqlODBC and pyodbc give for each PostgreSQL type of
# objects.json (arrays, jsonb and regclass arrive as their text)
PY = {'numeric': D, 'text': str, 'int4': int, 'int8': int, 'date': datetime.date,
      'timestamptz': datetime.datetime, 'bool': bool, 'jsonb': str, 'regclass': str, 'text[]': str, 'int4[]': str}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'objects.json')) as f:
    OBJECTS = json.load(f)['objects']


def sum_query(query, cols):
    """The server's sums of these columns of the query's rows, as text."""
    return 'SELECT %s FROM (%s) q' % (', '.join('sum(q.%s)::text' % c for c in cols), query)

failures = []


def fail(msg):
    failures.append(msg)
    print('FAIL odbc: ' + msg)


def connect():
    drivers = glob.glob('/usr/lib/*/odbc/psqlodbcw.so') + glob.glob('/usr/lib/odbc/psqlodbcw.so')
    if not drivers:
        sys.exit('FAIL odbc: psqlODBC (psqlodbcw.so) is not installed: run scripts/deps.sh')
    # DSN-less, over the cluster's unix socket (Servername = its directory);
    # BoolsAsChar=0: booleans as bool, not as the text 1/0
    return pyodbc.connect(
        'Driver={%s};Servername=%s;Port=%s;Database=%s;Uid=%s;Pwd=;SSLmode=disable;BoolsAsChar=0'
        % (drivers[0], os.environ['PGHOST'], os.environ['PGPORT'],
           os.environ.get('AP_CLIENT_DB', 'actionplan_clients'), os.environ.get('PGUSER', 'postgres')),
        autocommit=True)


def check(cur, name, query, columns):
    try:
        cur.execute(query)
    except pyodbc.Error as e:
        fail('%s: %s' % (name, e))
        return None
    desc = cur.description
    rows = cur.fetchall()
    got = [d[0] for d in desc]
    want = [c for c, _ in columns]
    if got != want:
        fail('%s: columns %s, expected %s' % (name, got, want))
        return None
    if not rows:
        fail('%s: no rows on the demo data' % name)
        return None
    for i, (col, kind) in enumerate(columns):
        t = desc[i][1]
        if t is not PY[kind]:
            fail('%s.%s: driver reports %s, expected %s (%s)' % (name, col, t.__name__, PY[kind].__name__, kind))
            continue
        bad = [r[i] for r in rows if r[i] is not None and not isinstance(r[i], PY[kind])]
        if bad:
            fail('%s.%s: values %r are not %s' % (name, col, bad[:3], PY[kind].__name__))
    return rows


def main():
    cn = connect()
    cur = cn.cursor()
    cur.execute("SET search_path = demo, public")
    checked = 0
    for obj in OBJECTS:
        name, query, columns = obj['name'], obj['query'], obj['columns']
        rows = check(cur, name, query, columns)
        if rows is None:
            continue
        # the client's sums of each amount column against the server's
        numeric = [(i, c) for i, (c, k) in enumerate(columns) if k == 'numeric']
        cur.execute(sum_query(query, [c for _, c in numeric]))
        server = cur.fetchone()
        for j, (i, col) in enumerate(numeric):
            vals = [r[i] for r in rows if r[i] is not None]
            if not all(isinstance(v, D) for v in vals):
                continue
            mine = sum(vals, D(0)) if vals else None
            theirs = D(server[j]) if server[j] is not None else None
            if mine != theirs:
                fail('%s.%s: the client sums %s, the server %s' % (name, col, mine, theirs))
            checked += 1
        if obj.get('total_row'):
            total = rows[-1]
            for i, (col, kind) in enumerate(columns):
                if kind != 'numeric' or col in ('consumption', 'deviation_pct') or col in obj.get('not_additive', []):
                    continue
                if not all(isinstance(r[i], D) for r in rows):
                    continue
                units = sum((r[i] for r in rows[:-1]), D(0))
                if units != total[i]:
                    fail('%s.%s: the units add up to %s, the total row says %s' % (name, col, units, total[i]))
    print('odbc: %d objects, %d numeric columns summed, %d failures' % (len(OBJECTS), checked, len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
