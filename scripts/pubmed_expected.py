#!/usr/bin/env python3
"""Expected section texts for 50 PMIDs of pubmed21n1298, from an independent extractor.

Reads ../shared/corpora/pubmed/pubmed21n1298.xml.gz with Python's ElementTree and writes
fixtures/pubmed21n1298_expected.jsonl: one object per article,
{"pmid": "...", "sections": [[name, text], ...]}. tests/readers.rs compares coagtag's PubMed
reader with it.

Text of an element: "".join(el.itertext()), with the two rules coagtag documents in
src/input/xml.rs applied here independently:
  1. inside MathML (<mml:math>), every text node (element text and the tails of elements inside
     the math) is stripped of XML white space before joining;
  2. runs of XML white space (space, tab, CR, LF; not U+00A0) become one space, and the text is
     stripped.
Sections: "title" (ArticleTitle), then one per Abstract/AbstractText named by its Label, else
its NlmCategory, else "abstract"; empty sections are left out.

Selection (fixed rule, no randomness), in file order: the first 10 articles whose title or
abstract holds MathML, the first 25 other articles whose title or abstract holds any inline
markup, and the first 15 articles with neither.

Run from the repository root:  python3 scripts/pubmed_expected.py
"""
import gzip
import json
import os
import re
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "..", "shared", "corpora", "pubmed", "pubmed21n1298.xml.gz")
OUT = os.path.join(ROOT, "fixtures", "pubmed21n1298_expected.jsonl")
WS = " \t\n\r"


def is_math(el):
    return el.tag == "math" or el.tag.endswith("}math")


def text_of(el):
    for math in [e for e in el.iter() if is_math(e)]:
        for inner in math.iter():
            if inner.text:
                inner.text = inner.text.strip(WS)
            if inner is not math and inner.tail:
                inner.tail = inner.tail.strip(WS)
    return re.sub(r"[ \t\n\r]+", " ", "".join(el.itertext())).strip(WS)


def label_of(at):
    for key in ("Label", "NlmCategory"):
        value = re.sub(r"[ \t\n\r]+", " ", at.get(key) or "").strip(WS)
        if value:
            return value
    return "abstract"


def main():
    wanted = {"math": 10, "markup": 25, "plain": 15}
    taken = {k: 0 for k in wanted}
    rows = []
    with gzip.open(SOURCE, "rb") as f:
        for _, el in ET.iterparse(f, events=("end",)):
            if el.tag != "PubmedArticle":
                continue
            cit = el.find("MedlineCitation")
            art = cit.find("Article")
            parts = [art.find("ArticleTitle")] + art.findall("Abstract/AbstractText")
            parts = [p for p in parts if p is not None]
            has_math = any(is_math(e) for p in parts for e in p.iter())
            has_markup = any(len(p) > 0 for p in parts)
            kind = "math" if has_math else "markup" if has_markup else "plain"
            if taken[kind] < wanted[kind]:
                taken[kind] += 1
                sections = []
                title = art.find("ArticleTitle")
                if title is not None and text_of(title):
                    sections.append(["title", text_of(title)])
                for at in art.findall("Abstract/AbstractText"):
                    t = text_of(at)
                    if t:
                        sections.append([label_of(at), t])
                rows.append({"pmid": cit.find("PMID").text.strip(), "sections": sections})
            el.clear()
            if taken == wanted:
                break
    with open(OUT, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} articles to {OUT}")


if __name__ == "__main__":
    main()
