#!/usr/bin/env python3
"""Quality report of the default ontology: docs/ontology-quality.md.

Runs the built coagtag binary over two real corpora and writes
  * mentions per category and the top concepts, per corpus;
  * the concepts with no hit;
  * a precision audit: 200 mentions sampled at random (fixed seed) with their sentence, each
    judged correct or incorrect by a person reading it. The judgements live in
    tests/gold/audit_judgements.tsv (sample key, round, correct/incorrect, note); this script only
    reads them. Unjudged sample items are listed so that they can be judged and the script re-run.

Corpora (read from ../shared/corpora, as in the repository layout of the project):
  sepsis/sepsis_coag_subset.xml.gz   1,233 PubMed records on sepsis and coagulation
  pubmed/pubmed21n1298.xml.gz        a whole PubMed update file (20,788 records), all topics

How mentions are found. The binary's matrix gives counts, not offsets, so each title and each
abstract sentence is tagged as its own document (JSONL with id PMID#k) and a mention is the
unit (PMID, sentence k, concept, i-th mention of the concept in that sentence). The script checks
that the per-article sums equal the counts of tagging the whole articles, so the sentence split
loses nothing. For display only, the script marks the likely matched words with [[ ]] using the
concept's terms and the variants that `coagtag check --variants` lists; the judgement is about
whether the sentence really mentions the concept where the tool says it does.

A supplementary audit samples 100 mentions (another seed) among those whose matched words are an
abbreviation (a case-sensitive term), where a dictionary tagger is most often wrong.

Sampling. Every mention gets the priority sha256("coagtag-audit-2025:" + key); the 200 mentions
with the smallest priorities are the sample. This is a uniform random sample for a fixed seed,
and it is stable when the ontology changes: a mention that a fix removes leaves the sample and
the next mention comes in, so earlier judgements stay valid. Judgements of mentions that the
current ontology no longer produces are reported separately (they are what the fixes removed).

The per-corpus tables count each corpus whole; the audit samples each PMID once.

Run from the repository root after `cargo build`:  python3 scripts/ontology_quality.py
Options: --binary PATH, --ontology FILE (default ontology/sepsis_coagulopathy.yaml),
--out FILE (default docs/ontology-quality.md), --unjudged FILE (write the unjudged sample as TSV),
--dump FILE (write every mention with its sentence, for reviewing a concept).
Python 3.11 standard library only.
"""
import argparse
import collections
import csv
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "corpora")
CORPORA = [
    ("sepsis subset", os.path.join(SHARED, "sepsis", "sepsis_coag_subset.xml.gz")),
    ("pubmed21n1298", os.path.join(SHARED, "pubmed", "pubmed21n1298.xml.gz")),
]
JUDGEMENTS = os.path.join(ROOT, "tests", "gold", "audit_judgements.tsv")
SEED = "coagtag-audit-2025:"
SAMPLE_SIZE = 200
ABBREV_SEED = "abbreviations:"
# (short form(s), decision) for the report; "bare" first in the decision = not matched as a token
SHORT_FORMS = [
    ("TF", "bare TF left out (mostly 'transcription factor' in PubMed); only TF-bearing, TF/FVIIa, endothelial TF, TF antigen ..."),
    ("ER", "bare ER left out (oestrogen receptor, emergency room, extended release); only 'ER stress' forms"),
    ("AT", "bare AT left out (adipose tissue, the word 'at'); only AT-III, ATIII, AT activity/levels/deficiency"),
    ("PC", "bare PC left out (prostate cancer, phosphatidylcholine); protein C by its name"),
    ("PS", "bare PS left out (propensity score, polystyrene); only PS exposure, PS-exposing, PS-positive"),
    ("TM", "bare TM left out (transmembrane, trademarks); sTM and recombinant rTM/rhTM kept"),
    ("APC", "bare APC left out (antigen-presenting cells, the APC gene); aPC and rhAPC kept"),
    ("NET/NETs", "kept, with excludes for neuroendocrine tumours, norepinephrine transporter and others"),
    ("DIC", "kept, with excludes for digital image correlation, diclofenac, DIC microscopy, dissolved inorganic carbon"),
    ("SIC", "kept, with excludes for the Italian Cancer Society and sepsis-induced cardiomyopathy"),
    ("MPs", "bare MPs left out (microplastics, micropollutants); PMPs, EMPs, TF-MPs kept"),
    ("EVs", "kept (extracellular vesicles), with excludes for electric vehicles"),
    ("ROS", "kept (reactive oxygen species); superoxide dismutase excluded"),
    ("HPA", "bare HPA left out (Human Protein Atlas); only 'HPA axis'"),
    ("CHOP", "kept, with excludes for R-CHOP and CHOP chemotherapy, Children's Hospital of Philadelphia"),
    ("PERK", "kept (case-sensitive, so the word 'perk' is not matched)"),
    ("MPO", "kept, with an exclude for mean power output"),
    ("PAD4", "kept, with excludes for the plant gene PHYTOALEXIN DEFICIENT4"),
    ("TAT", "bare TAT left out (HIV Tat, turnaround time); only TAT complex(es), TATc"),
    ("PAF", "bare PAF left out (population attributable fraction); platelet-activating factor by its name"),
    ("PT", "bare PT left out (physical therapy, patients); only PT-INR, PT/INR"),
    ("MOF", "bare MOF left out (metal-organic frameworks); MODS kept"),
]
ABBREV_SAMPLE_SIZE = 100

