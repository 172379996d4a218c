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

How mentions are found. Each article (title and abstract sentences joined into one text) is
tagged whole with `coagtag tag --evidence`, so the document-level abbreviation resolution (the
document's definitions and the ontology's conditional abbreviations) applies as in any run. Each
evidence row gives the exact matched words and their character offsets; the script places the
mention in its own sentence split of the article (title = sentence 0), and a mention is the unit
(PMID, sentence k, concept, i-th mention of the concept in that sentence). These keys are those of
the earlier per-sentence runs, so the fixed-seed sample stays stable and earlier judgements stay
valid. The script checks that every evidence row's offsets give its matched words and fall inside
one sentence. The matched words are marked [[ ]] in the displayed sentence.

A supplementary audit samples 100 mentions (another seed) among those whose matched words are an
abbreviation (evidence `via` = abbreviation or defined-abbreviation), where a dictionary tagger is
most often wrong.

Sampling. Every mention gets the priority sha256("coagtag-audit-2025:" + key); the 200 mentions
with the smallest priorities are the sample. This is a uniform random sample for a fixed seed,
and it is stable when the ontology changes: a mention that a fix removes leaves the sample and
the next mention comes in, so earlier judgements stay valid. Judgements of mentions that the
current ontology no longer produces are reported separately (they are what the fixes removed).

The per-corpus tables count each corpus whole; the audit samples each PMID once.

