#!/usr/bin/env python3
"""Scores a moodleleaks binary on the research corpus (bench/corpus, labels in labels.tsv).

Why: the corpus imitates how people really write Moodle credentials (see
bench/corpus/SOURCES.md); it is labelled independently of the rules, so this score is the
honest measure of detection. Matching follows ../shared/cases/check.py exactly:
  * a credential finding (wstoken, privatetoken, mobile-launch, password-in-url, userkey)
    matches a label on the exact (path, line, kind, secret);
  * an http hygiene note (kind `hygiene`, rule id containing `http`) matches a
    `hygiene-http` label on (path, line); extra hygiene notes are not counted against;
  * any credential finding without a label is a false positive (a file labelled `none`
    must yield no credential at all).

Usage:
  score_corpus.py BIN [--corpus DIR] [--min 0.97] [--per-kind-min 0.95] [--json]
  score_corpus.py --selftest
Exit status: 0 when precision and recall >= --min and every kind's recall (and precision,
where the kind has findings) >= --per-kind-min; 1 otherwise; 2 on usage or scan errors."""
import argparse, collections, csv, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CRED = {'wstoken', 'privatetoken', 'mobile-launch', 'password-in-url', 'userkey'}
# The corpus's own description files: not part of the measured material.
META = {'labels.tsv', 'README.md', 'SOURCES.md'}
KINDS = ['wstoken', 'privatetoken', 'mobile-launch', 'password-in-url', 'userkey', 'hygiene-http']


def load_labels(path):
    """Reads labels.tsv -> (expected set of (path, line, kind, secret), {path: pattern})."""
    want, pattern_of = set(), {}
    with open(path, newline='') as f:
        for row in csv.DictReader(f, delimiter='\t'):
            pattern_of.setdefault(row['path'], row['pattern'])
            if row['kind'] != 'none':
                want.add((row['path'], int(row['line']), row['kind'], row['secret']))
    return want, pattern_of


def findings_to_set(doc, corpus):
    """Turns a moodleleaks JSON report into the comparable set, as check.py does."""
    got = set()
    for f in doc['findings']:
        p = f['path']
        if not os.path.isabs(p):
            # relative to the scan root (as check.py assumes), else to the working directory
            p = os.path.join(corpus, p) if os.path.exists(os.path.join(corpus, p)) or not os.path.exists(p) else os.path.abspath(p)
        path = os.path.relpath(p, corpus)
        if f['kind'] in CRED:
            got.add((path, int(f['line']), f['kind'], f['secret']))
        elif f['kind'] == 'hygiene' and 'http' in f['rule_id']:
            got.add((path, int(f['line']), 'hygiene-http', ''))
    return got


def ratio(a, b):
    return a / b if b else 1.0


def score(want, got, pattern_of):
    """Compares expected and reported sets. Returns a JSON-able dict with overall, per-kind
    and per-pattern precision/recall and the lists of misses and false positives."""
    tp = want & got
    missed = want - got
    fp = {g for g in got - want if g[2] != 'hygiene-http'}
    extra_hygiene = {g for g in got - want if g[2] == 'hygiene-http'}
    res = {
        'expected': len(want), 'reported': len(tp) + len(fp), 'true_positives': len(tp),
        'false_positives': len(fp), 'missed': len(missed),
        'precision': ratio(len(tp), len(tp) + len(fp)), 'recall': ratio(len(tp), len(want)),
        'unlabelled_hygiene_notes': len(extra_hygiene), 'kinds': {}, 'patterns': {},
    }
    for k in KINDS:
        w = {x for x in want if x[2] == k}
        t = {x for x in tp if x[2] == k}
        f = {x for x in fp if x[2] == k}
        res['kinds'][k] = {'expected': len(w), 'found': len(t), 'false_positives': len(f),
                           'precision': ratio(len(t), len(t) + len(f)), 'recall': ratio(len(t), len(w))}
    pats = collections.defaultdict(lambda: {'expected': 0, 'found': 0, 'missed': [], 'false_positives': []})
    for p in set(pattern_of.values()):
        pats[p]
    for x in want:
        pats[pattern_of[x[0]]]['expected'] += 1
    for x in tp:
        pats[pattern_of[x[0]]]['found'] += 1
    for x in sorted(missed):
        pats[pattern_of[x[0]]]['missed'].append({'path': x[0], 'line': x[1], 'kind': x[2], 'secret': x[3]})
    for x in sorted(fp):
        pats[pattern_of.get(x[0], '(unlabelled file)')]['false_positives'].append(
            {'path': x[0], 'line': x[1], 'kind': x[2], 'secret': x[3]})
    res['patterns'] = dict(sorted(pats.items()))
    return res


