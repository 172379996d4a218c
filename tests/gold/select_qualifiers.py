#!/usr/bin/env python3
"""Select the sentences of the qualifier gold set (tests/gold/qualifiers.jsonl).

The rule is fixed and documented in tests/gold/QUALIFIERS.md; nothing is chosen by hand:

1. Read real text from the shared corpora: the title and each AbstractText section of every
   record of the sepsis subset and of the PubMed update file pubmed21n1298 (a PMID of both is
   read from the sepsis subset only; a PMID given twice in one file keeps its last record), and
   every body paragraph of the English JATS full texts.
2. Split every section/paragraph into sentences (the splitter below), keep sentences of 40 to
   400 characters.
3. Tag every sentence AS A STANDALONE DOCUMENT with the coagtag binary and its embedded default
   ontology (`coagtag tag sentences.jsonl --jsonl mentions.jsonl`); mention offsets are
   Unicode-character (code point) offsets within the sentence.
4. Draw the strata in the order of STRATA: each takes, in order of sha256("qualgold:" + sentence
   id), the sentences that match its regular expression, are not taken yet, have a mention, and
   whose article has fewer than MAX_PER_ARTICLE sentences in the set, until its quota from each
   source is full (SOURCE_SHARE of the quota: sepsis subset, PubMed update file, JATS).
5. Pick one mention per sentence: mentions of the context concept `sepsis` only when the sentence
   has no other; in a cue stratum, the mention nearest the first cue match for two sentences out
   of three (by the sentence hash), and otherwise (and in the random stratum) the mention with the
   smallest sha256(sentence id + ":" + start).
6. Split: `heldout` when int(sha256("qualgold-split:" + id)[:8], 16) % 10 < 6, else `tune`.

Usage (from the repository root, after `cargo build --release`):
  python3 tests/gold/select_qualifiers.py [--bin target/release/coagtag] > /tmp/candidates.jsonl
  python3 tests/gold/select_qualifiers.py --check tests/gold/qualifiers.jsonl
The first writes the selected items without labels (one JSON object a line, in set order); the
second re-runs the selection and reports every difference from the labelled set's items (ids,
sentences, spans, concepts, strata, splits), exiting 1 if there is any. Standard library only.
"""
import os
import sys

# tests/gold/select.py (the category gold set's script) would shadow the standard `select` module
# that subprocess imports: take this directory off the module path first.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import argparse  # noqa: E402
import collections
import gzip
import hashlib
import json
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPORA = os.path.join(ROOT, "..", "shared", "corpora")
SEPSIS = os.path.join(CORPORA, "sepsis", "sepsis_coag_subset.xml.gz")
PUBMED = os.path.join(CORPORA, "pubmed", "pubmed21n1298.xml.gz")
JATS = os.path.join(CORPORA, "jats")

MIN_CHARS, MAX_CHARS = 40, 400
MAX_PER_ARTICLE = 2
# Share of each stratum's quota per source, in this order; rounding leftovers go to the first.
SOURCES = ["sepsis_coag_subset", "pubmed21n1298", "jats"]
SOURCE_SHARE = [0.55, 0.30, 0.15]

I = re.IGNORECASE
NEG = (r"\b(?:no|not|without|absence of|absent|fail(?:s|ed|ing)? to|neither|nor|ruled? out|"
       r"lack(?:s|ed|ing)? of|none of|never|cannot|negative for|undetectable|n't)\b")
HEDGE = (r"\b(?:may|might|could|possibl[ey]|possibility|probabl[ey]|likely|unlikely|"
         r"potential(?:ly)?|putative|presumabl[ey]|suggest(?:s|ed|ing)?|indicat(?:e|es|ed|ing) that|"
         r"impl(?:y|ies|ied)|appear(?:s|ed)? to|seem(?:s|ed)? to|hypothes[ie]s|hypothesi[sz]ed?|"
         r"speculat\w+|whether|propos(?:e|ed)|thought to|believed to|unclear|unknown|uncertain|perhaps)\b")
UP = (r"\b(?:increas\w*|elevat\w*|higher|high|rais(?:e|ed|es|ing)|rose|rise[sn]?|up-?regulat\w*|"
      r"activat\w*|induc(?:e|ed|es|ing|tion)|releas\w*|enhanc\w*|promot\w*|stimulat\w*|augment\w*|"
      r"over-?expressi?\w*|accumulat\w*|exacerbat\w*|aggravat\w*|amplif\w*|greater|excess\w*|surge)\b")