Run from the repository root after `cargo build`:  python3 scripts/ontology_quality.py
Options: --binary PATH, --ontology FILE (default ontology/sepsis_coagulopathy.yaml),
--out FILE (default docs/ontology-quality.md), --unjudged FILE (write the unjudged sample as TSV),
--dump FILE (write every mention with its sentence and `via`, for reviewing a concept).
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
    ("TF/TFs", "`when: defined` (only where the document defines it as tissue factor; bare TF is mostly 'transcription factor' in PubMed); TF-bearing, TF/FVIIa, endothelial TF, TF antigen ... always"),
    ("ER", "bare ER not listed: it names the organelle, not ER stress (and oestrogen receptor, emergency room, extended release); only 'ER stress' forms"),
    ("AT", "`when: defined` (antithrombin (AT); bare AT is adipose tissue or the word 'at'); AT-III, ATIII, AT activity/levels/deficiency always"),
    ("PC", "`when: defined` (protein C (PC); bare PC is prostate cancer, phosphatidylcholine, principal component)"),
    ("PS", "`when: defined` for phosphatidylserine (bare PS is propensity score, polystyrene); PS exposure, PS-exposing, PS-positive always; protein S (PS) through the document's definition only (one concept may list PS)"),
    ("TM", "`when: defined` (thrombomodulin (TM); bare TM is transmembrane, trademarks); sTM and rTM/rhTM always"),
    ("APC", "`when: defined` (activated protein C (APC); bare APC is antigen-presenting cells, the APC gene, annual percentage change); aPC and rhAPC always"),
    ("NET/NETs", "`when: context` (neutrophils, neutrophil extracellular trap(s), extracellular trap(s), NETosis, citrullinated histone, neutrophil elastase), plus excludes for neuroendocrine tumours, norepinephrine transporter and others"),
    ("DIC", "`when: context` (coagulation, coagulopathy, platelet(s), thrombocytopenia, fibrinogen, D-dimer, thrombin, bleeding, thrombosis, sepsis, septic, heparin, ISTH ...), plus excludes for digital image correlation, diclofenac, DIC microscopy, dissolved inorganic carbon"),
    ("SIC", "always, with excludes for the Italian Cancer Society and sepsis-induced cardiomyopathy"),
    ("MPs", "bare MPs not listed (microplastics, micropollutants); PMPs, EMPs, TF-MPs always; 'circulating microparticles (MPs)' defines it in its document"),
    ("EVs", "always (extracellular vesicles), with excludes for electric vehicles"),
    ("ROS", "always (reactive oxygen species); superoxide dismutase excluded; ROS1 is another token"),
    ("HPA", "`when: context` (hypothalamic, pituitary, adrenal, cortisol, corticosterone, ACTH, glucocorticoid(s); bare HPA is also the Human Protein Atlas); HPA axis always"),
    ("CHOP", "`when: context` (ER stress, endoplasmic reticulum, UPR, PERK, ATF4, ATF6, IRE1, GRP78, XBP1 ...), plus excludes for R-CHOP and CHOP chemotherapy, Children's Hospital of Philadelphia"),
    ("PERK", "always (case-sensitive, so the word 'perk' is not matched)"),
    ("MPO", "always, with an exclude for mean power output"),
    ("PAD4", "always, with excludes for the plant gene PHYTOALEXIN DEFICIENT4"),
    ("TAT", "bare TAT not listed (HIV Tat, turnaround time); only TAT complex(es), TATc"),
    ("PAF", "bare PAF not listed (population attributable fraction); platelet-activating factor by its name"),
    ("PT", "bare PT not listed (physical therapy, patients); only PT-INR, PT/INR"),
    ("MOF", "bare MOF not listed (metal-organic frameworks); MODS kept"),
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
        evidence = []  # (pmid, concept, matched words, start, end, via) of the union, each PMID once
        for name, path in CORPORA:
            arts = read_pubmed(path)
            members[name] = list(arts)
            art_path = os.path.join(tmp, "articles.jsonl")
            ev_path = os.path.join(tmp, "evidence.csv")
            with open(art_path, "w") as fa:
                for pmid, (title, abstract) in arts.items():
                    sents = sentences(title, abstract)
                    fa.write(json.dumps({"id": pmid, "text": " ".join(sents)}, ensure_ascii=False) + "\n")
            run([args.binary, "tag", art_path, "--ontology", ontology, "--text-fields", "text", "-q",
                 "--evidence", ev_path, "-o", os.path.join(tmp, "matrix.csv")])
            counts = collections.defaultdict(collections.Counter)
            with open(ev_path, encoding="utf-8", newline="") as f:
                for r in csv.DictReader(f):
                    pmid = r["article_id"]
                    counts[pmid][r["concept_id"]] += 1
                    if corpus_of.get(pmid, name) == name:
                        evidence.append((pmid, r["concept_id"], r["text"], int(r["start"]), int(r["end"]), r["via"]))
            whole_by_corpus[name] = counts
            for pmid, (title, abstract) in arts.items():
                if pmid not in corpus_of:
                    corpus_of[pmid] = name
                    texts[pmid] = sentences(title, abstract)
        whole = {}
        for name, _ in CORPORA:
            for pmid, counts in whole_by_corpus[name].items():
                whole.setdefault(pmid, counts)

    # mentions: place each evidence row in its sentence; check the offsets
    bounds = {}
    for pmid, sents in texts.items():
        b, pos = [], 0
        for k, snt in enumerate(sents):
            b.append((pos, pos + len(snt)))
            pos += len(snt) + 1
        bounds[pmid] = b
    mentions = []  # (key, pmid, k, concept, i)
    where = {}  # key -> (start, end) within the sentence, via
    rank = collections.Counter()
    misplaced = 0
    evidence.sort(key=lambda e: (e[0], e[3], e[4], e[1]))
    for pmid, c, words, start, end, via in evidence:
        joined = " ".join(texts[pmid])
        k = next((k for k, (a, b) in enumerate(bounds[pmid]) if a <= start and end <= b), None)
        if k is None or joined[start:end] != words:
            misplaced += 1
            continue
        i = rank[(pmid, k, c)]
        rank[(pmid, k, c)] += 1
        key = f"{pmid}:{k}:{c}:{i}"
        mentions.append((key, pmid, k, c, i))
        a = bounds[pmid][k][0]
        where[key] = (start - a, end - a, via)

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
    located = {}

    def show(m):
        """(sentence with the matched words in [[ ]], the matched words, whether via an abbreviation)."""
        key, pmid, k, c, i = m
        if key not in located:
            st, en, via = where[key]
            snt = texts[pmid][k]
            located[key] = (snt[:st] + "[[" + snt[st:en] + "]]" + snt[en:], snt[st:en],
                            via in ("abbreviation", "defined-abbreviation"))
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
                f.write(f"{m[0]}\t{m[3]}\t{where[m[0]][2]}\t{show(m)[0]}\n")

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
      f"the union of {len(texts):,} distinct PMIDs) counts them once. Each article was tagged whole "
      f"(abbreviation definitions and conditional abbreviations apply per article) and each mention "
      f"of the evidence placed in its sentence (the unit of the audit); evidence rows whose offsets "
      f"do not give their matched words within one sentence: **{misplaced}**.")
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
      f"abbreviation (evidence `via` abbreviation or defined-abbreviation), and judged the same way.")
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
      "(matched words equal to the form or its plural).")
    w("")
    w("| short form | decision | mentions | judged | precision of the judged |")
    w("|---|---|---:|---:|---:|")
    matched = collections.Counter()
    verdicts = collections.defaultdict(collections.Counter)
    for m in mentions:
        _, mt, cs = show(m)
        if cs:
            matched[mt] += 1
            if m[0] in judged:
                verdicts[mt][judged[m[0]][0]] += 1
    for form, decision in SHORT_FORMS:
        forms = form.split("/")
        n = sum(matched[f] for f in forms)
        a_ = sum(verdicts[f]["correct"] for f in forms)
        b_ = sum(verdicts[f]["incorrect"] for f in forms)
        w(f"| {form} | {decision} | {n} | {a_ + b_} | {pct(a_, a_ + b_) if a_ + b_ else ''} |")
    w("")
    w("Mentions count the matched words equal to the form (with `via` abbreviation or "
      "defined-abbreviation), so a form that is not listed still counts where a document defines it "
      "with a concept's long form. The risky short forms are rare in these corpora, so the random "
      "audits above sample few of them; their decisions rest on the example sentences (checked on "
      "every load) and on reading their mentions: every mention matched through NET, NETs, DIC, TF "
      "and TFs in both corpora was read (rounds R and C of the judgements file); see "
      "the section below.")
    w("")
    # every NET(s), DIC and TF(s) mention, read one by one
    w("## NET(s), DIC and TF: every mention read")
    w("")
    w("Every mention in the two corpora whose matched words are NET, NETs, DIC, TF or TFs was judged "
      "(rounds R and C). Round R read them when NET(s) and DIC always counted; the mentions that "
      "the conditional abbreviations and the documents' own definitions no longer produce are "
      "counted as removed, by their round-R judgement.")
    w("")
    w("| short form | mentions now | correct | incorrect | unjudged | precision | round-R judged mentions removed: correct / incorrect |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    concept_of_form = {"NET/NETs": "neutrophil_extracellular_traps",
                       "DIC": "disseminated_intravascular_coagulation", "TF/TFs": "tissue_factor"}
    for form, cid in concept_of_form.items():
        forms = set(form.split("/"))
        now = [m for m in mentions if show(m)[2] and show(m)[1] in forms]
        a_ = sum(1 for m in now if judged.get(m[0], ("",))[0] == "correct")
        b_ = sum(1 for m in now if judged.get(m[0], ("",))[0] == "incorrect")
        gone = [(k, v) for k, v in fixed if rounds.get(k) == "R" and k.split(":")[2] == cid]
        ga = sum(1 for _, v in gone if v[0] == "correct")
        gb = sum(1 for _, v in gone if v[0] == "incorrect")
        w(f"| {form} | {len(now)} | {a_} | {b_} | {len(now) - a_ - b_} | {pct(a_, a_ + b_)} | {ga} / {gb} |")
    w("")
    # the category-level figures: tests/category_eval.rs on tests/gold/categories.jsonl
    w("## Categories")
    w("")
    w("Category-level figures are measured on the evaluation set `tests/gold/categories.jsonl` "
      "(labelled under `../shared/CATEGORY-GUIDELINES.md`) by `tests/category_eval.rs`; see "
      "docs/evaluation.md.")
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
          f"precision {pct(ok, ok + bad)}, unjudged {len(unjudged)}, misplaced {misplaced}")


if __name__ == "__main__":
    main()
