#!/usr/bin/python3
"""The documentation's SQL examples, run against the demo municipality, so
that they cannot drift from the code.

    /usr/bin/python3 test/docs_examples.py [--db DB] [--setup] [-v] [FILE.md ...]

Reads every fenced ```sql block of README.md and docs/**/*.md (or the files
given) and runs it with psql ($PGBIN/psql; PGHOST, PGPORT and PGUSER as the
test cluster's) in the database DB (default actionplan_clients, which
test/clients/setup.sh makes; --setup first (re)creates DB with that script:
the extension and demo/municipality.sql with its nightly forecasts); -v
lists the statements whose stated values were compared.

Conventions of the examples (README.md states them at the top of its tour):
  * each block runs in one transaction, rolled back at its end, as the
    connecting superuser with search_path = demo, public (the demo's tables
    first, then the extension); an example switches role with SET ROLE;
  * each statement runs under a savepoint, so an expected error does not end
    the block; psql meta-commands (a line starting with a backslash) run as
    they are (\\i demo/plans.sql runs from the repository's root);
  * every statement must succeed, unless its trailing comment (a -- comment
    on the line the statement ends on, after its semicolon) reads
    `-- ERROR <SQLSTATE>`: then it must fail with exactly that SQLSTATE;
  * a statement that returns exactly one row and has a trailing comment
    states that row: for a row of several columns the comment is split into
    values at " | " (the number of values must be the number of columns); each
    value is its text up to the first two spaces, " (" or ": " (what follows
    is prose); each must equal the printed column (psql's text output; NULL
    as NULL; no-break and narrow no-break spaces read as spaces on both
    sides; a boolean's t/f matches true/false).  A statement returning no
    row or several rows may carry any comment (prose);
  * a ```sql block followed (after blank lines only) by a plain ``` block
    holding a psql table (a header line, a line of dashes and plus signs, its
    rows, an optional "(N rows)") shows the result of the block's last
    statement: its column names and every row must equal what psql prints,
    cell by cell (spaces as above), in order;
  * every statement that prints rows states them, so that no shown output
    can drift: a single row by its trailing comment (as above), no row by the
    trailing comment `-- no rows`, several rows by being the block's last
    statement with a psql table shown after the block; a query whose rows
    are not stated is a failure ("output not stated");
  * a block that cannot run as it stands (a template with placeholders, a
    command of another database) is marked in its info string: ```sql norun
    (or ```sql-template).  Such blocks are counted but not run; keep them
    few.  Blocks of other languages (sh, text) are not read.

Prints one line per failing statement (FAIL file:line: the statement,
what was expected and what came), and last `docs_examples: N blocks, M statements, K
failed` (N counts the blocks run, M their statements); exits 1 on any
failure.
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARK = '@@docs_examples@@'
FS, RS = '\x1f', '\x1e'
FENCE = re.compile(r'^(\s*)(```+|~~~+)\s*([^\s`]*)(.*)$')
SQLSTATE = re.compile(r'^ERROR\s+([0-9A-Z]{5})\b')
CHECKED = []           # the statements whose stated row was compared (for -v)
SPACES = str.maketrans({'\u00a0': ' ', '\u202f': ' '})


def blocks(path):
    """The fenced blocks of a Markdown file: (first line number, info words,
    lines, whether it follows the previous block with only blank lines between)."""
    out = []
    lines = open(path, encoding='utf-8').read().split('\n')
    i = 0
    prev_end = None
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence = len(m.group(1)), m.group(2)
        info = (m.group(3) + ' ' + m.group(4)).split()
        body = []
        j = i + 1
        while j < len(lines) and not re.match(r'^\s*' + re.escape(fence[0]) + '{%d,}\\s*$' % len(fence), lines[j]):
            body.append(lines[j][indent:] if lines[j][:indent].isspace() else lines[j].lstrip())
            j += 1
        adjacent = prev_end is not None and all(not l.strip() for l in lines[prev_end + 1:i])
        out.append((i + 2, info, body, adjacent))
        prev_end = j
        i = j + 1
    return out


def statements(first, lines):
    """Split a block into statements: (line, text, trailing comment or None)."""
    out = []
    buf, start, k = '', None, 0
    text = '\n'.join(lines) + '\n'
    line = first
    n = len(text)
    while k < n:
        c = text[k]
        if start is None:
            # between statements: blanks, comments, meta-commands
            if c == '\n':
                line += 1
                k += 1
                continue
            if c.isspace():
                k += 1
                continue
            if text.startswith('--', k):
                k = text.index('\n', k)
                continue
            if c == '\\':
                e = text.index('\n', k)
                out.append((line, text[k:e].strip(), None))
                k = e
                continue
            start, buf = line, ''
        if text.startswith('--', k):
            e = text.index('\n', k)
            buf += text[k:e]
            k = e
            continue
        if text.startswith('/*', k):
            e = text.find('*/', k + 2)
            e = n if e < 0 else e + 2
            seg = text[k:e]
        elif c in "'\"":
            e = k + 1
            while e < n:
                if text[e] == c and text.startswith(c * 2, e):
                    e += 2
                    continue
                if text[e] == '\\' and c == "'" and k > 0 and text[k - 1] in 'eE':
                    e += 2
                    continue
                if text[e] == c:
                    break
                e += 1
            e += 1
            seg = text[k:e]
        elif c == '$' and re.match(r'\$([A-Za-z_][A-Za-z0-9_]*)?\$', text[k:]) and not (k > 0 and (text[k - 1].isalnum() or text[k - 1] == '_')):
            tag = re.match(r'\$([A-Za-z_][A-Za-z0-9_]*)?\$', text[k:]).group(0)
            e = text.find(tag, k + len(tag))
            e = n if e < 0 else e + len(tag)
            seg = text[k:e]
        elif c == ';':
            # the statement ends; a -- comment on the rest of the line is its trailing comment
            e = text.index('\n', k)
            rest = text[k + 1:e].strip()
            comment = None
            if rest.startswith('--'):
                comment = rest[2:].strip()
                k = e
            else:
                k += 1
            out.append((start, buf.strip() + ';', comment))
            start, buf = None, ''
            continue
        else:
            seg = c
            e = k + 1
        buf += seg
        line += seg.count('\n')
        k = e
    if start is not None and buf.strip():
        out.append((start, buf.strip() + ';', None))
    return out


def script(stmts):
    """The psql script of one block: each statement under a savepoint, between markers."""
    s = ["\\set QUIET 1", "\\set ON_ERROR_STOP 0", "\\set VERBOSITY default",
         "\\pset format unaligned", "\\pset null NULL", "\\pset pager off",
         "\\pset fieldsep '\\037'", "\\pset recordsep '\\036'",
         "BEGIN;", "SET LOCAL search_path = demo, public;", "SET LOCAL client_min_messages = warning;", "SET LOCAL statement_timeout = '120s';"]
    for i, (_, text, _) in enumerate(stmts):
        s += ["SAVEPOINT docs_example;", "\\echo '%s' begin %d" % (MARK, i), text,
              "\\echo '%s' end %d :SQLSTATE" % (MARK, i),
              "\\if :ERROR", "ROLLBACK TO SAVEPOINT docs_example;", "\\else",
              "RELEASE SAVEPOINT docs_example;", "\\endif"]
    s.append("ROLLBACK;")
    return '\n'.join(s) + '\n'


def run(db, stmts):
    """Run a block; per statement (SQLSTATE, output text, error lines)."""
    p = subprocess.run([os.path.join(os.environ.get('PGBIN', ''), 'psql'), '-X', '-d', db, '-f', '-'],
                       input=script(stmts), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, cwd=ROOT)
    res = [None] * len(stmts)
    pat = re.compile(re.escape(MARK) + r' begin (\d+)\n(.*?)' + re.escape(MARK) + r' end \1 (\S*)\n', re.S)
    for m in pat.finditer(p.stdout):
        out = m.group(2)
        errors = [l for l in out.split('\n') if re.match(r'^psql:.*?(ERROR|FATAL):', l)]
        res[int(m.group(1))] = (m.group(3), out, errors)
    return res, p.stdout


def rows(out):
    """A statement's result as printed by psql (unaligned): (header, rows) or None without one."""
    out = '\n'.join(l for l in out.split('\n') if not re.match(r'^(psql:|DETAIL: |HINT: |CONTEXT: )', l))
    recs = out.strip('\n').split(RS)
    if not recs:
        return None
    last = recs[-1].strip()
    m = re.match(r'^\((\d+) rows?\)$', last)
    if not m or len(recs) < 2:
        return None
    header = recs[0].strip('\n').split(FS)
    return header, [r.split(FS) for r in recs[1:-1]]


