#!/usr/bin/env python3
"""The Python baseline for scripts/bench_e2e.sh: what a user would write without coagtag.

ElementTree iterparse of PubMed XML (.xml or .xml.gz) plus pyahocorasick whole-word matching
of the terms exported by `coagtag ontology export --format tsv`. It writes the article-rows
matrix in the layout of `coagtag tag --layout articles` (article_id, then one column per
concept, counts), so the two can be compared cell by cell.

The rules are coagtag's, done the plain way (see docs/matching.md and
../shared/MATCHING-NOTES.md), so that the comparison measures speed, not different answers:

* synonyms match case-insensitively (Python's str.lower()), abbreviations case-sensitively;
* white space runs count as one space;
* whole words: no letter or digit (str.isalnum) right before or after the match; the boundary
  is checked on every candidate first (an overlapping search), then leftmost-longest,
  non-overlapping spans are chosen; a span claimed by several concepts counts for each;
* title and each AbstractText are matched separately (matches never cross sections);
* a later record with the same PMID replaces the earlier one; DeleteCitation removes PMIDs.

What it does not do (so coagtag may find more): generated variants (unless --with-variants,
which takes the `variant` rows of an export made with --variants), exclude phrases, Unicode
NFKC and Greek-letter folding, dash and quote folding.

Usage: baseline_tagger.py --terms TERMS.tsv [--with-variants] [--mentions M.jsonl] INPUT.xml[.gz] -o OUT.csv
       baseline_tagger.py --to-jsonl INPUT.xml[.gz] -o OUT.jsonl
Needs pyahocorasick (pip install pyahocorasick) for tagging.

--mentions also writes, for every article, one JSON object: {"id", "sections":
[collapsed text of each section], "mentions": [{"section", "start", "end", "text", "concepts"}]}
(offsets in characters of the collapsed section text), for scripts/agreement.py.

--to-jsonl converts the XML to JSONL ({"id", "title", "abstract"}, the AbstractText parts
joined by a line break, replacements and deletions applied) for coagtag builds without a
PubMed XML reader; it does no tagging.
"""
import argparse
import csv
import gzip
import json
import sys
import xml.etree.ElementTree as ET

try:
    import ahocorasick
except ImportError:  # only tagging needs it; --to-jsonl does not
    ahocorasick = None


def load_terms(path, with_variants):
    """Concept ids in file order, and (term, concept, case_sensitive) triples."""
    concepts, terms = [], []
    seen = set()
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        for r in rows:
            cid = r["concept_id"]
            if cid not in seen:
                seen.add(cid)
                concepts.append(cid)
            kind = r["kind"]
            if kind in ("synonym", "abbreviation") or (kind == "variant" and with_variants):
                terms.append((r["term"], cid, r["case_sensitive"] == "yes"))
    return concepts, terms


def build(terms):
    """Two automata: folded synonyms, and case-sensitive abbreviations."""
    folded, exact = ahocorasick.Automaton(), ahocorasick.Automaton()
    for term, cid, case in terms:
        key = " ".join(term.split())
        a = exact if case else folded
        if not case:
            key = key.lower()
        if not key:
            continue
        if key in a:
            length, cids = a.get(key)
            if cid not in cids:
                cids.append(cid)
        else:
            a.add_word(key, (len(key), [cid]))
    for a in (folded, exact):
        if len(a):
            a.make_automaton()
    return folded, exact


def tag(text, folded, exact, counts, spans=None):
    """Add the mentions in one section to counts (concept -> n); with spans (a list), also append
    (start, end, concepts) of each mention, offsets in characters of the section's text with its
    white space collapsed (" ".join(text.split()))."""
    t = " ".join(text.split())
    low = t.lower()
    if len(low) != len(t):
        # a few characters lower-case to several (İ): keep positions aligned
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in t)
    n = len(t)
    cands = []
    for hay, a in ((low, folded), (t, exact)):
        if not len(a):
            continue
        for end, (length, cids) in a.iter(hay):
            start = end - length + 1
            if start > 0 and hay[start - 1].isalnum():
                continue
            if end + 1 < n and hay[end + 1].isalnum():
                continue
            cands.append((start, -(end + 1), cids))
    if not cands:
        return
    cands.sort(key=lambda c: (c[0], c[1]))
    last_end = 0
    i = 0
    while i < len(cands):
        s, ne = cands[i][0], cands[i][1]
        j = i
        group = []
        while j < len(cands) and cands[j][0] == s and cands[j][1] == ne:
            for c in cands[j][2]:
                if c not in group:
                    group.append(c)
            j += 1
        if s >= last_end:
            for c in group:
                counts[c] = counts.get(c, 0) + 1
            if spans is not None:
                spans.append((s, -ne, group))
            last_end = -ne
        i = j


