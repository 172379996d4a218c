#!/usr/bin/env python3
"""Agreement check of scripts/bench_e2e.sh: classify every matrix cell where coagtag and the Python
baseline (scripts/baseline_tagger.py) differ by its cause, and give a verdict.

Both matrices are article rows (`--layout articles`). For every article with a differing cell the
script asks coagtag itself why: it copies the article's PubMed record into a small XML file and
runs `coagtag explain --pmid ID` on it, which prints the sections as coagtag read them, every
mention and rejected candidate with the stage decisions about it (a rejected candidate's reason is
the rule of the stage that dropped it). The baseline's mentions come
from `baseline_tagger.py --mentions`. The two sides' mentions of the cell's concept are paired by
span; every unpaired mention gets a cause:

coagtag counts a mention the baseline lacks:
  defined-abbreviation   a use of a short form the document defines with a long form that names
                         the concept (docs/abbreviations.md, rule 1); the baseline knows no
                         definitions
  unicode-folding        the matched text has characters coagtag folds and the baseline does not
                         (Greek letters, dashes, NFKC forms, quotes; docs/matching.md, section 1)
  overlap-after-filter   the baseline chose an overlapping match there that coagtag rejected by a
                         rule (exclude phrase, case, word boundary), so coagtag's next candidate
                         won (docs/matching.md, section 6: rules first, then leftmost-longest)
the baseline counts a mention coagtag lacks (coagtag's explain gives the rule):
  defined-otherwise      the document defines the short form as something else (rule 2)
  when-defined           a `when: defined` abbreviation in a document that does not define it
  when-context           a `when: context` abbreviation without a context term in the document
  exclude                inside one of the concept's exclude phrases
  abbreviation-case      an abbreviation whose case coagtag confirms differently
  inside-longer-mention  the abbreviation step left the use to a longer mention (rule 3)
  overlap-with-folding   a longer or earlier coagtag match won the place, one that the baseline
                         lacks because of one of the coagtag-side causes above
either side:
  word-boundary          coagtag and the baseline disagree on whether a letter or digit stands
                         right outside the match (Unicode letters vs str.isalnum, folded text)
  xml-extraction         the section's text differs between coagtag's PubMed reader and
                         ElementTree's itertext(), and the mention lies where they differ

A cell whose unpaired mentions have several causes is counted under all of them joined by "+".
A mention that fits none of these is "UNEXPLAINED": a real disagreement, and the verdict fails.

Usage: agreement.py --coagtag C.csv --baseline B.csv --mentions B.jsonl --terms TERMS.tsv
                    --bin COAGTAG --input FILE.xml[.gz] [--out DIR] [--what TEXT] [--examples N]
Exit status: 0 when every differing cell is explained, 1 otherwise.
"""
import argparse
import collections
import concurrent.futures
import csv
import gzip
import json
import os
import re
import subprocess
import sys
import unicodedata

# --- the inputs ---------------------------------------------------------------------------------


def load_matrix(path):
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        head = next(r)
        return head[1:], {row[0]: list(map(int, row[1:])) for row in r}


def load_mentions(path, wanted):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            if obj["id"] in wanted:
                out[obj["id"]] = obj
    return out


def extract_records(path, wanted, dest):
    """Copy the last PubmedArticle record of each wanted PMID into a PubMed XML file of its own,
    dest/PMID.xml (explain then reads a few kilobytes instead of the whole input)."""
    opener = gzip.open if path.endswith(".gz") else open
    found = {}
    rec = None
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if rec is None:
                s = line.lstrip()
                if not (s.startswith("<PubmedArticle>") or s.startswith("<PubmedArticle ")):
                    continue
                rec = []
            rec.append(line)
            if "</PubmedArticle>" in line:
                text = "".join(rec)
                rec = None
                m = re.search(r"<PMID[^>]*>\s*([^<\s]+)\s*</PMID>", text)
                if m and m.group(1) in wanted:
                    found[m.group(1)] = text
    os.makedirs(dest, exist_ok=True)
    for pmid, text in found.items():
        with open(os.path.join(dest, pmid + ".xml"), "w", encoding="utf-8") as out:
            out.write('<?xml version="1.0" encoding="utf-8"?>\n<PubmedArticleSet>\n')
            out.write(text)
            out.write("</PubmedArticleSet>\n")
    return set(found)


