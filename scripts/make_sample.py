#!/usr/bin/env python3
"""Build the larger real test corpus from the shared sepsis/coagulation subset.

Writes fixtures/sepsis_sample.jsonl.gz: every article of
../shared/corpora/sepsis/sepsis_coag_subset.xml.gz that has an abstract (the last record
of a PMID wins, as PubMed updates do), in file order, one JSON object per line with
id, year, journal, doi, title and the abstract's sections as fields:

* structured abstracts: one field per section, named by the section's NlmCategory
  (BACKGROUND, OBJECTIVE, METHODS, RESULTS, CONCLUSIONS), or, where PubMed left it
  UNASSIGNED or absent, by its label mapped to those names; sections with any other label
  and unlabelled abstracts go to `abstract`. Two sections of one name are joined by a space.

Tag it with
  --text-fields title,abstract,BACKGROUND,OBJECTIVE,METHODS,RESULTS,CONCLUSIONS

Run from the repository root:  python3 scripts/make_sample.py
"""
import gzip
import json
import os
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "corpora", "sepsis")
NAMES = ["BACKGROUND", "OBJECTIVE", "METHODS", "RESULTS", "CONCLUSIONS"]
LABELS = {
    "INTRODUCTION": "BACKGROUND", "BACKGROUNDS": "BACKGROUND", "CONTEXT": "BACKGROUND",
    "OBJECTIVES": "OBJECTIVE", "AIM": "OBJECTIVE", "AIMS": "OBJECTIVE", "PURPOSE": "OBJECTIVE",
    "METHOD": "METHODS", "MATERIALS AND METHODS": "METHODS", "DESIGN": "METHODS",
    "RESULT": "RESULTS", "FINDINGS": "RESULTS",
    "CONCLUSION": "CONCLUSIONS", "INTERPRETATION": "CONCLUSIONS",
}


def text_of(el):
    return "".join(el.itertext()).strip() if el is not None else ""


def section_name(a):
    cat = (a.get("NlmCategory") or "").upper()
    if cat in NAMES:
        return cat
    label = (a.get("Label") or "").upper().strip()
    if label in NAMES:
        return label
    return LABELS.get(label, "abstract")


def main():
    arts = {}
    with gzip.open(os.path.join(SHARED, "sepsis_coag_subset.xml.gz")) as f:
        for _, el in ET.iterparse(f):
            if el.tag != "PubmedArticle":
                continue
            pmid = el.findtext("MedlineCitation/PMID")
            obj = {"id": pmid}
            obj["year"] = el.findtext("MedlineCitation/Article/Journal/JournalIssue/PubDate/Year") or ""
            obj["journal"] = el.findtext("MedlineCitation/Article/Journal/Title") or ""
            obj["doi"] = ""
            for aid in el.findall("PubmedData/ArticleIdList/ArticleId"):
                if aid.get("IdType") == "doi":
                    obj["doi"] = (aid.text or "").strip()
            obj["title"] = text_of(el.find("MedlineCitation/Article/ArticleTitle"))
            any_text = False
            for a in el.findall("MedlineCitation/Article/Abstract/AbstractText"):
                t = text_of(a)
                if not t:
                    continue
                any_text = True
                name = section_name(a)
                obj[name] = (obj[name] + " " + t) if name in obj else t
            el.clear()
            if any_text:
                arts.pop(pmid, None)
                arts[pmid] = obj
    out = os.path.join(ROOT, "fixtures", "sepsis_sample.jsonl.gz")
    # mtime=0 so the same input gives the same bytes
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        for obj in arts.values():
            f.write((json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8"))
    print("wrote", len(arts), "articles to", out)


if __name__ == "__main__":
    main()