def expected_values(comment, columns):
    """The values a trailing comment states for a row of that many columns."""
    parts = re.split(r'\s+\|\s+', comment) if columns > 1 else [comment]
    vals = []
    for p in parts:
        cut = len(p)
        for sep in ('  ', ' (', ': '):
            i = p.find(sep)
            if i >= 0:
                cut = min(cut, i)
        v = p[:cut].rstrip()
        if v.endswith(':'):
            v = v[:-1]
        vals.append(v.translate(SPACES))
    return vals


def shown_table(body):
    """A psql table as a documentation block shows it: (header, rows), or None
    when the block is not one."""
    ls = [l for l in body if l.strip()]
    if len(ls) < 2 or not re.match(r'^-+(\+-+)*$', ls[1].strip()):
        return None
    cells = lambda l: [c.strip().translate(SPACES) for c in l.split('|')]
    body_rows = [l for l in ls[2:] if not re.match(r'^\(\d+ rows?\)$', l.strip())]
    return cells(ls[0]), [cells(l) for l in body_rows]


def check_table(shown, result):
    """What differs between a shown table and a statement's printed result:
    (expected, actual) or None."""
    if result is None or result[0] != '00000':
        return ('the table shown', 'no result')
    r = rows(result[1])
    if r is None:
        return ('the table shown', 'no rows printed')
    header, got = r
    got = [[c.translate(SPACES).strip() for c in row] for row in got]
    header = [c.strip() for c in header]
    if header != shown[0]:
        return ('columns ' + ' | '.join(shown[0]), 'columns ' + ' | '.join(header))
    if len(got) != len(shown[1]):
        return ('%d rows' % len(shown[1]), '%d rows' % len(got))
    for k, (w, g) in enumerate(zip(shown[1], got)):
        if w != g:
            return ('row %d: %s' % (k + 1, ' | '.join(w)), ' | '.join(g))
    return None