def gate(res, overall_min, kind_min):
    """True when the scores clear the thresholds."""
    ok = res['precision'] >= overall_min and res['recall'] >= overall_min
    for k in res['kinds'].values():
        if k['expected'] and k['recall'] < kind_min:
            ok = False
        if k['found'] + k['false_positives'] and k['precision'] < kind_min:
            ok = False
    return ok


def short(s):
    return (s[:8] + '…') if len(s) > 8 else s


def print_report(res, out=sys.stdout):
    w = out.write
    w(f"precision {res['precision']:.3f}  recall {res['recall']:.3f}  "
      f"(expected {res['expected']}, found {res['true_positives']}, missed {res['missed']}, "
      f"false positives {res['false_positives']}; unlabelled http hygiene notes {res['unlabelled_hygiene_notes']})\n\n")
    w(f"{'kind':16} {'expected':>8} {'found':>6} {'fp':>4} {'precision':>9} {'recall':>7}\n")
    for k, v in res['kinds'].items():
        w(f"{k:16} {v['expected']:>8} {v['found']:>6} {v['false_positives']:>4} {v['precision']:>9.3f} {v['recall']:>7.3f}\n")
    w('\nper pattern (only those with a miss or a false positive):\n')
    clean = 0
    for p, v in res['patterns'].items():
        if not v['missed'] and not v['false_positives']:
            clean += 1
            continue
        w(f"  {p}: {v['found']}/{v['expected']} found, {len(v['false_positives'])} false positive(s)\n")
        for m in v['missed']:
            w(f"      missed   {m['path']}:{m['line']} {m['kind']} {short(m['secret'])}\n")
        for x in v['false_positives']:
            w(f"      unwanted {x['path']}:{x['line']} {x['kind']} {short(x['secret'])}\n")
    w(f"  ({clean} of {len(res['patterns'])} patterns fully right)\n")


