#!/usr/bin/env python3
"""Select the records of the category evaluation set (tests/gold/categories.jsonl).

The selection is a fixed rule over the shared corpora, with no choice by hand: every stratum is
a pool of records defined by a corpus and a regular expression, ordered by a SHA-256 hash of the
PMID, of which the first N are taken. The split (`tune` or `heldout`) is another hash of the
PMID. The labels are not made here: they were made by reading each record against
../shared/CATEGORY-GUIDELINES.md (see tests/gold/GUIDELINES.md).

Run from anywhere (standard-library Python 3 only):

    python3 tests/gold/select.py                 # print the candidate records (JSON lines)
    python3 tests/gold/select.py --out FILE      # write them to FILE
    python3 tests/gold/select.py --check tests/gold/categories.jsonl
        # fail unless the set holds exactly these records, in this order, with the same
        # id, source, stratum, split, title and abstract; print the records per stratum and
        # split and the positives per category and split (the tables of GUIDELINES.md)

A record is the PubmedArticle's ArticleTitle and its AbstractText sections joined by one space
(inline markup flattened), as scripts/make_fixtures.py makes them. A PMID that occurs twice in a
file keeps its last version. PMIDs of fixtures/sepsis25.* are never drawn.
"""
import argparse
import gzip
import hashlib
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPORA = os.path.join(ROOT, "..", "shared", "corpora")
SEPSIS = "sepsis/sepsis_coag_subset.xml.gz"
UPDATE = "pubmed/pubmed21n1298.xml.gz"
SEPSIS_INDEX = "sepsis/sepsis_coag_subset_index.tsv"

# The 46 records of the first gold set (sepsis subset, abstract >= 700 characters), drawn by its
# own rule, kept as it was: the first 30 by sha256("gold:" + PMID), then the first 2 in that
# order among the records with each of these index keywords.
OLD_KEYWORDS = ["tissue_factor", "glycocalyx", "NETs", "thrombomodulin", "ER_stress", "DIC",
                "antithrombin", "endothel"]
OLD_MIN_CHARS = 700

# New strata: minimum abstract length, then (stratum, corpora, pattern, flags, count), drawn in
# this order; a record taken by an earlier stratum is not drawn again.
MIN_CHARS = 400

# Words of the broad vocabulary: the participants and processes whose mere naming makes the
# errors users meet in a general update file.
BROAD = (r"platelet|endotheli|coagul|thromb|bleed|ha?emorrh|sepsis|septic|inflamm|cytokine"
         r"|interleukin|\bTNF|reactive oxygen|\bROS\b|oxidative|mitochondri|\bmtDNA\b|cortisol"
         r"|adrenal|\bER stress|endoplasmic reticulum|heparin|cell-free DNA|\bcfDNA\b|neutrophil"
         r"|fibrin|\bDIC\b|histone|glycocalyx|vasopressin|catecholamine|immunosuppress")