# --- coagtag explain, parsed --------------------------------------------------------------------

RUST_STR = r'"((?:[^"\\]|\\.)*)"'
SECTION = re.compile(r"^\[(.*?)\] (.*)$")
# a mention or a rejected candidate, then one line per stage decision about it
MENTION = re.compile(r"^    (\d+)-(\d+)  " + RUST_STR + r" -> (\S+) \(.*\) \[[^\]]*\] via (.*)$")
DECISION = re.compile(r"^        ([a-z ]+): (kept|dropped|added|changed): (.*)$")
TERM = re.compile(r"^(?:synonym|abbreviation) " + RUST_STR)


def rust_unescape(s):
    """Undo Rust's `{:?}` escaping of a string (\\", \\\\, \\n, \\t, \\r, \\', \\u{..})."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = s[i + 1]
        if n == "u":
            j = s.index("}", i)
            out.append(chr(int(s[i + 3 : j], 16)))
            i = j + 1
            continue
        out.append({"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(n, n))
        i += 2
    return "".join(out)


def explain(binary, pmid, xml):
    """Sections [(name, text)], mentions and rejected candidates of one article."""
    p = subprocess.run([binary, "explain", "--pmid", pmid, xml], capture_output=True, text=True, check=True)
    sections, mentions, rejected = [], [], []
    where = None
    for line in p.stdout.split("\n"):
        m = SECTION.match(line)
        if m:
            sections.append((m.group(1), m.group(2)))
            continue
        if line.startswith("  mentions ("):
            where = mentions
            continue
        if line.startswith("  rejected ("):
            where = rejected
            continue
        d = DECISION.match(line) if where is not None else None
        if d:
            # a rejected candidate's reason: the rule of the stage that dropped it
            if where and d.group(2) == "dropped":
                where[-1]["reason"] = d.group(3)
            continue
        m = MENTION.match(line) if where is not None else None
        if m:
            via = m.group(5)
            t = TERM.match(via)
            where.append(
                {
                    "section": len(sections) - 1,
                    "start": int(m.group(1)),
                    "end": int(m.group(2)),
                    "text": rust_unescape(m.group(3)),
                    "concept": m.group(4),
                    "via": "defined-abbreviation" if via.startswith("defined-abbreviation") else via.split(" ")[0],
                    "term": rust_unescape(t.group(1)) if t else "",
                    "reason": "",
                }
            )
        elif where is not None and line.strip():
            raise SystemExit(f"agreement: cannot parse explain line for {pmid}: {line!r}")
    return sections, mentions, rejected


# --- causes -------------------------------------------------------------------------------------

DASHES = set("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
QUOTES = set("\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2032\u2033")


def folds(text):
    """Does coagtag's folding change this text in a way str.lower() does not?"""
    return fold(text, False) != " ".join(text.split())


def fold(text, lower):
    """coagtag's normal form (docs/matching.md, section 1), redone in Python to confirm a cause:
    NFKC, Greek letters to their names, dashes to `-`, curly quotes to straight ones, format
    characters dropped, white space runs to one space; lower-cased for case-insensitive terms."""
    out = []
    for c in unicodedata.normalize("NFKC", text):
        if c.isspace():
            out.append(" ")
        elif c in DASHES or unicodedata.category(c) == "Pd":
            out.append("-")
        elif c in QUOTES:
            out.append('"' if c in "\u201c\u201d\u201e\u201f\u2033" else "'")
        elif unicodedata.category(c) in ("Cf", "Mn"):
            continue
        elif unicodedata.name(c, "").startswith("GREEK") and " LETTER " in unicodedata.name(c, ""):
            out.append(unicodedata.name(c).split(" LETTER ")[1].split(" ")[0].lower())
        else:
            out.append(c.lower() if lower else c)
    return " ".join("".join(out).split())