csv.field_size_limit(1 << 30)


def text_of(el):
    return "".join(el.itertext()).strip() if el is not None else ""


def read_pubmed(path):
    """PMID -> (title, abstract); a later record of the same PMID replaces an earlier one."""
    arts = {}
    with gzip.open(path) as f:
        for _, el in ET.iterparse(f):
            if el.tag != "PubmedArticle":
                continue
            pmid = el.findtext("MedlineCitation/PMID")
            title = text_of(el.find("MedlineCitation/Article/ArticleTitle"))
            parts = [text_of(a) for a in el.findall("MedlineCitation/Article/Abstract/AbstractText")]
            arts[pmid] = (title, " ".join(p for p in parts if p))
            el.clear()
    return arts


SENT_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[])")


def sentences(title, abstract):
    out = [title] if title else [""]
    if abstract:
        out.extend(s for s in SENT_END.split(abstract) if s)
    return out


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
    return r.stdout


def concept_table(binary, ontology, tmp):
    """concept id -> (label, category), in ontology order, via a tag of an empty article."""
    p = os.path.join(tmp, "empty.jsonl")
    with open(p, "w") as f:
        f.write(json.dumps({"id": "x", "text": ""}) + "\n")
    out = run([binary, "tag", p, "--ontology", ontology, "--text-fields", "text", "-q"])
    rows = list(csv.reader(out.splitlines()))
    return {r[0]: (r[1], r[2]) for r in rows[1:]}, [r[0] for r in rows[1:]]


def tag_articles(binary, ontology, path, extra=()):
    """Tag a JSONL file; yields (article_id, {concept: count}) from the articles layout."""
    out = run([binary, "tag", path, "--ontology", ontology, "--layout", "articles", "-q", *extra])
    reader = csv.reader(out.splitlines())
    header = next(reader)
    concepts = header[1:]
    for row in reader:
        counts = {concepts[i]: int(v) for i, v in enumerate(row[1:]) if v != "0"}
        yield row[0], counts


# ----------------------------------------------------------------- display of the matched words
GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "Α": "Alpha", "Β": "Beta", "Γ": "Gamma", "Δ": "Delta", "Κ": "Kappa",
}
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"


def display_norm(s):
    s = unicodedata.normalize("NFKC", s)
    for d in DASHES:
        s = s.replace(d, "-")
    return "".join(GREEK.get(c, c) for c in s)


