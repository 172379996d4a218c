#!/usr/bin/env python3
"""Convert a JATS article to BioC XML and BioC JSON the way BioC-PMC writes them, for tests.

No real BioC-PMC file is in the shared corpora, so the test files are built from shared JATS
articles following BioC-PMC's documented conventions (Comeau et al., "PMC text mining subset
in BioC: about three million full-text articles and growing", Bioinformatics 2019; the
BioC-PMC API's output as PubTator serves it):

* a collection (`source` PMC) of documents whose id is the PMC number;
* a `front` passage (section_type TITLE) carrying the metadata as infons: article-id_pmc,
  article-id_pmid, article-id_doi, year, source (the journal), license;
* abstract passages (section_type ABSTRACT; type abstract_title_1 for a structured abstract's
  headings, abstract for its text);
* body passages: headings of type title_1, title_2, ..., paragraphs of type paragraph, each
  with the section_type of its top-level section (INTRO, METHODS, RESULTS, DISCUSS, CONCL,
  CASE, SUPPL, ABBR, COMP_INT, AUTH_CONT, ACK_FUND, REF, APPENDIX);
* figures (FIG: fig_title_caption, fig_caption) and tables (TABLE: table_caption, table,
  table_footnote);
* the reference list (REF: one passage of type ref per reference);
* text as BioC-PMC keeps it: markup flattened, citation numbers left in the text.

Usage: scripts/jats_to_bioc.py ARTICLE.nxml OUT_STEM  (writes OUT_STEM.BioC.xml and OUT_STEM.json)
"""

import json
import re
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape


def text(e):
    if e is None:
        return ""
    skip = {"tex-math", "graphic", "inline-graphic", "label", "object-id"}

    def rec(x):
        out = [x.text or ""]
        for c in x:
            if c.tag.rsplit("}", 1)[-1] not in skip:
                out.append(rec(c))
            out.append(c.tail or "")
        return "".join(out)
    return " ".join(rec(e).split())


def section_type(sec):
    st = (sec.get("sec-type") or "").lower()
    title = text(sec.find("title")).lower()
    for key, value in [("intro", "INTRO"), ("background", "INTRO"), ("method", "METHODS"),
                       ("material", "METHODS"), ("result", "RESULTS"), ("discussion", "DISCUSS"),
                       ("conclusion", "CONCL"), ("case", "CASE"), ("supplementary", "SUPPL"),
                       ("additional file", "SUPPL"), ("abbreviation", "ABBR"),
                       ("competing", "COMP_INT"), ("conflict", "COMP_INT"),
                       ("contribution", "AUTH_CONT"), ("acknowledg", "ACK_FUND"),
                       ("funding", "ACK_FUND"), ("pre-publication", "REVIEW_INFO")]:
        if st.startswith(key) or key in title:
            return value
    return "APPENDIX" if st == "appendix" else "INTRO" if not title else "RESULTS"


class Doc:
    def __init__(self):
        self.passages = []
        self.offset = 0

    def add(self, infons, t):
        t = t.strip()
        if not t:
            return
        self.passages.append({"offset": self.offset, "infons": infons, "text": t, "sentences": [],
                              "annotations": [], "relations": []})
        self.offset += len(t) + 1


def sec_passages(doc, sec, stype, level):
    title = sec.find("title")
    if title is not None and text(title):
        doc.add({"section_type": stype, "type": f"title_{level}"}, text(title))
    for c in sec:
        tag = c.tag
        if tag == "p":
            doc.add({"section_type": stype, "type": "paragraph"}, text(c))
        elif tag == "sec":
            sec_passages(doc, c, stype, level + 1)
        elif tag in ("fig", "table-wrap"):
            floats(doc, c)
        elif tag == "list":
            for item in c.iter("list-item"):
                doc.add({"section_type": stype, "type": "paragraph"}, text(item))