def text_of(el):
    return "".join(el.itertext()) if el is not None else ""


def articles(path):
    """Yield ("article", pmid, sections) and ("delete", pmids) in file order."""
    f = gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")
    with f:
        for _, el in ET.iterparse(f, events=("end",)):
            if el.tag == "PubmedArticle":
                pmid = (el.findtext("MedlineCitation/PMID") or "").strip()
                art = el.find("MedlineCitation/Article")
                sections = []
                if art is not None:
                    sections.append(text_of(art.find("ArticleTitle")))
                    sections.extend(text_of(a) for a in art.findall("Abstract/AbstractText"))
                yield ("article", pmid, sections)
                el.clear()
            elif el.tag == "DeleteCitation":
                yield ("delete", [(p.text or "").strip() for p in el.findall("PMID")], None)
                el.clear()


def to_jsonl(path, output):
    docs = {}
    for kind, pmid, sections in articles(path):
        if kind == "delete":
            for p in pmid:
                docs.pop(p, None)
            continue
        docs.pop(pmid, None)
        docs[pmid] = sections
    with open(output, "w", encoding="utf-8") as out:
        for pmid, sections in docs.items():
            title = sections[0] if sections else ""
            obj = {"id": pmid, "title": title, "abstract": "\n".join(sections[1:])}
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print(f"converted: {len(docs)} articles", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input")
    ap.add_argument("--terms", help="TSV from coagtag ontology export --format tsv")
    ap.add_argument("--to-jsonl", action="store_true", help="convert to JSONL instead of tagging")
    ap.add_argument("--with-variants", action="store_true", help="also match the variant rows")
    ap.add_argument("--mentions", help="also write each article's mentions as JSONL here")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    if args.to_jsonl:
        return to_jsonl(args.input, args.output)
    if not args.terms:
        ap.error("--terms is required for tagging")
    if ahocorasick is None:
        sys.exit("baseline: pyahocorasick is missing (pip install pyahocorasick)")
    concepts, terms = load_terms(args.terms, args.with_variants)
    folded, exact = build(terms)
    results = {}  # pmid -> counts, insertion order = input order (a replaced one moves last)
    found = {}  # pmid -> mentions, with --mentions
    for kind, pmid, sections in articles(args.input):
        if kind == "delete":
            for p in pmid:
                results.pop(p, None)
                found.pop(p, None)
            continue
        counts = {}
        if args.mentions is None:
            for s in sections:
                if s:
                    tag(s, folded, exact, counts)
        else:
            found.pop(pmid, None)
            texts, ms = [], []
            for i, s in enumerate(sections):
                t = " ".join(s.split())
                texts.append(t)
                spans = []
                if s:
                    tag(s, folded, exact, counts, spans)
                for start, end, cids in spans:
                    ms.append({"section": i, "start": start, "end": end, "text": t[start:end], "concepts": cids})
            found[pmid] = {"id": pmid, "sections": texts, "mentions": ms}
        results.pop(pmid, None)
        results[pmid] = counts
    if args.mentions is not None:
        with open(args.mentions, "w", encoding="utf-8") as out:
            for obj in found.values():
                out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    with open(args.output, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["article_id"] + concepts)
        for pmid, counts in results.items():
            w.writerow([pmid] + [counts.get(c, 0) for c in concepts])
    print(f"baseline: {len(results)} articles, {len(terms)} terms", file=sys.stderr)


if __name__ == "__main__":
    main()
