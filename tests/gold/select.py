#!/usr/bin/env python3
"""Print the PMIDs of the gold set as selected by the rule in tests/gold/GUIDELINES.md.

Reads ../shared/corpora/sepsis/ (XML and index) and fixtures/sepsis25.jsonl; prints one PMID a
line in gold-set order. The labels themselves were made by hand (see GUIDELINES.md).
Run from the repository root:  python3 tests/gold/select.py
"""
import collections
import gzip
import hashlib
import json
import os
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(ROOT, "..", "shared", "corpora", "sepsis")
KEYWORDS = ["tissue_factor", "glycocalyx", "NETs", "thrombomodulin", "ER_stress", "DIC", "antithrombin", "endothel"]


def text_of(el):
    return "".join(el.itertext()).strip() if el is not None else ""


def main():
    abstracts = {}
    with gzip.open(os.path.join(SHARED, "sepsis_coag_subset.xml.gz")) as f:
        for _, el in ET.iterparse(f):
            if el.tag != "PubmedArticle":
                continue
            pmid = el.findtext("MedlineCitation/PMID")
            parts = [text_of(a) for a in el.findall("MedlineCitation/Article/Abstract/AbstractText")]
            abstracts[pmid] = " ".join(p for p in parts if p)
            el.clear()
    kw = collections.defaultdict(set)
    with open(os.path.join(SHARED, "sepsis_coag_subset_index.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            _, pmid, keys = line.rstrip("\n").split("\t")
            for k in keys.replace(";", ",").split(","):
                if k:
                    kw[k].add(pmid)
    with open(os.path.join(ROOT, "fixtures", "sepsis25.jsonl"), encoding="utf-8") as f:
        fixtures = {json.loads(line)["id"] for line in f}

    def key(pmid):
        return hashlib.sha256(("gold:" + pmid).encode()).hexdigest()

    def ok(pmid):
        return len(abstracts.get(pmid, "")) >= 700 and pmid not in fixtures

    chosen = sorted((p for p in abstracts if ok(p)), key=key)[:30]
    for k in KEYWORDS:
        extra = sorted((p for p in kw[k] if ok(p) and p not in chosen), key=key)[:2]
        chosen.extend(extra)
    for p in chosen:
        print(p)


if __name__ == "__main__":
    main()