def floats(doc, f):
    kind = "FIG" if f.tag == "fig" else "TABLE"
    prefix = "fig" if kind == "FIG" else "table"
    cap = f.find("caption")
    if cap is not None:
        if cap.find("title") is not None:
            doc.add({"section_type": kind, "type": f"{prefix}_title_caption"}, text(cap.find("title")))
        for p in cap.findall("p"):
            doc.add({"section_type": kind, "type": f"{prefix}_caption"}, text(p))
    if kind == "TABLE":
        for t in f.iter("table"):
            doc.add({"section_type": "TABLE", "type": "table"}, text(t))
        for foot in f.iter("table-wrap-foot"):
            doc.add({"section_type": "TABLE", "type": "table_footnote"}, text(foot))


def convert(path):
    root = ET.parse(path).getroot()
    am = root.find("front/article-meta")
    ids = {a.get("pub-id-type"): (a.text or "").strip() for a in am.findall("article-id")}
    pmc = ids.get("pmc") or (re.search(r"PMC(\d+)", path.upper()) or re.search(r"(\d+)\D*$", path)).group(1)
    doc = Doc()
    front = {"section_type": "TITLE", "type": "front", "article-id_pmc": pmc}
    if ids.get("pmid"):
        front["article-id_pmid"] = ids["pmid"]
    if ids.get("doi"):
        front["article-id_doi"] = ids["doi"]
    years = [y.text for y in am.iter("year") if y.text]
    if years:
        front["year"] = min(years)
    journal = root.find("front/journal-meta//journal-title")
    if journal is not None:
        front["source"] = text(journal)
    lic = am.find("permissions/license")
    licence = None
    if lic is not None:
        licence = lic.get("{http://www.w3.org/1999/xlink}href") or text(lic)
        front["license"] = licence
    doc.add(front, text(am.find("title-group/article-title")))
    for ab in am.findall("abstract"):
        secs = ab.findall("sec")
        if secs:
            for s in secs:
                doc.add({"section_type": "ABSTRACT", "type": "abstract_title_1"}, text(s.find("title")))
                for p in s.findall("p"):
                    doc.add({"section_type": "ABSTRACT", "type": "abstract"}, text(p))
        else:
            for p in ab.findall("p"):
                doc.add({"section_type": "ABSTRACT", "type": "abstract"}, text(p))
    body = root.find("body")
    for s in body.findall("sec"):
        sec_passages(doc, s, section_type(s), 1)
    back = root.find("back")
    if back is not None:
        for ack in back.findall("ack"):
            for p in ack.iter("p"):
                doc.add({"section_type": "ACK_FUND", "type": "paragraph"}, text(p))
        for s in back.findall("sec"):
            sec_passages(doc, s, section_type(s), 1)
        for ref in back.iter("ref"):
            doc.add({"section_type": "REF", "type": "ref"}, text(ref))
    document = {"id": pmc, "infons": {"license": licence} if licence else {}, "passages": doc.passages,
                "relations": []}
    return {"source": "PMC", "date": "20250101", "key": "pmc.key", "infons": {}, "documents": [document]}


def to_xml(coll):
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE collection SYSTEM "BioC.dtd">',
           f"<collection><source>{coll['source']}</source><date>{coll['date']}</date><key>{coll['key']}</key>"]
    for d in coll["documents"]:
        out.append(f"<document><id>{escape(d['id'])}</id>")
        for k, v in d["infons"].items():
            out.append(f'<infon key="{escape(k)}">{escape(v)}</infon>')
        for p in d["passages"]:
            out.append("<passage>")
            for k, v in p["infons"].items():
                out.append(f'<infon key="{escape(k)}">{escape(v)}</infon>')
            out.append(f"<offset>{p['offset']}</offset><text>{escape(p['text'])}</text></passage>")
        out.append("</document>")
    out.append("</collection>")
    return "\n".join(out) + "\n"


def main():
    src, stem = sys.argv[1], sys.argv[2]
    coll = convert(src)
    with open(stem + ".BioC.xml", "w", encoding="utf-8") as f:
        f.write(to_xml(coll))
    with open(stem + ".json", "w", encoding="utf-8") as f:
        # the BioC-PMC API answers an array of collections
        json.dump([coll], f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
