#!/usr/bin/env python3
"""Tests of scripts/agreement.py on a tiny PubMed XML fixture, without pyahocorasick: the
baseline's matrix and mentions are written by hand (what baseline_tagger.py gives for these
texts), coagtag's matrix comes from the binary.

Run: COAGTAG_BIN=target/release/coagtag python3 scripts/test_agreement.py
(tests/agreement_script.rs runs it with the test build of the binary).
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("COAGTAG_BIN", os.path.join(HERE, "..", "target", "release", "coagtag"))

# pmid -> (title, abstract, {concept: [baseline mention texts, found left to right]}); the
# baseline's mentions of every other concept equal coagtag's and are not needed
ARTICLES = {
    # coagtag folds the Greek letter, the baseline's str.lower() does not
    "101": ("TNFα rises in sepsis.", "TNFα was measured.", {"tnf_alpha": []}),
    # APC is `when: defined` and the document does not define it
    "102": ("Activated protein C was given.", "APC levels fell.", {"activated_protein_c": ["Activated protein C", "APC"]}),
    # superoxide inside the exclude phrase "superoxide dismutase"
    "103": ("Oxidative damage.", "The superoxide dismutase levels and superoxide.", {"reactive_oxygen_species": ["superoxide", "superoxide"]}),
    # the document defines DOACs as something else (rule 2); PCT is defined as procalcitonin,
    # an unlisted short form (rule 1)
    "104": (
        "Anticoagulation in sepsis.",
        "Patients took dual oral antiplatelet combinations (DOACs). DOACs were stopped. Procalcitonin (PCT) was high; PCT fell.",
        {"direct_oral_anticoagulants": ["DOACs", "DOACs"], "procalcitonin": ["Procalcitonin"]},
    ),
}
# a baseline mention no coagtag rule accounts for: "fever" is not a term of sepsis
UNEXPLAINED = ("105", "Fever in children.", "Fever was seen.", {"sepsis": ["Fever"]})


def xml(articles):
    recs = []
    for pmid, (title, abstract, _) in articles.items():
        recs.append(
            f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>{title}</ArticleTitle>"
            f"<Abstract><AbstractText>{abstract}</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>\n"
        )
    return '<?xml version="1.0" encoding="utf-8"?>\n<PubmedArticleSet>\n' + "".join(recs) + "</PubmedArticleSet>\n"


def baseline_mentions(title, abstract, wanted):
    """The baseline's mentions of the wanted concepts: each text found left to right."""
    sections, ms = [title, abstract], []
    for concept, texts in wanted.items():
        at = (0, 0)
        for t in texts:
            sec, pos = at
            while sections[sec].find(t, pos) < 0:
                sec, pos = sec + 1, 0
            start = sections[sec].find(t, pos)
            ms.append({"section": sec, "start": start, "end": start + len(t), "text": t, "concepts": [concept]})
            at = (sec, start + len(t))
    return {"sections": sections, "mentions": ms}


def run_check(tmp, articles):
    path = os.path.join(tmp, "in.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(xml(articles))
    coag = os.path.join(tmp, "coagtag.csv")
    subprocess.run([BIN, "tag", path, "--layout", "articles", "-q", "-o", coag], check=True)
    terms = os.path.join(tmp, "terms.tsv")
    subprocess.run([BIN, "ontology", "export", "--format", "tsv", "--variants", "-o", terms], check=True)
    with open(coag, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    base_rows = [head]
    with open(os.path.join(tmp, "mentions.jsonl"), "w", encoding="utf-8") as out:
        for row in rows[1:]:
            title, abstract, wanted = articles[row[0]]
            row = list(row)
            for concept, texts in wanted.items():
                row[head.index(concept)] = str(len(texts))
            base_rows.append(row)
            obj = baseline_mentions(title, abstract, wanted)
            out.write(json.dumps(dict(obj, id=row[0]), ensure_ascii=False) + "\n")
    with open(os.path.join(tmp, "baseline.csv"), "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(base_rows)
    p = subprocess.run(
        [sys.executable, os.path.join(HERE, "agreement.py"), "--coagtag", coag, "--baseline", os.path.join(tmp, "baseline.csv"),
         "--mentions", os.path.join(tmp, "mentions.jsonl"), "--terms", terms, "--bin", BIN, "--input", path, "--out", tmp],
        capture_output=True, text=True,
    )
    with open(os.path.join(tmp, "agreement_cells.csv"), encoding="utf-8", newline="") as f:
        cells = {(r["article_id"], r["concept"]): r["cause"] for r in csv.DictReader(f)}
    return p, cells


class Agreement(unittest.TestCase):
    def test_every_cause_is_named_and_the_verdict_passes(self):
        with tempfile.TemporaryDirectory() as tmp:
            p, cells = run_check(tmp, ARTICLES)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("verdict: agree", p.stdout)
        self.assertEqual(
            cells,
            {
                ("101", "tnf_alpha"): "unicode-folding",
                ("102", "activated_protein_c"): "when-defined",
                ("103", "reactive_oxygen_species"): "exclude",
                ("104", "direct_oral_anticoagulants"): "defined-otherwise",
                ("104", "procalcitonin"): "defined-abbreviation",
            },
        )

    def test_an_unexplained_cell_fails_the_verdict(self):
        articles = dict(ARTICLES)
        articles[UNEXPLAINED[0]] = UNEXPLAINED[1:]
        with tempfile.TemporaryDirectory() as tmp:
            p, cells = run_check(tmp, articles)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("verdict: DISAGREE: 1 unexplained cells", p.stdout)
        self.assertEqual(cells[("105", "sepsis")], "UNEXPLAINED")
        self.assertEqual(cells[("101", "tnf_alpha")], "unicode-folding")


if __name__ == "__main__":
    unittest.main()