def load_surfaces(path):
    """{concept: {(folded surface, case-sensitive)}} of every term and variant in an export."""
    out = collections.defaultdict(set)
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if r["kind"] != "exclude":
                case = r["case_sensitive"] == "yes"
                out[r["concept_id"]].add((fold(r["term"], not case), case))
    return out


def boundary_differs(text, start, end):
    """Is the baseline's whole-word test on this span different from coagtag's (Unicode letter or
    digit, on the folded text)?"""
    for c in (text[start - 1] if start > 0 else "", text[end] if end < len(text) else ""):
        if c and (c.isalnum() != (unicodedata.category(c)[0] in "LN") or folds(c)):
            return True
    return False


DEFINES = re.compile(r"^the document defines " + RUST_STR + " as " + RUST_STR + ", not as this concept")


def rejection_cause(reason):
    if reason.startswith("the document defines"):
        return "defined-otherwise"
    if "(when: defined)" in reason:
        return "when-defined"
    if "(when: context" in reason:
        return "when-context"
    if reason.startswith("inside the exclude phrase"):
        return "exclude"
    if reason.startswith("case differs"):
        return "abbreviation-case"
    if reason.startswith("not a whole word"):
        return "word-boundary"
    if reason.startswith("an earlier match won") or reason.startswith("a longer match won"):
        return "overlap"
    return None


def overlaps(a, b):
    return a["section"] == b["section"] and a["start"] < b["end"] and b["start"] < a["end"]


def span(m):
    return (m["section"], m["start"], m["end"])


def collapse(text):
    """The baseline's view of a section, " ".join(text.split()), and for every character of text
    its offset in that view (white space the baseline treats as a separator, such as U+202F,
    which coagtag's reader keeps, collapses the same way)."""
    out, pos, pending = [], [], False
    for c in text:
        if c.isspace():
            pending = bool(out)
            pos.append(len(out) + (1 if pending else 0))
            continue
        if pending:
            out.append(" ")
            pending = False
        pos.append(len(out))
        out.append(c)
    pos.append(len(out))
    return "".join(out), pos


