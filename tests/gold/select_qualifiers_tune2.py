#!/usr/bin/env python3
"""Select the second tune batch of the qualifier gold set (stratum names `t2_*`).

Appended to tests/gold/qualifiers.jsonl with `"split": "tune"`, after the first tune part was
fitted and the held-out part showed the rules do not generalise. The rule is fixed; nothing is
chosen by hand:

1. Read and split the same sentences as select_qualifiers.py (its functions are imported), tag
   each as a standalone document with the coagtag binary.
2. Leave out every sentence already in the labelled set (by sentence id and by text, either
   split), and every candidate whose item id
   the split hash puts in `heldout` (`int(sha256("qualgold-split:" + id)[:8], 16) % 10 < 6`): so
   each new item is `tune` by the same rule as the rest of the set, and no held-out sentence is
   read.
3. Draw the strata of STRATA in order, each in the order of sha256("qualtune2:" + sentence id),
   at most two sentences per article in this batch, 55 / 30 / 15 % of the quota from the sepsis subset, the
   PubMed update file and JATS; one mention per sentence as in select_qualifiers.py (the mention
   nearest the first cue match for two sentences out of three, a hash-chosen one otherwise).

The strata weigh the tricky cases of negation and hedging: a cue over another phrase, pseudo
triggers, a cue in another clause, "could"/"may" (ability or possibility), "whether"/"if",
"potential", hedge verbs ("suggest", "indicate"), "no significant", "neither ... nor", reported
speech ("X reported that ...").

Usage (from the repository root, after `cargo build --release`):
  python3 tests/gold/select_qualifiers_tune2.py > /tmp/tune2_candidates.jsonl
"""
import importlib.util
import os
import subprocess  # noqa: F401  (imports the standard `select` before this directory is on the path)
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("select_qualifiers", os.path.join(HERE, "select_qualifiers.py"))
sq = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sq)

import collections  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402

NEG, HEDGE = sq.NEG, sq.HEDGE
CLAUSE = r"\b(?:but|whereas|while|although|though|however|yet)\b"
STRATA = [
    ("t2_pseudo_trigger", 20,
     r"\bnot only\b|\bno doubt\b|\bnot just\b|\bnot limited to\b|\bnot necessarily\b|\bno longer\b|"
     r"\bwhether or not\b|\bnot (?:yet |been )?(?:fully |well |completely )?(?:understood|known|"
     r"elucidated|established|clear)\b|\bcannot be (?:excluded|ruled out)\b|\bgram-negative\b|"
     r"\bnot inferior\b|\bnon-?inferior", "cue"),
    ("t2_no_significant", 20,
     r"\bno (?:statistically )?significant\b|\bnot (?:statistically )?significant(?:ly)?\b|"
     r"\bno (?:\w+ )?differences?\b|\bdid not differ\b", "cue"),
    ("t2_negated_change", 20,
     r"\b(?:not|n't|fail(?:s|ed)? to|no)\s+(?:\w+\s+){0,2}?(?:increas|decreas|reduc|elevat|chang|"
     r"affect|alter|inhibit|suppress|attenuat|enhanc|induc|activat|prevent|improv|influenc)\w*", "cue"),
    ("t2_neither_nor", 12, r"\bneither\b|\bnor\b", "cue"),
    ("t2_negation_clause", 25, r"(?=.*" + NEG + r")(?=.*" + CLAUSE + r")", "hash"),
    ("t2_negated_phrase", 20,
     r"\b(?:no|without|lack of|absence of|absent)\s+(?:\w+[ ,-]+){1,4}(?:and|or|nor|of|in|with)\b", "cue"),
    ("t2_negation", 30, NEG, "cue"),
    ("t2_could", 20, r"\bcould\b", "cue"),
    ("t2_may_might", 20, r"\b(?:may|might|can)\b", "cue"),
    ("t2_whether_if", 20, r"\bwhether\b|\bif\b", "cue"),
    ("t2_potential", 15, r"\bpotential(?:ly)?\b|\bpossibl[ey]\b|\bputative\b", "cue"),
    ("t2_suggest_indicate", 28,
     r"\bsuggest\w*|\bindicat\w*|\bimpl(?:y|ies|ied)\b|\bpropos\w*|\bhypothes\w*", "cue"),
    ("t2_knowledge_gap", 10, r"\bunclear\b|\bunknown\b|\buncertain\w*|\bremains? to be\b|\bobscure\b",
     "cue"),
    ("t2_reported", 15,
     r"\b(?:reported|showed|found|demonstrated|revealed|observed|concluded|noted|stated)\s+that\b", "hash"),
]


def main():
    gold_path = os.path.join(HERE, "qualifiers.jsonl")
    with open(gold_path, encoding="utf-8") as f:
        # the set this batch was drawn against: every record but its own
        gold = [g for g in map(json.loads, f) if not g["stratum"].startswith("t2_")]
    gold_sids = {g["id"].rsplit(":", 1)[0] for g in gold}
    gold_texts = {g["sentence"] for g in gold}

    sentences = sq.read_sentences()
    found = sq.tag(sentences, os.path.join(sq.ROOT, "target", "release", "coagtag"))
    order = sorted(sentences, key=lambda s: sq.sha("qualtune2:" + s["sid"]))
    taken, per_article, items = set(), collections.Counter(), []
    for name, quota, pattern, pick in STRATA:
        rx = re.compile(pattern, sq.I)
        want = [int(quota * share) for share in sq.SOURCE_SHARE]
        want[0] += quota - sum(want)
        got = [0] * len(sq.SOURCES)
        for s in order:
            k = sq.SOURCES.index("jats" if s["source"].startswith("jats") else s["source"])
            if (got[k] >= want[k] or s["sid"] in taken or s["sid"] in gold_sids or s["text"] in gold_texts
                    or per_article[s["article"]] >= sq.MAX_PER_ARTICLE):
                continue
            ms = found.get(s["sid"]) or []
            if not ms or not rx.search(s["text"]):
                continue
            cue = rx.search(s["text"]) if pick == "cue" else None
            if cue is not None and cue.end() == cue.start():
                cue = None
            m = sq.pick_mention(s, ms, cue, pick)
            it = sq.item(s, m, name)
            if it["split"] != "tune":
                continue  # a held-out id: never drawn, never read
            taken.add(s["sid"])
            per_article[s["article"]] += 1
            got[k] += 1
            items.append(it)
            if got == want:
                break
        if got != want:
            print(f"stratum {name}: only {got} of {want} sentences available", file=sys.stderr)
    print(f"{len(items)} selected", file=sys.stderr)
    for it in items:
        print(json.dumps(it, ensure_ascii=False))


if __name__ == "__main__":
    main()