def run_scan(bin_, corpus):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'out.json')
        p = subprocess.run([bin_, 'scan', corpus, '--no-ignore', '--format', 'json', '--show-secrets',
                            '--output', out], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode not in (0, 1) or not os.path.exists(out):
            sys.stderr.write(f"score_corpus: scan failed (exit {p.returncode}): {p.stderr.strip()}\n")
            sys.exit(2)
        with open(out) as f:
            return json.load(f)


def check_labels(corpus):
    """Checks labels.tsv against the corpus files: every corpus file has at least one row, a
    `none` file has no other row, secrets have their kind's shape (wstoken/userkey 32 hex,
    privatetoken 64 alphanumerics) and each secret stands on its labelled line (a secret
    split over string literals joined across lines, cut by quoted-printable soft line
    breaks, by a hard wrap or by an iCalendar fold: starts there), or, for the tokens inside a mobile launch URL, in the base64
    payload labelled on that line.
    Returns a list of problems (empty when the labels are consistent)."""
    import base64, re
    problems = []
    rows = list(csv.DictReader(open(os.path.join(corpus, 'labels.tsv'), newline=''), delimiter='\t'))
    by_path = collections.defaultdict(list)
    for r in rows:
        by_path[r['path']].append(r)
    # A member of an archive (a .docx's `word/document.xml`) is labelled `outer!member`, as
    # moodleleaks names it: the outer file is the corpus file.
    outer = lambda f: f.split('!', 1)[0]
    files = set()
    for d, _, names in os.walk(corpus):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), corpus)
            if rel not in META:
                files.add(rel)
    for f in sorted(files - {outer(f) for f in by_path}):
        problems.append(f'{f}: no label row')
    for f in sorted(f for f in by_path if outer(f) not in files):
        problems.append(f'{f}: labelled but missing')
    # A user key is 32 hex (user_private_key); a calendar export's auth token is a sha1.
    shape = {'wstoken': r'[0-9a-fA-F]{32}', 'userkey': r'[0-9a-fA-F]{32}|[0-9a-f]{40}',
             'privatetoken': r'[A-Za-z0-9]{64}'}
    for f, rs in by_path.items():
        if outer(f) not in files:
            continue
        kinds = {r['kind'] for r in rs}
        if 'none' in kinds and kinds != {'none'}:
            problems.append(f'{f}: `none` next to other rows')
        if '!' in f:
            import zipfile
            with zipfile.ZipFile(os.path.join(corpus, outer(f))) as z:
                raw = z.read(f.split('!', 1)[1])
        else:
            raw = open(os.path.join(corpus, f), 'rb').read()
        # Secrets are ASCII, and the legacy encodings of the corpus's files (Windows-1251,
        # Shift_JIS, …) keep `\n` a byte of its own: their other bytes read as U+FFFD.
        lines = raw.decode('utf-8', errors='replace').split('\n')
        for r in rs:
            k, sec, ln = r['kind'], r['secret'], int(r['line'])
            if k == 'none':
                continue
            if k in shape and not re.fullmatch(shape[k], sec):
                problems.append(f'{f}:{ln}: {k} has the wrong shape')
            if k == 'hygiene-http':
                if 'http://' not in lines[ln - 1]:
                    problems.append(f'{f}:{ln}: hygiene-http line has no http:// URL')
                continue
            if sec in lines[ln - 1]:
                continue
            # A secret split over string literals joined across lines starts on its line.
            joined = re.sub(r'["\'`+.\\\s]', '', '\n'.join(lines[ln - 1:ln + 3]))
            if sec in joined and sec[:8] in lines[ln - 1]:
                continue
            # A secret cut by quoted-printable soft line breaks (`=` ending a line) starts
            # on its line.
            unwrapped = re.sub(r'=\r?\n', '', '\n'.join(lines[ln - 1:ln + 3]))
            first_line = unwrapped.split('\n')[0]
            if sec in first_line and sec[:8] in lines[ln - 1]:
                continue
            # A secret cut by a hard wrap (pdftotext, a mail client: a line break, with a
            # hyphen or not, and the next line's indentation) or folded by iCalendar (a line
            # break and one blank, `\,` for a comma) starts on its line.
            window = '\n'.join(lines[ln - 1:ln + 3])
            rejoined = re.sub(r'-?\r?\n[ \t]*', '', window)
            unfolded = re.sub(r'\r?\n[ \t]', '', window).replace('\\,', ',').replace('\\;', ';')
            if (sec in rejoined or sec in unfolded) and sec[:4] in lines[ln - 1]:
                continue
            # A secret written encoded is labelled as it is read: percent-encoded (a query or
            # a form body, `+` a blank or not) or base64 (a `consul kv export` value).
            import urllib.parse
            line = lines[ln - 1]
            if sec in urllib.parse.unquote_plus(line) or sec in urllib.parse.unquote(line):
                continue
            decoded = []
            for run in re.findall(r'[A-Za-z0-9+/]{16,}={0,2}', line):
                try:
                    decoded.append(base64.b64decode(run + '=' * (-len(run) % 4)).decode('latin-1'))
                except ValueError:
                    pass
            if any(sec in d for d in decoded):
                continue
            payloads = [base64.b64decode(x['secret']).decode('latin-1') for x in rs
                        if x['kind'] == 'mobile-launch' and int(x['line']) == ln]
            if not any(sec in p for p in payloads):
                problems.append(f'{f}:{ln}: {k} secret not on its line')
    return problems


