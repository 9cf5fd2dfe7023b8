#!/usr/bin/python3
"""The printed committee report (demo/out/report.pdf, made from report.html
by scripts/pdf.sh): every page is A4 (portrait, or landscape for the wide
sections), every column heading of every table of the HTML is in the PDF's
text, and no section or table heading is the last line of a page (stranded
away from its table).  With the terminal report (what demo/report.sql
prints) too: no line is wider than 160 characters and every number in a
table cell is right-aligned.  Prints one line per failure and exits 1 if any.

    /usr/bin/python3 test/report_pdf.py report.html report.pdf [report.txt]
"""
import html.parser
import os
import re
import subprocess
import sys

A4 = (595, 842)       # points, rounded: 210 × 297 mm
TERMINAL = 160        # characters
NUMBER = re.compile(r'^-?[0-9][0-9 \u00a0,.\u2013%-]*( till -?[0-9][0-9 \u00a0,.]*)?( (%|kr|tkr|mnkr|mkr))?$')
WINDOW = 60           # a wrapped heading's words lie within this many words of the PDF text


class Headings(html.parser.HTMLParser):
    """The column headings (th) of each table, and the h1/h2/caption texts."""

    def __init__(self):
        super().__init__()
        self.tables = []      # one list of headings per table
        self.titles = []      # h1, h2 and caption texts
        self.cur = None       # text of the open th/h1/h2/caption
        self.tag = None

    def handle_starttag(self, tag, attrs):
        if tag == 'table':
            self.tables.append([])
        elif tag in ('th', 'h1', 'h2', 'caption'):
            self.cur, self.tag = [], tag

    def handle_endtag(self, tag):
        if self.cur is not None and tag == self.tag:
            text = ' '.join(''.join(self.cur).split())
            if tag == 'th':
                self.tables[-1].append(text)
            elif text:
                self.titles.append(text)
            self.cur = self.tag = None

    def handle_data(self, data):
        if self.cur is not None:
            self.cur.append(data)


def words(text):
    """text's words; a dash or slash ends a word, as a line may break there
    ("Prognos sep–" / "dec")"""
    return re.sub(r'([-–/])', r'\1 ', text).split()


def find(heading, tokens, start=0, stop=None):
    """Where heading's words begin in tokens[start:stop], in order and each
    within WINDOW words of the first (a heading wrapped over two lines of its
    cell is interleaved with the neighbouring cells' words in the layout
    text); -1 if they do not."""
    hw = words(heading)
    stop = len(tokens) if stop is None else min(stop, len(tokens))
    for first in range(start, stop):
        if tokens[first] != hw[0]:
            continue
        i, k = first + 1, 1
        while k < len(hw) and i < min(stop, first + WINDOW):
            if tokens[i] == hw[k]:
                k += 1
            i += 1
        if k == len(hw):
            return first
    return -1


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def terminal(path):
    """The terminal report's failures: lines too wide, numbers not
    right-aligned in their cell (a cell is what lies between ' | ')."""
    failures = []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f.read().splitlines(), 1):
            if len(line) > TERMINAL:
                failures.append(f'terminal line {n} has {len(line)} characters: {line[:60]}…')
            cells = line.split(' | ')
            if len(cells) < 2:
                continue
            for c in cells[1:-1]:
                if NUMBER.match(c.strip()) and c.endswith('  '):
                    failures.append(f'terminal line {n}: "{c.strip()}" is not right-aligned')
            if NUMBER.match(cells[-1].strip()) and cells[-1].endswith(' '):
                failures.append(f'terminal line {n}: "{cells[-1].strip()}" is not right-aligned')
    return failures


def main(html_path, pdf_path, text_path=None):
    failures = terminal(text_path) if text_path else []
    p = Headings()
    with open(html_path, encoding='utf-8') as f:
        p.feed(f.read())
    if not p.tables:
        failures.append('no table in ' + html_path)

    pages = int(re.search(r'^Pages:\s+(\d+)', run('pdfinfo', pdf_path), re.M).group(1))
    sizes = re.findall(r'^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts', run('pdfinfo', '-f', '1', '-l', str(pages), pdf_path), re.M)
    if len(sizes) != pages:
        failures.append(f'pdfinfo lists {len(sizes)} page sizes for {pages} pages')
    for n, w, h in sizes:
        wh = (round(float(w)), round(float(h)))
        if wh not in (A4, A4[::-1]):
            failures.append(f'page {n} is {w} x {h} pts, not A4 ({A4[0]} x {A4[1]} or {A4[1]} x {A4[0]})')

    text = run('pdftotext', '-layout', pdf_path, '-')
    tokens = words(text)
    # table by table in order: each table's headings close after its first
    # one, found after the previous table's (a heading cut off one table is
    # not found in another)
    pos = 0
    for t, heads in enumerate(p.tables, 1):
        heads = [h for h in heads if words(h)]
        if not heads:
            continue
        # the first occurrence of the first heading with all the others
        # close after it (a repeated header of the table before may come
        # first), else the one with the fewest missing
        span = 3 * sum(len(words(h)) for h in heads) + 20
        best, start = None, find(heads[0], tokens, pos)
        while start >= 0:
            missing = [h for h in heads[1:] if find(h, tokens, start, start + span) < 0]
            if best is None or len(missing) < len(best[1]):
                best = (start, missing)
            if not missing:
                break
            start = find(heads[0], tokens, start + 1)
        if best is None:
            failures.append(f'table {t}: its first column heading "{heads[0]}" is not in the PDF text')
            continue
        start = best[0]
        failures += [f'table {t}: column heading "{h}" is not in the PDF text' for h in best[1]]
        pos = start + 1

    # a heading as the last line of a page is stranded from what it heads
    for n, page in enumerate(text.split('\f')[:pages], 1):
        lines = [' '.join(l.split()) for l in page.splitlines() if l.strip()]
        if lines and lines[-1] in p.titles:
            failures.append(f'page {n} ends with the heading "{lines[-1]}"')

    # the committee reads Swedish: no function of the extension (a name with
    # an underscore, from the install script's sources) and no document
    # number of the reports the demo is modelled on
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src')
    names = set()
    for fn in os.listdir(src):
        if fn.endswith('.sql'):
            with open(os.path.join(src, fn), encoding='utf-8') as f:
                names |= set(re.findall(r'^CREATE (?:FUNCTION|AGGREGATE|PROCEDURE) (\w+_\w+)', f.read(), re.M))
    texts = [('PDF', text)]
    if text_path:
        with open(text_path, encoding='utf-8') as f:
            texts.append(('terminal', f.read()))
    for where, t in texts:
        for name in sorted(n for n in names if re.search(r'\b' + n + r'\b', t)):
            failures.append(f'the {where} text names the function {name}')
        if re.search(r'\b(seed|som 003)\b', t):
            failures.append(f'the {where} text cites a source document by number')

    for f in failures:
        print('FAIL', f)
    print(f'report_pdf: {pages} pages, {sum(map(len, p.tables))} column headings of {len(p.tables)} tables, {len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