STRATA = [
    # a random sample of the sepsis/coagulation subset
    ("sepsis_random", [SEPSIS], r"", 0, 50),
    # a random sample of a general update file among the abstracts naming the broad vocabulary
    ("update_broad", [UPDATE], BROAD, re.I, 80),
    # per-category keyword strata for the rare categories (both corpora)
    ("kw_er_stress", [SEPSIS, UPDATE],
     r"\bER stress|endoplasmic reticulum (\(ER\) )?stress|unfolded protein response|\bUPR\b"
     r"|\bPERK\b|\bIRE-?1|\bATF-?6\b|\bGRP-?78\b", 0, 22),
    ("kw_mitochondrial_damage", [SEPSIS, UPDATE],
     r"mitochondrial (dys)?function|mitochondrial (damage|injury)|mitochondrial membrane potential"
     r"|\bmtDNA\b|mitochondrial DNA|mitophagy|mitochondrial (ROS|reactive oxygen)", re.I, 18),
    ("kw_neuroendocrine_disruption", [SEPSIS, UPDATE],
     r"cortisol|adrenal insufficiency|hypothalamic[- ]pituitary[- ]adrenal|\bHPA\b|copeptin"
     r"|vasopressin|cholinergic anti-inflammatory|vagus nerve|catecholamine"
     r"|sympathetic (nervous|activ)", re.I, 20),
    ("kw_nets_immunothrombosis", [SEPSIS, UPDATE],
     r"neutrophil extracellular trap|NETosis|\bNETs\b|immunothrombosis|citrullinated histone"
     r"|\bPAD-?4\b|extracellular histone", 0, 18),
    ("kw_anticoagulant_impairment", [SEPSIS, UPDATE],
     r"antithrombin|\bprotein C\b|activated protein C|\bprotein S\b|thrombomodulin|\bEPCR\b"
     r"|endothelial protein C receptor|\bTFPI\b|tissue factor pathway inhibitor", 0, 18),
    ("kw_fibrinolysis", [SEPSIS, UPDATE],
     r"fibrinoly|plasmin|\bPAI-?1\b|plasminogen activator|\bt-?PA\b|\bu-?PA\b|\bTAFI\b", 0, 20),
    ("kw_immune_dysregulation", [SEPSIS, UPDATE],
     r"immunoparalysis|immune (dys)?regulation|immune paralysis|HLA-DR|T[- ]cell exhaustion"
     r"|exhausted T[- ]cell|lymphocyte apoptosis|myeloid-derived suppressor|\bMDSCs?\b"
     r"|sepsis-induced immunosuppression|immunosuppression (in|of|after|during) sepsis"
     r"|septic immunosuppression", re.I, 22),
    # Added after the first labelling pass, when the held-out part had fewer than 10 positives of
    # these categories: more keyword strata, appended so that every record above stays as it was.
    ("kw_platelet_activation", [SEPSIS, UPDATE],
     r"platelet (activation|aggregation|adhesion|reactivity|function|secretion|release|consumption)"
     r"|activated platelets|P-selectin|thromboxane|\bPF-?4\b|platelet factor 4|sCD40L"
     r"|procoagulant platelets|platelet-leukocyte|platelet microparticles", re.I, 12),
    ("kw_endothelial_dysfunction", [SEPSIS, UPDATE],
     r"endothelial (dysfunction|activation|injury|damage|barrier|glycocalyx)|endotheliitis"
     r"|glycocalyx|von Willebrand|\bVWF\b|ADAMTS-?13|angiopoietin|vascular (permeability|leak)"
     r"|capillary leak", re.I, 8),
    ("kw_sepsis", [SEPSIS, UPDATE],
     r"sepsis|septic|septicaemi|septicemi|bacteraemi|bacteremi|endotoxaemi|endotoxemi"
     r"|c(a)?ecal ligation", re.I, 8),
    ("kw_clinical_coagulopathy", [SEPSIS, UPDATE],
     r"[Cc]oagulopath|disseminated intravascular coagulation|\bDIC\b|[Tt]hrombocytopeni"
     r"|thrombotic microangiopathy|purpura fulminans|[Mm]icrothromb", 0, 6),
    # the two rarest pools were exhausted by their first strata: wider patterns, all records
    ("kw_nets_immunothrombosis_wide", [SEPSIS, UPDATE],
     r"neutrophil extracellular|NETosis|NET formation|immunothrombo"
     r"|histones?\b.{0,40}(extracellular|circulating)|cell-free DNA|\bcfDNA\b|neutrophil elastase",
     re.I, 14),
    ("kw_anticoagulant_impairment_wide", [SEPSIS, UPDATE],
     r"antithrombin|protein C\b|protein S\b|thrombomodulin|EPCR|TFPI|anticoagulant (pathway|protein)",
     re.I, 14),
]

# The split: heldout when the first 8 hex digits of sha256("catgold-split:" + PMID), read as a
# fraction of 2**32, fall below HELDOUT_SHARE; the 46 old records are always tune (they were
# looked at, and tuned on, before).
HELDOUT_SHARE = 0.72