def parse_terms(ontology):
    """Minimal reader of this file's `synonyms:`/`abbreviations:` flow lists, for display only."""
    terms = collections.defaultdict(list)
    cid = None
    for line in open(ontology, encoding="utf-8"):
        m = re.match(r"\s*- id: (\S+)", line)
        if m:
            cid = m.group(1)
            continue
        m = re.match(r"\s+(synonyms|abbreviations): \[(.*)\]\s*$", line)
        if m and cid:
            for t in m.group(2).split(", "):
                terms[cid].append((t.strip().strip('"'), m.group(1) == "abbreviations"))
    return terms


def variant_table(binary, ontology):
    out = run([binary, "check", "--ontology", ontology, "--variants"])
    var = collections.defaultdict(set)
    started = False
    for line in out.splitlines():
        if line == "concept\tterm\tvariant":
            started = True
            continue
        if started:
            if not line.strip() or line.startswith("dropped variant"):
                break
            c, t, v = line.split("\t")
            var[(c, t)].add(v)
    return var


def compile_forms(forms):
    """Regexes for (text, case_sensitive) forms, whole words only, as in the matcher."""
    return [
        (re.compile(r"(?<![\w])" + re.escape(display_norm(t)) + r"(?![\w])", 0 if cs else re.I), cs)
        for t, cs in forms
    ]


def locate(sentence, patterns, k):
    """Mark the k-th leftmost-longest occurrence of any pattern. Returns (marked sentence,
    found, whether the marked words are a case-sensitive form, i.e. an abbreviation)."""
    norm = display_norm(sentence)
    if len(norm) != len(sentence):
        sentence = norm
    spans = []
    for pat, cs in patterns:
        spans.extend((m.start(), m.end(), cs) for m in pat.finditer(norm))
    spans.sort(key=lambda s: (s[0], -s[1], not s[2]))
    chosen, last = [], -1
    for s, e, cs in spans:
        if s >= last:
            chosen.append((s, e, cs))
            last = e
    if k < len(chosen):
        s, e, cs = chosen[k]
        return sentence[:s] + "[[" + sentence[s:e] + "]]" + sentence[e:], True, cs
    return sentence, False, False


# ----------------------------------------------------------------- report
def pct(a, b):
    return f"{100.0 * a / b:.1f}%" if b else "n/a"