def selftest():
    """Scores a fake report against fake labels and checks every figure by hand."""
    with tempfile.TemporaryDirectory() as tmp:
        lab = os.path.join(tmp, 'labels.tsv')
        with open(lab, 'w') as f:
            f.write('path\tline\tkind\tsecret\tpattern\n'
                    'a/x.py\t3\twstoken\t' + 'a' * 32 + '\tp-one\n'
                    'a/x.py\t4\tprivatetoken\t' + 'B' * 64 + '\tp-one\n'
                    'b/y.md\t1\twstoken\t' + 'c' * 32 + '\tp-two\n'
                    'b/y.md\t1\thygiene-http\t\tp-two\n'
                    'c/z.sql\t0\tnone\t\tneg-z\n')
        want, pattern_of = load_labels(lab)
        assert len(want) == 4 and pattern_of['c/z.sql'] == 'neg-z'
        doc = {'findings': [
            {'path': 'a/x.py', 'line': 3, 'kind': 'wstoken', 'rule_id': 'r', 'secret': 'a' * 32},
            {'path': 'a/x.py', 'line': 4, 'kind': 'privatetoken', 'rule_id': 'r', 'secret': 'B' * 63},  # wrong secret
            {'path': os.path.join(tmp, 'b/y.md'), 'line': 1, 'kind': 'hygiene', 'rule_id': 'moodle-hygiene-http-x', 'secret': ''},
            {'path': 'b/y.md', 'line': 1, 'kind': 'hygiene', 'rule_id': 'moodle-hygiene-token-in-query', 'secret': ''},  # ignored
            {'path': 'c/z.sql', 'line': 9, 'kind': 'wstoken', 'rule_id': 'r', 'secret': 'd' * 32},  # false positive
            {'path': 'c/z.sql', 'line': 9, 'kind': 'hygiene', 'rule_id': 'moodle-hygiene-http-y', 'secret': ''},  # extra hygiene: not counted
        ]}
        got = findings_to_set(doc, tmp)
        res = score(want, got, pattern_of)
        assert res['true_positives'] == 2, res
        assert res['false_positives'] == 2, res  # wrong-secret privatetoken + z.sql wstoken
        assert res['missed'] == 2, res           # privatetoken and the c*32 wstoken
        assert abs(res['precision'] - 0.5) < 1e-9 and abs(res['recall'] - 0.5) < 1e-9, res
        assert res['kinds']['hygiene-http'] == {'expected': 1, 'found': 1, 'false_positives': 0, 'precision': 1.0, 'recall': 1.0}
        assert res['kinds']['wstoken']['recall'] == 0.5 and res['kinds']['wstoken']['false_positives'] == 1
        assert res['kinds']['privatetoken']['precision'] == 0.0
        assert res['unlabelled_hygiene_notes'] == 1
        assert [m['line'] for m in res['patterns']['p-two']['missed']] == [1]
        assert len(res['patterns']['neg-z']['false_positives']) == 1
        assert not gate(res, 0.97, 0.95)
        perfect = score(want, set(want), pattern_of)
        assert perfect['precision'] == 1.0 and perfect['recall'] == 1.0 and gate(perfect, 0.97, 0.95)
        # the label checker catches a secret on the wrong line and an unlabelled file
        os.makedirs(os.path.join(tmp, 'a'))
        with open(os.path.join(tmp, 'a/x.py'), 'w') as f:
            f.write('x = 1\n' + 'a' * 32 + '\n')
        with open(os.path.join(tmp, 'a/extra.txt'), 'w') as f:
            f.write('nothing\n')
        with open(os.path.join(tmp, 'a/split.js'), 'w') as f:
            f.write("const T = '" + 'd' * 20 + "' +\n  '" + 'd' * 12 + "';\n")
        with open(os.path.join(tmp, 'a/soft.eml'), 'w') as f:
            f.write('https://x/webservice/pluginfile.php/1/f=\nile.pdf?token=' + 'e' * 30 + '=\n' + 'e' * 2 + '\n')
        with open(lab, 'w') as f:
            f.write('path\tline\tkind\tsecret\tpattern\na/x.py\t1\twstoken\t' + 'a' * 32 + '\tp\n'
                    'a/split.js\t1\twstoken\t' + 'd' * 32 + '\tq\n'
                    'a/soft.eml\t2\twstoken\t' + 'e' * 32 + '\tr\n')
        got_problems = check_labels(tmp)
        assert any('a/x.py:1' in p for p in got_problems) and any('a/extra.txt' in p for p in got_problems), got_problems
        assert not any('split.js' in p or 'soft.eml' in p for p in got_problems), got_problems
    corpus = os.path.join(HERE, 'corpus')
    if os.path.exists(os.path.join(corpus, 'labels.tsv')):
        problems = check_labels(corpus)
        for p in problems:
            print('label problem:', p)
        assert not problems, f'{len(problems)} label problem(s) in {corpus}'
    print('selftest ok')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('bin', nargs='?')
    ap.add_argument('--corpus', default=os.path.join(HERE, 'corpus'))
    ap.add_argument('--min', type=float, default=0.97)
    ap.add_argument('--per-kind-min', type=float, default=0.95)
    ap.add_argument('--json', action='store_true', help='print the full result as JSON')
    ap.add_argument('--selftest', action='store_true')
    a = ap.parse_args()
    if a.selftest:
        selftest()
        return
    if not a.bin:
        ap.error('BIN is required (or --selftest)')
    corpus = os.path.abspath(a.corpus)
    want, pattern_of = load_labels(os.path.join(corpus, 'labels.tsv'))
    got = findings_to_set(run_scan(a.bin, corpus), corpus)
    got = {g for g in got if g[0] not in META}
    res = score(want, got, pattern_of)
    ok = gate(res, a.min, a.per_kind_min)
    res['pass'] = ok
    if a.json:
        json.dump(res, sys.stdout, indent=2)
        sys.stdout.write('\n')
    else:
        print_report(res)
        print(f"\n{'PASS' if ok else 'FAIL'} (min {a.min}, per kind min {a.per_kind_min})")
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    try:
        main()
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