def same(want, got):
    """A printed value matches a stated one (spaces and booleans as the header says)."""
    got = got.translate(SPACES).strip()
    if want in ('true', 'false') and got in ('t', 'f'):
        got = {'t': 'true', 'f': 'false'}[got]
    return want == got


def failure(state, errors):
    """An error as the report line shows it: SQLSTATE and messages."""
    return 'ERROR %s %s' % (state, ' / '.join(re.sub(r'^psql:.*?(ERROR|FATAL):\s*', '', e) for e in errors))


def check(stmt, result, table_shown=False):
    """What is wrong with one statement's result: (expected, actual) or None;
    table_shown: a psql table after the block states this statement's rows."""
    _, text, comment = stmt
    if result is None:
        return ('to run', 'no result from psql (the block stopped before it)')
    state, out, errors = result
    m = SQLSTATE.match(comment or '')
    if m:
        if state == m.group(1):
            return None
        return ('ERROR ' + m.group(1), 'success' if state == '00000' and not errors else failure(state, errors))
    if state != '00000' or errors:
        return ('success', failure(state, errors))
    r = rows(out)
    if r is None or table_shown:
        return None
    if len(r[1]) == 0:
        return None if comment == 'no rows' else ('-- no rows', 'output not stated: 0 rows')
    if len(r[1]) != 1 or comment is None:
        return ('its rows stated', 'output not stated: %d rows (state one row in a trailing comment, or show a table after the block)' % len(r[1]))
    header, (row,) = r
    want = expected_values(comment, len(row))
    if len(want) != len(row):
        return (' | '.join(want), '%d columns: %s' % (len(row), ' | '.join(row)))
    if all(same(w, g) for w, g in zip(want, row)):
        CHECKED.append(stmt)
        return None
    return (' | '.join(want), ' | '.join(row))


def short(text, width=100):
    """A statement on one line, cut to width."""
    t = ' '.join(text.split())
    return t if len(t) <= width else t[:width - 1] + '…'


def main(argv):
    db = 'actionplan_clients'
    setup = verbose = False
    files = []
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == '--db':
            db = args.pop(0)
        elif a == '--setup':
            setup = True
        elif a == '-v':
            verbose = True
        else:
            files.append(a)
    if setup:
        subprocess.run(['bash', 'test/clients/setup.sh'], cwd=ROOT, check=True,
                       env=dict(os.environ, AP_CLIENT_DB=db))
    if not files:
        files = ['README.md'] + sorted(glob.glob('docs/**/*.md', recursive=True, root_dir=ROOT))
    n_blocks = n_stmts = n_failed = n_norun = n_tables = 0
    for f in files:
        bs = blocks(os.path.join(ROOT, f))
        for b, (first, info, body, _) in enumerate(bs):
            if not info or info[0] not in ('sql', 'sql-template'):
                continue
            if info[0] == 'sql-template' or 'norun' in info[1:]:
                n_norun += 1
                continue
            stmts = statements(first, body)
            if not stmts:
                continue
            n_blocks += 1
            n_stmts += len(stmts)
            res, raw = run(db, stmts)
            shown = None
            if b + 1 < len(bs) and bs[b + 1][3] and not bs[b + 1][1]:
                shown = shown_table(bs[b + 1][2])
            for k, (st, r) in enumerate(zip(stmts, res)):
                bad = check(st, r, shown is not None and k == len(stmts) - 1)
                if bad:
                    n_failed += 1
                    print('FAIL %s:%d: %s  expected: %s  actual: %s' % (f, st[0], short(st[1], 80), bad[0], short(bad[1], 200)))
            # a psql table shown right after the block: the last statement's result
            if shown is not None:
                n_tables += 1
                bad = check_table(shown, res[-1])
                if bad:
                    n_failed += 1
                    print('FAIL %s:%d: the table shown after %s  expected: %s  actual: %s'
                          % (f, bs[b + 1][0], short(stmts[-1][1], 60), short(bad[0], 120), short(bad[1], 120)))
    if verbose:
        for line, text, comment in CHECKED:
            print('checked line %d: %s  -- %s' % (line, short(text, 60), comment))
    print('docs_examples: %d blocks, %d statements, %d result tables, %d failed (%d blocks marked norun)'
          % (n_blocks, n_stmts, n_tables, n_failed, n_norun))
    return 1 if n_failed or not n_blocks else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