DOWN = (r"\b(?:decreas\w*|reduc(?:e|ed|es|ing|tion)|lower|low|declin\w*|diminish\w*|"
        r"down-?regulat\w*|inhibit(?:s|ed|ing|ion)?|suppress\w*|attenuat\w*|impair\w*|deficien\w*|"
        r"deplet\w*|consum\w*|loss|lost|abolish\w*|prevent\w*|ameliorat\w*|alleviat\w*|mitigat\w*|"
        r"abrogat\w*|fell|fall|dropp?\w*|degrad\w*|knock\w*|shed\w*|fewer)\b")

# (name, quota, regex, pick): pick "cue" = nearest the first cue match (2 of 3 sentences), "up" /
# "down" the same with the UP / DOWN words as cues, "hash" = any mention, "adjacent*" see below.
STRATA = [
    ("pseudo_trigger", 30,
     r"\bnot only\b|\bno doubt\b|\bdid not only\b|\bnot just\b|\bnot limited to\b|"
     r"\bnot necessarily\b|\bno longer\b|\bwhether or not\b|\bnothing but\b|\bnot to mention\b|"
     r"\bnot (?:yet |been )?(?:fully |well |completely |clearly )?(?:understood|known|elucidated|"
     r"established|clarified|defined|clear)\b|\bremains? (?:unclear|unknown|to be)\b|"
     r"\b(?:cannot|not) be (?:excluded|ruled out)\b|\bmembrane potential\b|\b\w+genic potential\b|"
     r"\bgram-negative\b|\bculture-negative\b", "cue"),
    ("no_significant", 25,
     r"\bno (?:statistically )?significant\b|\bnot (?:statistically )?significant(?:ly)?\b|"
     r"\bno (?:\w+ )?differences?\b|\bdid not differ\b|\bwithout (?:any )?significant\b", "cue"),
    ("negated_change", 25,
     r"\b(?:not|n't|fail(?:s|ed)? to|no)\s+(?:\w+\s+){0,2}?(?:increas|decreas|reduc|elevat|rais|"
     r"chang|affect|alter|inhibit|suppress|attenuat|enhanc|induc|activat|up-?regul|down-?regul|"
     r"prevent|improv|lower|influenc|modif)\w*", "cue"),
    ("negated_and_hedged", 20,
     r"\b(?:may|might|could|whether|suggest\w*|possibl[ey]|likely|unclear)\b[^.;]{0,60}"
     + NEG + "|" + NEG + r"[^.;]{0,60}\b(?:may|might|could|whether|suggest\w*|possibl[ey]|likely)\b",
     "cue"),
    ("agent", 30,
     r"\binhibitors?\b|\bantagonis\w+|\banti-[A-Za-z0-9]|\bblockers?\b|\bneutraliz\w+ antibod\w+|"
     r"\bblockade\b", "cue"),
    ("decrease_noun", 25,
     r"thrombocytopeni\w*|\bdeficien\w+|-deficient\b|\bknock-?out\b|-/-|\bnull mice\b|"
     r"\bconsumption\b|\bconsumptive\b|\bdepletion\b|\bhypofibrinogen\w*|\blymphopeni\w*|"
     r"\bneutropeni\w*|\bexhaustion\b", "cue"),
    ("clause_boundary", 30,
     r"(?=.*(?:" + NEG + "|" + UP + "|" + DOWN + r"))(?=.*\b(?:but|whereas|while|although|though|"
     r"however|yet)\b)", "hash"),
    ("comparative", 30,
     r"\b(?:higher|lower|greater|less|more|fewer|elevated|reduced|increased|decreased)\b[^.;]{0,80}"
     r"\b(?:than|compared (?:with|to)|versus|vs\.?|relative to)\b|\bnon-?survivors?\b", "cue"),
    ("negated_list", 25,
     r"\b(?:no|not|without|absence of|neither|lack of)\b[^.;:]{0,80}?,[^.;:]{0,60}\b(?:and|or|nor)\b",
     "cue"),
    ("negated_phrase", 20,
     r"\b(?:no|not|without|lack of|absence of)\s+(?:\w+\s+){0,2}(?:evidence|signs?|symptoms?|change|"
     r"increase|decrease|difference|effects?|association|correlation|role|impact|influence|"
     r"relationship|history|episodes?)\s+(?:of|in|on|with|between|for)\b", "cue"),
    ("hedged_aim", 35,
     r"\b(?:whether|if)\b|\b(?:we|this study|the study|the aim|the objective)\s+(?:was\s+)?(?:to\s+)?"
     r"(?:aimed|aim|sought|investigated|investigate|examined|examine|evaluated|evaluate|tested|test|"
     r"hypothesi[sz]ed|asked|assess|assessed)\b|\bhypothes\w+|\bpotential(?:ly)?\b", "cue"),
    ("negation", 50, NEG, "cue"),
    ("hedge", 70, HEDGE, "cue"),
    ("up", 80, r"^(?!.*" + NEG + ")" + r"(?=.*" + UP + ")", "up"),
    ("down", 80, r"^(?!.*" + NEG + ")" + r"(?=.*" + DOWN + ")", "down"),
    ("random", 60, r"", "hash"),
    # Appended after the first labelling pass, which left the held-out part short of up, down and
    # negated mentions (see QUALIFIERS.md); appended strata leave every earlier item as it was.
    # "adjacent": the mention nearest any cue match, and only if at most ADJACENT characters
    # separate them.
    ("up_adjacent", 60, r"^(?!.*" + NEG + ")" + r"(?=.*" + UP + ")", "adjacent_up"),
    ("down_adjacent", 35, r"^(?!.*" + NEG + ")" + r"(?=.*" + DOWN + ")", "adjacent_down"),
    ("negation_adjacent", 30, NEG, "adjacent"),
    # Appended when the labelled adjacent strata still left the held-out part at 57 up mentions.
    ("up_adjacent_more", 24, r"^(?!.*" + NEG + ")" + r"(?=.*" + UP + ")", "adjacent_up"),
    # Appended because the set held only 6 mentions that are both negated and hedged: a hedge
    # word and a negation word at most 40 characters apart, the mention next to the negation.
    ("negated_hedged_adjacent", 20,
     r"\b(?:may|might|could|would|whether|suggest\w*|possibl[ey]|likely|unlikely|seem\w*|appear\w*|"
     r"indicat\w*)\b.{0,40}" + NEG + "|" + NEG + r".{0,40}\b(?:may|might|could|would|whether|"
     r"suggest\w*|possibl[ey]|likely|seem\w*|appear\w*)\b", "adjacent_neg"),
]
ADJACENT = 25