def classify_article(concepts, sections, cmentions, rejected, base, surfaces):
    """{concept: [(side, mention, cause)]} for the unpaired mentions of the given concepts in one
    article. Spans are compared in the baseline's coordinates (collapsed white space); coagtag's
    section i is the baseline's i-th non-empty section (coagtag's reader drops empty ones)."""
    bsecs = [i for i, t in enumerate(base["sections"]) if t] if base else []
    views = [collapse(t) for _, t in sections]
    same_count = len(bsecs) == len(sections)
    comparable = [same_count and views[i][0] == base["sections"][bsecs[i]] for i in range(len(sections))]
    to_c = {b: i for i, b in enumerate(bsecs)}

    def to_base(m):
        pos = views[m["section"]][1]
        return dict(m, start=pos[m["start"]], end=pos[m["end"] - 1] + 1)

    cm = [to_base(m) for m in cmentions]
    rej = [to_base(r) for r in rejected]
    bments = []
    for m in base["mentions"] if base else []:
        for k in m["concepts"]:
            bments.append(dict(m, concept=k, section=to_c.get(m["section"], -1)))

    c_spans = {(span(m), m["concept"]) for m in cm}
    b_spans = {(span(m), m["concept"]) for m in bments}
    c_only = [m for m in cm if (span(m), m["concept"]) not in b_spans]
    b_only = [m for m in bments if (span(m), m["concept"]) not in c_spans]

    def ok(sec):
        return 0 <= sec < len(comparable) and comparable[sec]

    def coag_cause(m):
        if not ok(m["section"]):
            return "xml-extraction"
        if m["via"] == "defined-abbreviation":
            return "defined-abbreviation"
        if folds(m["text"]) or folds(m.get("term", "")):
            # confirmed only if the folded text is one of the surfaces the baseline was given
            # (folded the same way): the baseline missed it for want of folding alone
            have = surfaces.get(m["concept"], set())
            if (fold(m["text"], True), False) in have or (fold(m["text"], False), True) in have:
                return "unicode-folding"
            return "UNEXPLAINED"
        text = views[m["section"]][0]
        if boundary_differs(text, m["start"], m["end"]):
            return "word-boundary"
        # the baseline put an overlapping mention there that coagtag rejected by a rule
        for b in b_only:
            if overlaps(b, m):
                for r in rej:
                    if span(r) == span(b) and r["concept"] == b["concept"]:
                        if rejection_cause(r["reason"]) in ("exclude", "abbreviation-case", "word-boundary"):
                            return "overlap-after-filter"
        return "UNEXPLAINED"

    def base_cause(m):
        if not ok(m["section"]):
            return "xml-extraction"
        text = views[m["section"]][0]
        for r in rej:
            if span(r) != span(m) or r["concept"] != m["concept"]:
                continue
            c = rejection_cause(r["reason"])
            if c == "overlap":
                # the winner is a coagtag mention overlapping this one that the baseline lacks
                for w in c_only:
                    if overlaps(w, m):
                        wc = coag_cause(w)
                        if wc == "unicode-folding":
                            return "overlap-with-folding"
                        if wc in ("defined-abbreviation", "word-boundary"):
                            return wc
                continue
            if c == "word-boundary" and not boundary_differs(text, m["start"], m["end"]):
                continue
            if c == "defined-otherwise":
                # rule 2 holds only if the long form is not one of the concept's own terms
                d = DEFINES.match(r["reason"])
                long = rust_unescape(d.group(2)) if d else ""
                have = surfaces.get(m["concept"], set())
                if (fold(long, True), False) in have or (fold(long, False), True) in have:
                    return "UNEXPLAINED"
            if c:
                return c
            if r["reason"] == "removed by the abbreviation step":
                return "inside-longer-mention"
        if boundary_differs(text, m["start"], m["end"]):
            return "word-boundary"
        return "UNEXPLAINED"

    causes = collections.defaultdict(list)
    for m in c_only:
        if m["concept"] in concepts:
            causes[m["concept"]].append(("coagtag", m, coag_cause(m)))
    for m in b_only:
        if m["concept"] in concepts:
            causes[m["concept"]].append(("baseline", m, base_cause(m)))
    return causes