def alternatives(pattern):
    """The top-level alternatives of a regular expression (no parsing beyond parentheses)."""
    parts, depth, cur, i = [], 0, "", 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            cur += pattern[i:i + 2]
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "|" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    return parts + [cur]


def compile_fast(pattern, flags):
    """The pattern, prefixed with a look-ahead on the characters any match must start with.

    Python's re scans an alternation of words position by position; a leading character set
    lets it skip to candidate positions (about five times faster on the update file, which
    keeps `select.py --check` short enough for a test). The look-ahead changes no match: it is
    built only when every alternative starts, after an optional \\b, with a literal or a
    simple [..] set of letters, and otherwise the pattern is compiled as it is.
    """
    first = set()
    for alt in alternatives(pattern):
        alt = alt[2:] if alt.startswith("\\b") else alt
        if alt[:1] == "[" and "]" in alt and alt[1:alt.index("]")].isalpha():
            first.update(alt[1:alt.index("]")])
        elif alt[:1].isalnum():
            first.add(alt[0])
        else:
            return re.compile(pattern, flags)
    if flags & re.I:
        first = {c for ch in first for c in (ch.lower(), ch.upper())}
    return re.compile("(?=[" + "".join(sorted(first)) + "])(?:" + pattern + ")", flags)


def text_of(el):
    return "".join(el.itertext()).strip() if el is not None else ""


def read_corpus(rel):
    """PMID -> (title, abstract), in file order, the last version of a repeated PMID."""
    arts = {}
    with gzip.open(os.path.join(CORPORA, rel)) as f:
        for _, el in ET.iterparse(f):
            if el.tag != "PubmedArticle":
                continue
            pmid = el.findtext("MedlineCitation/PMID")
            title = text_of(el.find("MedlineCitation/Article/ArticleTitle"))
            parts = [text_of(a) for a in el.findall("MedlineCitation/Article/Abstract/AbstractText")]
            arts.pop(pmid, None)
            arts[pmid] = (title, " ".join(p for p in parts if p))
            el.clear()
    return arts


def sha(salt, pmid):
    return hashlib.sha256((salt + pmid).encode()).hexdigest()


def split_of(pmid):
    return "heldout" if int(sha("catgold-split:", pmid)[:8], 16) < HELDOUT_SHARE * 2**32 else "tune"


def fixture_pmids():
    with open(os.path.join(ROOT, "fixtures", "sepsis25.jsonl"), encoding="utf-8") as f:
        return {json.loads(line)["id"] for line in f}


def old_records(sepsis, excluded):
    """The 46 records of the first gold set, by its rule (see OLD_KEYWORDS)."""
    kw = {}
    with open(os.path.join(CORPORA, SEPSIS_INDEX), encoding="utf-8") as f:
        next(f)
        for line in f:
            _, pmid, keys = line.rstrip("\n").split("\t")
            for k in keys.replace(";", ",").split(","):
                if k:
                    kw.setdefault(k, set()).add(pmid)

    def ok(pmid):
        return len(sepsis.get(pmid, ("", ""))[1]) >= OLD_MIN_CHARS and pmid not in excluded

    order = sorted((p for p in sepsis if ok(p)), key=lambda p: sha("gold:", p))
    chosen = [(p, "old46_random") for p in order[:30]]
    taken = {p for p, _ in chosen}
    for k in OLD_KEYWORDS:
        extra = [p for p in sorted(kw.get(k, ()), key=lambda p: sha("gold:", p)) if ok(p) and p not in taken][:2]
        chosen.extend((p, "old46_keyword_" + k) for p in extra)
        taken.update(extra)
    return chosen


