#!/usr/bin/env python3
"""Build the bundled fixture corpus from the shared sepsis/coagulation subset.

Picks 25 real PubMed articles (fixed rule, no randomness) from
../shared/corpora/sepsis/sepsis_coag_subset.xml.gz and writes them as
fixtures/sepsis25.csv (id,title,abstract) and fixtures/sepsis25.jsonl
(one object per line with id, title, abstract, year, journal, doi).

Selection: articles with an abstract, ordered by the number of distinct
index keywords (most first), then by PMID; the first 25. The abstract is
the AbstractText sections joined by one space, with inline markup flattened
by ElementTree's itertext().

Run from the repository root:  python3 scripts/make_fixtures.py
"""
import csv
import gzip
import json
import os
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "corpora", "sepsis")


def text_of(el):
    return "".join(el.itertext()).strip() if el is not None else ""


def main():
    keywords = {}
    with open(os.path.join(SHARED, "sepsis_coag_subset_index.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            _, pmid, kw = line.rstrip("\n").split("\t")
            keywords[pmid] = set(k for k in kw.replace(";", ",").split(",") if k)
    arts = []
    with gzip.open(os.path.join(SHARED, "sepsis_coag_subset.xml.gz")) as f:
        for _, el in ET.iterparse(f):
            if el.tag != "PubmedArticle":
                continue
            pmid = el.findtext("MedlineCitation/PMID")
            title = text_of(el.find("MedlineCitation/Article/ArticleTitle"))
            parts = [text_of(a) for a in el.findall("MedlineCitation/Article/Abstract/AbstractText")]
            abstract = " ".join(p for p in parts if p)
            if not abstract:
                el.clear()
                continue
            year = el.findtext("MedlineCitation/Article/Journal/JournalIssue/PubDate/Year") or ""
            journal = el.findtext("MedlineCitation/Article/Journal/Title") or ""
            doi = ""
            for aid in el.findall("PubmedData/ArticleIdList/ArticleId"):
                if aid.get("IdType") == "doi":
                    doi = (aid.text or "").strip()
            arts.append(dict(id=pmid, title=title, abstract=abstract, year=year, journal=journal, doi=doi,
                             _k=len(keywords.get(pmid, ()))))
            el.clear()
    # the subset holds some PMIDs twice (a record and its later revision): keep the last
    arts = list({a["id"]: a for a in arts}.values())
    arts.sort(key=lambda a: (-a["_k"], int(a["id"])))
    chosen = arts[:25]
    os.makedirs(os.path.join(ROOT, "fixtures"), exist_ok=True)
    with open(os.path.join(ROOT, "fixtures", "sepsis25.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "title", "abstract"])
        for a in chosen:
            w.writerow([a["id"], a["title"], a["abstract"]])
    with open(os.path.join(ROOT, "fixtures", "sepsis25.jsonl"), "w", encoding="utf-8") as f:
        for a in chosen:
            obj = {k: a[k] for k in ("id", "title", "abstract", "year", "journal", "doi")}
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print("wrote", len(chosen), "articles")


if __name__ == "__main__":
    main()
