#!/usr/bin/env python3
"""Make the seed corpora of the fuzz targets from the shared corpora and the fixtures.

Usage: python3 fuzz/seed.py [SHARED] (default ../shared, from the repository root). Writes
fuzz/seeds/<target>/: a few small, real inputs per reader (AFL works best from files of a few
KB), cut at record boundaries from the shared files, and ontology files cut from the default
ontology and the fixtures.
"""
import gzip
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared"))
C = os.path.join(SHARED, "corpora")
OUT = os.path.join(ROOT, "fuzz", "seeds")


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return f.read()


def pubmed():
    # the head of a real update file up to the end of its second record, closed again; efetch
    # files; the old MedlineCitationSet root; a file with a DeleteCitation
    for name, path in [
        ("update.xml", os.path.join(C, "pubmed", "pubmed21n1298.xml.gz")),
        ("medline16.xml", os.path.join(C, "pubmed", "medline16n0902.xml.gz")),
        ("dtd2022.xml", os.path.join(C, "pubmed", "dtd-years", "pubmed22n1115.xml.gz")),
    ]:
        with gzip.open(path, "rb") as f:
            head = f.read(400_000)
        root = b"MedlineCitationSet" if b"<MedlineCitationSet" in head else b"PubmedArticleSet"
        rec = b"</MedlineCitation>" if root == b"MedlineCitationSet" else b"</PubmedArticle>"
        ends = [m.end() for m in re.finditer(re.escape(rec), head)]
        if len(ends) >= 2:
            put("pubmed", name, head[: ends[1]] + b"\n</" + root + b">\n")
    put("pubmed", "no_rows.xml", read(os.path.join(C, "pubmed", "dtd-years", "pubmed_no_rows.xml")))
    efetch = os.path.join(C, "pubmed", "efetch")
    for n in sorted(os.listdir(efetch))[:4]:
        data = read(os.path.join(efetch, n))
        if len(data) < 60_000:
            put("pubmed", n, data)
    put(
        "pubmed",
        "delete.xml",
        '<?xml version="1.0"?>\n<PubmedArticleSet><DeleteCitation><PMID Version="1">123</PMID>'
        "</DeleteCitation></PubmedArticleSet>\n",
    )


def medline():
    d = os.path.join(C, "medline")
    for n in sorted(os.listdir(d)):
        put("medline", n, read(os.path.join(d, n)))
    put("medline", "fixture.nbib", read(os.path.join(ROOT, "fixtures", "medline4.txt")))


def pubtator():
    for name, path in [
        ("bc5cdr.txt", os.path.join(C, "gold", "bc5cdr", "CDR_TrainingSet.PubTator.txt")),
        ("ncbi.txt", os.path.join(C, "gold", "ncbi-disease", "NCBItrainset_corpus.txt")),
        ("sample.txt", os.path.join(C, "pubtator", "bioconcepts2pubtator_offsets.sample")),
    ]:
        text = read(path).decode("utf-8")
        docs = text.strip().split("\n\n")
        if len(docs) > 2:
            put("pubtator", name, "\n\n".join(docs[:2]) + "\n")
        else:
            # no blank lines between documents: the lines of the first two ids
            lines = text.splitlines(keepends=True)
            ids = []
            keep = []
            for line in lines:
                pmid = line.split("|", 1)[0].split("\t", 1)[0]
                if pmid not in ids:
                    ids.append(pmid)
                if len(ids) > 2:
                    break
                keep.append(line)
            put("pubtator", name, "".join(keep))


def bioc():
    data = read(os.path.join(C, "gold", "bc5cdr", "CDR_TrainingSet.BioC.xml")).decode("utf-8")
    ends = [m.end() for m in re.finditer("</document>", data)]
    put("bioc", "bc5cdr.xml", data[: ends[1]] + "\n</collection>\n")


def lines_of(path, n):
    return b"".join(read(path).splitlines(keepends=True)[:n])


def jsonl_csv_text():
    put("jsonl", "sepsis25.jsonl", lines_of(os.path.join(ROOT, "fixtures", "sepsis25.jsonl"), 2))
    put("jsonl", "sample.jsonl", lines_of(os.path.join(ROOT, "fixtures", "sepsis_sample.jsonl.gz"), 2))
    put("csv", "sepsis25.csv", lines_of(os.path.join(ROOT, "fixtures", "sepsis25.csv"), 3))
    put("csv", "quoted.csv", 'id,title,abstract,year\n1,"A ""quoted"" title","Text, with commas\nand a line",2020\n')
    first = read(os.path.join(ROOT, "fixtures", "sepsis25.jsonl")).splitlines()[0].decode("utf-8")
    import json

    doc = json.loads(first)
    put("text", "abstract.txt", (doc.get("title") or "") + "\n\n" + (doc.get("abstract") or ""))
    put("text", "greek.txt", "TNF-\u03b1 and IL-1\u03b2 rose; tissue factor (TF) and TFPI fell.\n")


def ontology():
    text = read(os.path.join(ROOT, "ontology", "sepsis_coagulopathy.yaml")).decode("utf-8")
    # the header and the first few concepts
    starts = [m.start() for m in re.finditer(r"(?m)^  - id: ", text)]
    put("ontology", "default_head.yaml", text[: starts[6]])
    put("ontology", "vocab.yaml", read(os.path.join(ROOT, "fixtures", "eval", "vocab.yaml"))[:6000])
    put(
        "ontology",
        "extend.yaml",
        "extend:\n  - id: tissue_factor\n    synonyms: [factor III antigen]\n"
        "    abbreviations:\n      - {term: TF, when: context, context: [coagulation]}\n"
        "    examples:\n      match: [\"factor III antigen rose\"]\n",
    )
    put(
        "ontology",
        "flow.yaml",
        "ontology: {id: t, version: '1', kinds_are_distinct: true}\n"
        "concepts:\n  - {id: a, label: A, synonyms: [alpha], longer_name_words: {before: [anti]}}\n"
        "  - {id: b, label: B, parent: a, abbreviations: [{term: BB, when: defined}], exclude: [b b]}\n",
    )


if __name__ == "__main__":
    pubmed()
    medline()
    pubtator()
    bioc()
    jsonl_csv_text()
    ontology()
    for t in sorted(os.listdir(OUT)):
        files = os.listdir(os.path.join(OUT, t))
        size = sum(os.path.getsize(os.path.join(OUT, t, f)) for f in files)
        print(f"{t}: {len(files)} seeds, {size} bytes")