def md_escape(s):
    return s.replace("|", "\\|").replace("\n", " ")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "debug", "coagtag"))
    ap.add_argument("--ontology", default=os.path.join(ROOT, "ontology", "sepsis_coagulopathy.yaml"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "ontology-quality.md"))
    ap.add_argument("--unjudged", help="write the unjudged sample items to this TSV")
    ap.add_argument("--dump", help="write every mention (key, concept, sentence with [[ ]]) to this TSV")
    args = ap.parse_args()
    ontology = os.path.relpath(args.ontology, ROOT)
    os.chdir(ROOT)

    with tempfile.TemporaryDirectory() as tmp:
        concepts, order = concept_table(args.binary, ontology, tmp)
        corpus_of, texts, members = {}, {}, {}
        whole_by_corpus = {}
        for name, path in CORPORA:
            arts = read_pubmed(path)
            members[name] = list(arts)
            art_path = os.path.join(tmp, "articles.jsonl")
            with open(art_path, "w") as fa:
                for pmid, (title, abstract) in arts.items():
                    sents = sentences(title, abstract)
                    fa.write(json.dumps({"id": pmid, "text": " ".join(sents)}, ensure_ascii=False) + "\n")
                    if pmid not in corpus_of:
                        corpus_of[pmid] = name
                        texts[pmid] = sents
            whole_by_corpus[name] = dict(tag_articles(args.binary, ontology, art_path, ("--text-fields", "text")))
        whole = {}
        for name, _ in CORPORA:
            for pmid, counts in whole_by_corpus[name].items():
                whole.setdefault(pmid, counts)
        sent_path = os.path.join(tmp, "sentences.jsonl")
        with open(sent_path, "w") as fs:
            for pmid, sents in texts.items():
                for k, s in enumerate(sents):
                    fs.write(json.dumps({"id": f"{pmid}#{k}", "text": s}, ensure_ascii=False) + "\n")
        by_sentence = list(tag_articles(args.binary, ontology, sent_path, ("--text-fields", "text")))

    # mentions and the split check
    mentions = []  # (key, pmid, k, concept, i)
    summed = collections.defaultdict(collections.Counter)
    for sid, counts in by_sentence:
        pmid, k = sid.split("#")
        for c, n in counts.items():
            summed[pmid][c] += n
            for i in range(n):
                mentions.append((f"{pmid}:{k}:{c}:{i}", pmid, int(k), c, i))
    split_diff = sum(1 for p in texts if dict(summed.get(p, {})) != whole.get(p, {}))

    # counts per corpus and category
    names = [n for n, _ in CORPORA]
    docs_in = {n: len(members[n]) for n in names}
    per_cat = {n: collections.Counter() for n in names}
    per_cat_docs = {n: collections.Counter() for n in names}
    per_concept = {n: collections.Counter() for n in names}
    for corp in names:
        for pmid, counts in whole_by_corpus[corp].items():
            cats = set()
            for c, n in counts.items():
                per_concept[corp][c] += n
                per_cat[corp][concepts[c][1]] += n
                cats.add(concepts[c][1])
            for cat in cats:
                per_cat_docs[corp][cat] += 1
    categories = [c for c in order if concepts[c][1] == c]

    # sample
    def prio(key):
        return hashlib.sha256((SEED + key).encode()).hexdigest()

    sample = sorted(mentions, key=lambda m: prio(m[0]))[:SAMPLE_SIZE]
    judged, rounds = {}, {}
    if os.path.exists(JUDGEMENTS):
        with open(JUDGEMENTS, encoding="utf-8") as f:
            for row in csv.reader(f, delimiter="\t"):
                if not row or row[0].startswith("#") or row[0] == "key":
                    continue
                judged[row[0]] = (row[2], row[3] if len(row) > 3 else "")
                rounds[row[0]] = row[1]
    terms = parse_terms(ontology)
    variants = variant_table(args.binary, ontology)

    compiled = {}

    def forms_of(c):
        if c not in compiled:
            out = []
            for t, cs in terms.get(c, []):
                out.append((t, cs))
                out.extend((v, cs) for v in variants.get((c, t), ()))
            compiled[c] = compile_forms(out)
        return compiled[c]

    located = {}

    def show(m):
        key, pmid, k, c, i = m
        if key not in located:
            located[key] = locate(texts[pmid][k], forms_of(c), i)
        return located[key]

    def audit(sample):
        rows = []
        for m in sample:
            key, pmid, _, c, _ = m
            shown, _, _ = show(m)
            verdict, note = judged.get(key, ("", ""))
            if verdict not in ("correct", "incorrect") and key not in {u[0] for u in unjudged}:
                unjudged.append((key, c, shown))
            rows.append((key, corpus_of[pmid], c, concepts[c][1], shown, verdict, note))
        return rows

    unjudged = []
    rows = audit(sample)
    # the supplementary audit: mentions found through an abbreviation (case-sensitive form)
    abbrev = [m for m in mentions if show(m)[2]]
    abbrev_sample = sorted(abbrev, key=lambda m: prio(ABBREV_SEED + m[0]))[:ABBREV_SAMPLE_SIZE]
    abbrev_rows = audit(abbrev_sample)
    sample_keys = {r[0] for r in rows} | {r[0] for r in abbrev_rows}
    current = {m[0] for m in mentions}
    fixed = [(k, v) for k, v in judged.items() if k not in current]
    stale = [(k, v) for k, v in judged.items() if k in current and k not in sample_keys]

    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            for m in mentions:
                f.write(f"{m[0]}\t{m[3]}\t{show(m)[0]}\n")

    if args.unjudged:
        with open(args.unjudged, "w", encoding="utf-8") as f:
            for key, c, shown in unjudged:
                f.write(f"{key}\t{c}\t{shown}\n")

    # ------------------------------------------------------------- write the report
    L = []
    w = L.append
    w("# Default ontology: quality report")
    w("")
    w("Generated by `python3 scripts/ontology_quality.py` (after `cargo build`) from "
      f"`{ontology}`; do not edit by hand. Judgements: `tests/gold/audit_judgements.tsv`.")
    w("")
    w("## Corpora")
    w("")
    w("| corpus | articles | mentions | mentions per article |")
    w("|---|---:|---:|---:|")
    for n in names:
        tot = sum(per_cat[n].values())
        w(f"| {n} | {docs_in[n]:,} | {tot:,} | {tot / max(docs_in[n], 1):.2f} |")
    w("")
    overlap = len(set(members[names[0]]) & set(members[names[1]]))
    w(f"The sepsis subset was drawn from PubMed files that include pubmed21n1298: {overlap} PMIDs are in "
      "both, so the per-corpus tables below count them in each, and the audit (which samples from "
      f"the union of {len(texts):,} distinct PMIDs) counts them once. Each title and abstract sentence "
      f"was also tagged on its own (the unit of the audit); articles whose sentence sums differ from "
      f"the whole-article counts: **{split_diff}**.")
    w("")
    w("## Mentions per category")
    w("")
    head = "| category | " + " | ".join(f"{n} mentions | {n} articles" for n in names) + " |"
    w(head)
    w("|---|" + "---:|" * (2 * len(names)))
    for cat in categories:
        cells = []
        for n in names:
            cells.append(f"{per_cat[n][cat]:,}")
            cells.append(f"{per_cat_docs[n][cat]:,} ({pct(per_cat_docs[n][cat], docs_in[n])})")
        w(f"| {cat} | " + " | ".join(cells) + " |")
    w("")
    w("## Top concepts per category")
    w("")
    w("Mentions in the union of both corpora (each PMID once); the five most frequent concepts of each category.")
    w("")
    total_concept = collections.Counter()
    for counts in whole.values():
        total_concept.update(counts)
    for cat in categories:
        members = [c for c in order if concepts[c][1] == cat]
        top = sorted(members, key=lambda c: (-total_concept[c], order.index(c)))[:5]
        items = ", ".join(f"`{c}` {total_concept[c]:,}" for c in top if total_concept[c])
        w(f"- **{cat}**: {items or 'no mentions'}")
    w("")
    w("## Concepts with no hit")
    w("")
    none = [c for c in order if total_concept[c] == 0]
    w(f"{len(none)} of {len(order)} concepts have no mention in either corpus:")
    w("")
    for cat in categories:
        miss = [c for c in none if concepts[c][1] == cat]
        if miss:
            w(f"- {cat}: " + ", ".join(f"`{c}`" for c in miss))
    w("")
    w("## Precision audit")
    w("")
    w(f"{len(rows)} mentions sampled from all {len(mentions):,} mentions of both corpora "
      "(bottom-k by sha256 of the mention key with a fixed seed; see the script). Each was judged by "
      "reading the sentence: *correct* when the words the tool matched there denote the concept as "
      "its definition states (whatever the topic of the article), *incorrect* otherwise. "
      "[[ ]] marks the matched words as located for display.")
    w("")
    ok = sum(1 for r in rows if r[5] == "correct")
    bad = sum(1 for r in rows if r[5] == "incorrect")
    w(f"**Precision: {ok} correct of {ok + bad} judged = {pct(ok, ok + bad)}**"
      + (f" ({len(unjudged)} not yet judged)" if unjudged else "") + ".")
    w("")
    w("| category | sampled | correct | incorrect | precision |")
    w("|---|---:|---:|---:|---:|")
    for cat in categories:
        rs = [r for r in rows if r[3] == cat]
        if not rs:
            continue
        a = sum(1 for r in rs if r[5] == "correct")
        b = sum(1 for r in rs if r[5] == "incorrect")
        w(f"| {cat} | {len(rs)} | {a} | {b} | {pct(a, a + b)} |")
    w(f"| **all** | {len(rows)} | {ok} | {bad} | {pct(ok, ok + bad)} |")
    w("")
    by_round = collections.defaultdict(collections.Counter)
    for k, (v, _) in judged.items():
        by_round[rounds[k]][v] += 1
    for r in sorted(by_round):
        a_, b_ = by_round[r]["correct"], by_round[r]["incorrect"]
        w(f"Round {r} judgements (`round` column of the TSV): {a_ + b_} mentions, {b_} incorrect"
          + (f"; the round-1 sample had precision {pct(a_, a_ + b_)} before its errors were fixed." if r == "1" else "."))
        w("")
    if fixed:
        fb = sum(1 for _, v in fixed if v[0] == "incorrect")
        w(f"Earlier rounds: {len(fixed)} judged mentions are no longer produced by the ontology "
          f"({fb} of them judged incorrect); the fixes that removed them are listed in the notes below.")
        w("")
        w("| key | judgement | note |")
        w("|---|---|---|")
        for k, (v, note) in sorted(fixed):
            w(f"| {k} | {v} | {md_escape(note)} |")
        w("")
    if stale:
        w(f"{len(stale)} further judged mentions are outside both samples (left a sample, or judged "
          "for the short-form table); they are not counted in the precision figures above.")
        w("")
    def table(rs):
        w("| category | sampled | correct | incorrect | precision |")
        w("|---|---:|---:|---:|---:|")
        for cat in categories:
            sub = [r for r in rs if r[3] == cat]
            if sub:
                a_ = sum(1 for r in sub if r[5] == "correct")
                b_ = sum(1 for r in sub if r[5] == "incorrect")
                w(f"| {cat} | {len(sub)} | {a_} | {b_} | {pct(a_, a_ + b_)} |")
        a_ = sum(1 for r in rs if r[5] == "correct")
        b_ = sum(1 for r in rs if r[5] == "incorrect")
        w(f"| **all** | {len(rs)} | {a_} | {b_} | {pct(a_, a_ + b_)} |")
        w("")

    w("## Supplementary audit: abbreviations")
    w("")
    ok2 = sum(1 for r in abbrev_rows if r[5] == "correct")
    bad2 = sum(1 for r in abbrev_rows if r[5] == "incorrect")
    w(f"The random sample above is dominated by frequent full terms. Short forms are where a "
      f"dictionary tagger goes wrong, so {len(abbrev_rows)} more mentions were sampled (same method, "
      f"seed `{ABBREV_SEED}`) from the {len(abbrev):,} mentions whose matched words are an "
      f"abbreviation (a case-sensitive term or its variant), and judged the same way.")
    w("")
    w(f"**Precision on abbreviation mentions: {ok2} correct of {ok2 + bad2} judged = {pct(ok2, ok2 + bad2)}**"
      + (f" ({sum(1 for r in abbrev_rows if not r[5])} not yet judged)" if any(not r[5] for r in abbrev_rows) else "") + ".")
    w("")
    table(abbrev_rows)
    w("| # | key | corpus | concept | sentence | judgement | note |")
    w("|---:|---|---|---|---|---|---|")
    for n, (key, corp, c, cat, shown, verdict, note) in enumerate(abbrev_rows, 1):
        w(f"| {n} | {key} | {corp} | `{c}` | {md_escape(shown)} | {verdict or '**unjudged**'} | {md_escape(note)} |")
    w("")
    # ambiguous short forms: how often each one was matched, and the decision taken
    w("## Ambiguous short forms")
    w("")
    w("How each short form named in the issue is handled (see the ontology header and each "
      "concept's `examples:`), and how many mentions in the two corpora were matched through it "
      "(matched words equal to the form or its plural). Forms left out as bare tokens have no count.")
    w("")
    w("| short form | decision | mentions | judged | precision of the judged |")
    w("|---|---|---:|---:|---:|")
    matched = collections.Counter()
    verdicts = collections.defaultdict(collections.Counter)
    for m in mentions:
        shown, found, cs = show(m)
        if found and cs:
            mt = re.search(r"\[\[(.*?)\]\]", shown).group(1)
            matched[mt] += 1
            if m[0] in judged:
                verdicts[mt][judged[m[0]][0]] += 1
    for form, decision in SHORT_FORMS:
        if decision.startswith("bare"):
            w(f"| {form} | {decision} | | | |")
            continue
        forms = form.split("/")
        n = sum(matched[f] for f in forms)
        a_ = sum(verdicts[f]["correct"] for f in forms)
        b_ = sum(verdicts[f]["incorrect"] for f in forms)
        w(f"| {form} | {decision} | {n} | {a_ + b_} | {pct(a_, a_ + b_) if a_ + b_ else ''} |")
    w("")
    w("The risky short forms are rare in these corpora, so the random audits above sample few of "
      "them; their decisions rest on the example sentences (checked on every load) and on reading "
      "their mentions in both corpora while curating. Every mention matched through NET, NETs and "
      "DIC was judged (round R of the judgements file): in PubMed at large, NET(s) often means "
      "neuroendocrine tumour and DIC diclofenac or digital image correlation after the defining "
      "phrase, which an `exclude:` cannot catch. They need the document-level `when: defined` "
      "condition planned for abbreviations; until then their precision outside sepsis literature "
      "is the figure in the table.")
    w("")
    # the gold set
    gold_path = os.path.join(ROOT, "tests", "gold", "categories.jsonl")
    if os.path.exists(gold_path):
        gold = {}
        with open(gold_path, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                gold[d["id"]] = set(d["categories"])
        pred = {pid: {concepts[c][1] for c in counts}
                for pid, counts in tag_articles(args.binary, ontology, gold_path)}
        w("## Gold set")
        w("")
        w(f"Category-level agreement with the {len(gold)} hand-labelled abstracts of "
          "`tests/gold/categories.jsonl` (guidelines in `tests/gold/GUIDELINES.md`; "
          "`tests/default_ontology.rs` asserts these counts).")
        w("")
        w("| category | gold | TP | FP | FN | precision | recall |")
        w("|---|---:|---:|---:|---:|---:|---:|")
        T = collections.Counter()
        for cat in categories:
            tp = sum(1 for d in gold if cat in gold[d] and cat in pred.get(d, ()))
            fp = sum(1 for d in gold if cat not in gold[d] and cat in pred.get(d, ()))
            fn = sum(1 for d in gold if cat in gold[d] and cat not in pred.get(d, ()))
            T.update(tp=tp, fp=fp, fn=fn)
            w(f"| {cat} | {tp + fn} | {tp} | {fp} | {fn} | {pct(tp, tp + fp)} | {pct(tp, tp + fn)} |")
        w(f"| **all** | {T['tp'] + T['fn']} | {T['tp']} | {T['fp']} | {T['fn']} | "
          f"{pct(T['tp'], T['tp'] + T['fp'])} | {pct(T['tp'], T['tp'] + T['fn'])} |")
        w("")
        w("The gold set was also used to find gaps in the ontology, so these figures are optimistic "
          "for unseen text; GUIDELINES.md gives the figures before those fixes.")
        w("")
    w("## The random sample of the main audit")
    w("")
    w("| # | key (PMID:sentence:concept:n) | corpus | concept | sentence | judgement | note |")
    w("|---:|---|---|---|---|---|---|")
    for n, (key, corp, c, cat, shown, verdict, note) in enumerate(rows, 1):
        w(f"| {n} | {key} | {corp} | `{c}` | {md_escape(shown)} | {verdict or '**unjudged**'} | {md_escape(note)} |")
    w("")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(L))
    print(f"wrote {os.path.relpath(args.out, ROOT)}: {len(mentions)} mentions, sample {len(rows)}, "
          f"precision {pct(ok, ok + bad)}, unjudged {len(unjudged)}, split differences {split_diff}")


if __name__ == "__main__":
    main()