def select():
    texts = {SEPSIS: read_corpus(SEPSIS), UPDATE: read_corpus(UPDATE)}
    excluded = fixture_pmids()
    records = []
    for pmid, stratum in old_records(texts[SEPSIS], excluded):
        title, abstract = texts[SEPSIS][pmid]
        records.append(dict(id=pmid, source=SEPSIS, stratum=stratum, split="tune", title=title,
                            abstract=abstract))
    taken = excluded | {r["id"] for r in records}
    for stratum, sources, pattern, flags, count in STRATA:
        rx = compile_fast(pattern, flags)
        pool = {}
        for src in sources:  # a PMID in both corpora (same text) is drawn from the first listed
            for pmid, (title, abstract) in texts[src].items():
                if pmid in pool or pmid in taken or len(abstract) < MIN_CHARS:
                    continue
                if rx.search(title + " " + abstract):
                    pool[pmid] = src
        for pmid in sorted(pool, key=lambda p: sha("catgold:", p))[:count]:
            title, abstract = texts[pool[pmid]][pmid]
            records.append(dict(id=pmid, source=pool[pmid], stratum=stratum, split=split_of(pmid),
                                title=title, abstract=abstract))
            taken.add(pmid)
    return records


FIELDS = ("id", "source", "stratum", "split", "title", "abstract")

# The category ids of ../shared/CATEGORY-GUIDELINES.md, in the order of its table.
CATEGORIES = ["platelet_activation", "coagulation_activation", "anticoagulant_impairment",
              "fibrinolysis", "endothelial_dysfunction", "nets_immunothrombosis", "inflammation",
              "immune_dysregulation", "mitochondrial_damage", "neuroendocrine_disruption",
              "er_stress", "clinical_coagulopathy", "therapy", "sepsis"]


def counts(records):
    table = {}
    for r in records:
        row = table.setdefault(r["stratum"], {"tune": 0, "heldout": 0})
        row[r["split"]] += 1
    return table


def print_counts(records, out):
    table = counts(records)
    out.write("| stratum | tune | heldout | all |\n|---|---:|---:|---:|\n")
    for stratum, row in table.items():
        out.write(f"| {stratum} | {row['tune']} | {row['heldout']} | {row['tune'] + row['heldout']} |\n")
    t = sum(r["tune"] for r in table.values())
    h = sum(r["heldout"] for r in table.values())
    out.write(f"| **all** | {t} | {h} | {t + h} |\n")


def print_category_counts(labelled, out):
    """Positives per category and split of a labelled set (the table of GUIDELINES.md)."""
    out.write("| category | tune | heldout | all |\n|---|---:|---:|---:|\n")
    for cat in CATEGORIES:
        t = sum(1 for r in labelled if r["split"] == "tune" and cat in r.get("categories", ()))
        h = sum(1 for r in labelled if r["split"] == "heldout" and cat in r.get("categories", ()))
        out.write(f"| {cat} | {t} | {h} | {t + h} |\n")
    for split in ("tune", "heldout"):
        part = [r for r in labelled if r["split"] == split]
        n = sum(len(r.get("categories", ())) for r in part)
        none = sum(1 for r in part if not r.get("categories"))
        out.write(f"\n{split}: {len(part)} records, {n} labels, {none} records with no category")
    out.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", help="write the candidate records here (default: standard output)")
    ap.add_argument("--check", help="a labelled set whose records must be exactly the selection")
    args = ap.parse_args()
    records = select()
    if args.check:
        with open(args.check, encoding="utf-8") as f:
            got = [json.loads(line) for line in f if line.strip()]
        problems = []
        if len(got) != len(records):
            problems.append(f"{args.check}: {len(got)} records, the selection has {len(records)}")
        for i, (g, r) in enumerate(zip(got, records), 1):
            for k in FIELDS:
                if g.get(k) != r[k]:
                    problems.append(f"{args.check}:{i}: PMID {g.get('id')}: {k} differs from the "
                                    f"selection (expected record PMID {r['id']})")
                    break
        if problems:
            sys.stderr.write("\n".join(problems[:20]) + "\n")
            sys.exit(1)
        print(f"{args.check}: the {len(got)} records are exactly the selection")
        print()
        print_counts(records, sys.stdout)
        print()
        print_category_counts(got, sys.stdout)
        return
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    for r in records:
        out.write(json.dumps(r, ensure_ascii=False) + "\n")
    if args.out:
        out.close()
        print_counts(records, sys.stderr)


if __name__ == "__main__":
    main()