# The splitter: a sentence ends at . ? or ! followed by white space and an upper-case letter, a
# digit or an opening bracket/quote, unless the word before the stop is one of these, a single
# letter (an initial, "S. aureus"), or the stop is inside brackets.
NO_SPLIT_AFTER = {
    "e.g", "i.e", "al", "vs", "fig", "figs", "ref", "refs", "approx", "ca", "no", "nos", "dr",
    "mr", "mrs", "ms", "st", "cf", "resp", "sp", "spp", "eq", "eqs", "min", "max", "vol", "ed",
    "eds", "inc", "ltd", "co", "jr", "sr", "pp", "p", "var", "subsp", "viz", "etc", "ser", "nr",
}


def sha(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def norm(text):
    return re.sub(r"\s+", " ", text).strip()


def split_sentences(text):
    """Return (start, end) code-point spans of the sentences of a normalised text."""
    spans, start, depth = [], 0, 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth = max(0, depth - 1)
        elif c in ".?!" and depth == 0 and i + 2 < n and text[i + 1] == " ":
            nxt = text[i + 2]
            if nxt.isupper() or nxt.isdigit() or nxt in "([\"'\u201c":
                m = re.search(r"([A-Za-z.]+)$", text[start:i])
                raw = m.group(1).rstrip(".") if m else ""
                # an abbreviation is written in lower case or capitalised ("Fig.", "no."), never
                # in capitals ("NOS." ends a sentence); a single capital is an initial, a
                # single small letter a unit ("24 h.")
                abbrev = raw.lower() in NO_SPLIT_AFTER and not (len(raw) > 1 and raw.isupper())
                single = len(raw) == 1 and raw.isupper()
                if c != "." or not (abbrev or single):
                    spans.append((start, i + 1))
                    start = i + 2
        i += 1
    if start < n:
        spans.append((start, n))
    return spans


def itertext(el):
    return norm("".join(el.itertext())) if el is not None else ""


def pubmed_sections(path):
    """Yield (pmid, [section texts]) for every PubmedArticle: title, then each AbstractText."""
    with gzip.open(path) as f:
        for _, el in ET.iterparse(f):
            if el.tag != "PubmedArticle":
                continue
            pmid = el.findtext("MedlineCitation/PMID")
            secs = [itertext(el.find("MedlineCitation/Article/ArticleTitle"))]
            secs += [itertext(a) for a in el.findall("MedlineCitation/Article/Abstract/AbstractText")]
            yield pmid, secs
            el.clear()


def jats_articles():
    """Yield (article id, source, [paragraph texts]) for the English JATS full texts."""
    manifest = os.path.join(JATS, "MANIFEST.tsv")
    with open(manifest, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    for row in sorted(rows):
        rel = row[0]
        root = ET.parse(os.path.join(JATS, rel)).getroot()
        lang = root.get("{http://www.w3.org/XML/1998/namespace}lang", "en").lower()
        if lang != "en":
            continue
        ids = {a.get("pub-id-type"): (a.text or "").strip()
               for a in root.findall("front/article-meta/article-id")}
        m = re.search(r"(\d+)\.nxml$", rel)
        if ids.get("pmc"):
            aid = "PMC" + ids["pmc"].removeprefix("PMC")
        elif rel.startswith("craft/") and m:
            aid = "PMC" + m.group(1)
        elif ids.get("pmid"):
            aid = ids["pmid"]
        else:
            aid = "doi:" + ids["doi"]
        body = root.find("body")
        if body is None:
            continue
        # body paragraphs: <p> directly in <body> or in a <sec> (not in figures, tables, boxes)
        paras = []
        for p in body.iter("p"):
            paras.append(p)
        inside = set()
        for tag in ("fig", "table-wrap", "boxed-text", "disp-quote", "list", "def-list", "supplementary-material"):
            for blk in body.iter(tag):
                inside.update(id(x) for x in blk.iter("p"))
        texts = [itertext(p) for p in paras if id(p) not in inside]
        yield aid, "jats/" + rel.split("/")[0], texts


def read_sentences():
    """Return the sentence records in corpus order (dicts: sid, article, source, text)."""
    arts = collections.OrderedDict()
    for pmid, secs in pubmed_sections(SEPSIS):
        arts[pmid] = ("sepsis_coag_subset", secs)
    seen = set(arts)
    upd = collections.OrderedDict()
    for pmid, secs in pubmed_sections(PUBMED):
        if pmid not in seen:
            upd[pmid] = ("pubmed21n1298", secs)
    arts.update(upd)
    out = []
    for pmid, (source, secs) in arts.items():
        for si, sec in enumerate(secs):
            for ti, (a, b) in enumerate(split_sentences(sec)):
                out.append(dict(sid=f"{pmid}:{si}:{ti}", article=pmid, source=source, text=sec[a:b]))
    for aid, source, paras in jats_articles():
        for pi, para in enumerate(paras):
            for ti, (a, b) in enumerate(split_sentences(para)):
                out.append(dict(sid=f"{aid}:p{pi}:{ti}", article=aid, source=source, text=para[a:b]))
    return [s for s in out if MIN_CHARS <= len(s["text"]) <= MAX_CHARS]


def tag(sentences, binary):
    """Tag each sentence as its own document; return {sid: [mention dicts]}."""
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = os.path.join(tmp, "sentences.jsonl"), os.path.join(tmp, "mentions.jsonl")
        with open(inp, "w", encoding="utf-8") as f:
            for s in sentences:
                f.write(json.dumps({"id": s["sid"], "text": s["text"]}, ensure_ascii=False) + "\n")
        subprocess.run([binary, "tag", inp, "--jsonl", out, "-q", "--threads", "2"], check=True,
                       stdout=subprocess.DEVNULL)
        found = {}
        with open(out, encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                found[doc["id"]] = doc["mentions"]
    return found


def pick_mention(sent, mentions, cue, pick):
    pool = [m for m in mentions if m["concept"] != "sepsis"] or mentions
    if pick in ("cue", "up", "down") and cue is not None and int(sha("pick:" + sent["sid"])[:8], 16) % 3 != 2:
        a, b = cue.span()

        def dist(m):
            return max(0, a - m["end"], m["start"] - b)

        return min(pool, key=lambda m: (dist(m), m["start"], m["end"]))
    return min(pool, key=lambda m: sha(f"{sent['sid']}:{m['start']}"))


def adjacent_mention(mentions, cue_rx, text):
    """The mention nearest any cue match if at most ADJACENT characters away, else None."""
    pool = [m for m in mentions if m["concept"] != "sepsis"] or mentions
    best = None
    for c in cue_rx.finditer(text):
        a, b = c.span()
        for m in pool:
            d = max(0, a - m["end"], m["start"] - b)
            key = (d, m["start"], m["end"], a)
            if best is None or key < best[0]:
                best = (key, m)
    if best is None or best[0][0] > ADJACENT:
        return None
    return best[1]


def select(sentences, found):
    order = sorted(sentences, key=lambda s: sha("qualgold:" + s["sid"]))
    taken, per_article, items = set(), collections.Counter(), []
    for name, quota, pattern, pick in STRATA:
        rx = re.compile(pattern, I)
        cue_rx = {"up": re.compile(UP, I), "down": re.compile(DOWN, I), "adjacent_up": re.compile(UP, I),
                  "adjacent_down": re.compile(DOWN, I), "adjacent_neg": re.compile(NEG, I)}.get(pick, rx)
        want = [int(quota * share) for share in SOURCE_SHARE]
        want[0] += quota - sum(want)
        got = [0] * len(SOURCES)
        for s in order:
            k = SOURCES.index(s["source"].split("/")[0] if s["source"].startswith("jats") else s["source"])
            if got[k] >= want[k] or s["sid"] in taken or per_article[s["article"]] >= MAX_PER_ARTICLE:
                continue
            ms = found.get(s["sid"]) or []
            if not ms or not rx.search(s["text"]):
                continue
            if pick.startswith("adjacent"):
                m = adjacent_mention(ms, cue_rx, s["text"])
                if m is None:
                    continue
            else:
                cue = cue_rx.search(s["text"]) if pattern else None
                if cue is not None and cue.end() == cue.start():
                    cue = None
                m = pick_mention(s, ms, cue, pick)
            taken.add(s["sid"])
            per_article[s["article"]] += 1
            got[k] += 1
            items.append(item(s, m, name))
            if got == want:
                break
        if got != want:
            print(f"stratum {name}: only {got} of {want} sentences available", file=sys.stderr)
    return items


def split_of(iid):
    """The split of an item id: `heldout` for 6 ids out of 10 by hash, else `tune`."""
    return "heldout" if int(sha("qualgold-split:" + iid)[:8], 16) % 10 < 6 else "tune"


def item(s, m, stratum):
    """The unlabelled record of mention `m` of sentence `s`."""
    iid = f"{s['sid']}:{m['start']}"
    return dict(id=iid, source=s["source"], pmid=s["article"], stratum=stratum, split=split_of(iid),
                sentence=s["text"],
                mention=dict(start=m["start"], end=m["end"], text=m["text"], concept=m["concept"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "coagtag"))
    ap.add_argument("--check", metavar="QUALIFIERS_JSONL")
    args = ap.parse_args()
    sentences = read_sentences()
    found = tag(sentences, args.bin)
    bad = 0
    for s in sentences:
        for m in found.get(s["sid"], []):
            if s["text"][m["start"]:m["end"]] != m["text"]:
                bad += 1
    if bad:
        sys.exit(f"{bad} mentions whose offsets do not give their text in the sentence")
    items = select(sentences, found)
    print(f"{len(sentences)} sentences, {sum(1 for s in sentences if found.get(s['sid']))} with a mention, "
          f"{len(items)} selected", file=sys.stderr)
    keys = ("id", "source", "pmid", "stratum", "split", "sentence", "mention")
    if args.check:
        with open(args.check, encoding="utf-8") as f:
            gold = [json.loads(line) for line in f]
        got = [{k: g[k] for k in keys} for g in gold]
        diffs = 0
        for i in range(max(len(got), len(items))):
            a = got[i] if i < len(got) else None
            b = items[i] if i < len(items) else None
            if a != b:
                diffs += 1
                print(f"line {i + 1}: gold {json.dumps(a, ensure_ascii=False)}\n"
                      f"        selection {json.dumps(b, ensure_ascii=False)}")
        print(f"{diffs} differences", file=sys.stderr)
        sys.exit(1 if diffs else 0)
    for it in items:
        print(json.dumps(it, ensure_ascii=False))


if __name__ == "__main__":
    main()