# --- the check ----------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--coagtag", required=True, help="coagtag's matrix, --layout articles")
    ap.add_argument("--baseline", required=True, help="the baseline's matrix")
    ap.add_argument("--mentions", required=True, help="the baseline's --mentions JSONL")
    ap.add_argument("--bin", required=True, help="the coagtag binary")
    ap.add_argument("--input", required=True, help="the PubMed XML both read")
    ap.add_argument("--terms", required=True, help="the export the baseline was given (TSV)")
    ap.add_argument("--out", default=".", help="directory for the subset XML and agreement_cells.csv")
    ap.add_argument("--what", default="coagtag vs the baseline")
    ap.add_argument("--examples", type=int, default=3, help="example cells shown per cause")
    args = ap.parse_args()

    cc, c = load_matrix(args.coagtag)
    bc, b = load_matrix(args.baseline)
    if cc != bc:
        print(f"agreement: the matrices have different columns ({len(cc)} vs {len(bc)})")
        return 1
    only_c, only_b = sorted(set(c) - set(b)), sorted(set(b) - set(c))
    diffs = [(a, k, c[a][i], b[a][i]) for a in c if a in b for i, k in enumerate(cc) if c[a][i] != b[a][i]]
    cells = len(set(c) & set(b)) * len(cc)
    pmids = sorted({d[0] for d in diffs})
    os.makedirs(args.out, exist_ok=True)
    subset = os.path.join(args.out, "agreement_articles")
    got = extract_records(args.input, set(pmids), subset)
    base = load_mentions(args.mentions, set(pmids))

    surfaces = load_surfaces(args.terms)
    per_mention = collections.Counter()
    rows = []  # (pmid, concept, coagtag, baseline, cause label, detail)
    by_article = collections.defaultdict(list)
    for d in diffs:
        by_article[d[0]].append(d)
    # one explain per article, a few at a time (each is a short process)
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        explained = dict(
            zip(
                [p for p in pmids if p in got],
                pool.map(lambda p: explain(args.bin, p, os.path.join(subset, p + ".xml")), [p for p in pmids if p in got]),
            )
        )
    for pmid in pmids:
        cells_here = by_article[pmid]
        if pmid not in got:
            for a, k, x, y in cells_here:
                rows.append((a, k, x, y, "UNEXPLAINED", "record not found in the input"))
            continue
        sections, cm, rej = explained[pmid]
        causes = classify_article({k for _, k, _, _ in cells_here}, sections, cm, rej, base.get(pmid), surfaces)
        for found in causes.values():
            for side, _, cause in found:
                per_mention[(side, cause)] += 1
        for a, k, x, y in cells_here:
            n_c = sum(1 for m in cm if m["concept"] == k)
            found = causes.get(k, [])
            if n_c != x:
                label, detail = "UNEXPLAINED", f"explain shows {n_c} mentions, the matrix {x}"
            elif not found:
                label, detail = "UNEXPLAINED", "no unpaired mention found"
            else:
                label = "+".join(sorted({cause for _, _, cause in found}))
                detail = "; ".join(
                    f"{side} only: {m['text']!r} ({sections[m['section']][0] if m['section'] < len(sections) else m['section']} "
                    f"{m['start']}-{m['end']}) {cause}"
                    for side, m, cause in found[:4]
                ) + (f"; and {len(found) - 4} more" if len(found) > 4 else "")
            rows.append((a, k, x, y, label, detail))

    with open(os.path.join(args.out, "agreement_cells.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["article_id", "concept", "coagtag", "baseline", "cause", "detail"])
        w.writerows(rows)

    per = collections.Counter(r[4] for r in rows)
    higher_c = sum(1 for r in rows if r[2] > r[3])
    print(f"agreement ({args.what}):")
    print(f"  {len(cc)} concepts, {len(set(c) & set(b))} articles in both; only in coagtag {len(only_c)}, only in the baseline {len(only_b)}")
    print(f"  cells differing: {len(rows)} of {cells}: coagtag higher in {higher_c}, baseline higher in {len(rows) - higher_c}")
    print("  cells per cause (a cell with unpaired mentions of several causes counts under their join):")
    for label, n in sorted(per.items(), key=lambda x: (x[0] == "UNEXPLAINED", -x[1], x[0])):
        ex = [r for r in rows if r[4] == label][: args.examples]
        print(f"    {label}: {n}")
        for a, k, x, y, _, detail in ex:
            print(f"      {a} {k}: coagtag {x}, baseline {y}: {detail}")
    print("  unpaired mentions per side and cause: " + ", ".join(f"{side} {cause} {n}" for (side, cause), n in sorted(per_mention.items())))
    print(f"  every cell with its cause: {os.path.join(args.out, 'agreement_cells.csv')}")
    unexplained = sum(1 for r in rows if "UNEXPLAINED" in r[4])
    if unexplained or only_c or only_b:
        print(f"  verdict: DISAGREE: {unexplained} unexplained cells, {len(only_c) + len(only_b)} articles in one matrix only")
        return 1
    print("  verdict: agree: every differing cell is explained by a documented coagtag rule")
    return 0


if __name__ == "__main__":
    sys.exit(main())
