#!/usr/bin/env python3
"""Experiment (issue 15): negation and hedge scope from a syntactic parse (Link Grammar), offline.

For every item of the qualifier gold set (`qualifiers.jsonl`, rules in QUALIFIERS.md) of one
split, it takes

- the system's decision: the coagtag binary (`--bin`) tags each item's sentence as a standalone
  one-section document (a JSONL record with one text field, as `tests/qualifier_set.rs` builds a
  `Document` with one `Section`), and the gold mention is the evidence row with the record's
  character offsets and concept (`polarity`, `certainty`, `polarity_cue`, `certainty_cue`,
  `direction`); a span the tagger does not find is scored affirmed, stated, none, as the test does;
- the sentence's parse: Link Grammar 5.12 (Debian `link-grammar`, `python3-link-grammar`, the
  English dictionary; no trained model), its first linkages (Link Grammar's cost order) and
  the constituent tree of each;

and decides scope from the parse, in the NegEx/ConText tradition but with constituents instead of
word windows. The cue words are the ontology's (`qualifiers:` of the ontology file: negation and
hedge cues of every side, and the pseudo-triggers, which win overlaps as in the stage). A cue's
constituent is taken from the tree, by the place of the cue's first word in it:

1. complement: the cue word is followed, inside its parent constituent, by a clause (SBAR or S)
   with its own subject ("suggest that <S>", "determine whether <S>", "indicating <S>"), or it
   opens an SBAR ("whether"): the scope is that clause;
2. phrase: the cue is one of the ontology's `phrase:` cues and stands in a noun phrase or a
   prepositional phrase ("no", "without", "absence of", "lack of", "potential", "putative"): the
   scope is the largest chain of NP/PP constituents above it, from the cue on (a cue governs what
   follows it in its phrase), clauses inside it left out;
3. clause: anything else ("not", "never", "failed to", "may", "could", "was absent", "remains
   unclear"): the smallest clause (S) that holds the cue, subject included, with the other
   clauses in it left out (a clause with its own subject coordinated or adjoined at clause
   level, a relative clause); subject clauses, complement clauses of its verb phrase and clauses
   without a subject (infinitives, participles) stay in. `--adjuncts` also leaves out the
   prepositional phrases adjoined to the clause or its verb phrase (settings).

A mention is in a cue's scope when its last word (the head of an English noun phrase) is. Two
uses, alone and together (`--variant`):

- `remove`: a negated or hedged decision becomes affirmed / stated when no cue of its kind in the
  sentence has the mention in its constituent (the decision's own cue, the evidence's cue text,
  must be found among them; if it is not, the decision is kept);
- `add`: an affirmed or stated decision becomes negated / hedged when a cue of that kind in the
  sentence has the mention inside its constituent (a negated mention then has direction none);
- `both`: both.

With `--linkages K` (default 10) the first K linkages are used as a measure of confidence: a
decision is removed only when no linkage puts the mention in a cue's constituent, and added only
when every one does.
When the parser finds no complete linkage (null links are not allowed: Link Grammar would link
the sentence with words left out) or runs out of its time limit (`--max-parse-time`), or the tree's leaves do not line up with the words, or a cue or the
mention does not fall on the parse's words, the system's decision is kept (`fallback`).

Tune only while developing: `--split tune --errors` prints the tune part's errors. The held-out
part prints its aggregate lines only: `--errors` is refused for it.

    /usr/bin/python3 tests/gold/parse_scope.py --split tune [--errors] [--variant both]
    /usr/bin/python3 tests/gold/parse_scope.py --split heldout
    /usr/bin/python3 tests/gold/parse_scope.py --cost EVIDENCE.csv [--sample 300]

`--cost` counts, in an evidence file of `coagtag tag --evidence`, the distinct sentences that hold
a mention and a negation or hedge cue (the ones a parse-based scope would have to parse) and
parses a sample of them (`--sample`, every n-th) on one core, printing the parse time (process
CPU time) per sentence.

Needs `/usr/bin/python3` (Debian's, where `python3-link-grammar` installs) and PyYAML. Parses are
cached by sentence in `--cache` (default: `target/parse_scope_cache.jsonl`), so runs after the
first are quick; delete it to parse again.
"""

import argparse
import csv
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

NEG, HEDGE, PSEUDO = "negation", "hedge", "pseudo"
DEFAULT_CACHE = str(ROOT / "target/parse_scope_cache.jsonl")
CLAUSES = {"S", "SBAR"}
# the linkages kept per sentence, best first (Link Grammar sorts them by cost)
LINKAGES = 10
# --adjuncts: leave prepositional phrases adjoined to a clause out of its scope
ADJUNCTS = False
# --null-links: the most words Link Grammar may leave unlinked (0: complete linkages only)
NULL_LINKS = 0
PHRASES = {"NP", "PP"}


def split_of(item_id):
    h = int(hashlib.sha256(("qualgold-split:" + item_id).encode()).hexdigest()[:8], 16)
    return "heldout" if h % 10 < 6 else "tune"


# ---------------------------------------------------------------------------------------------
# cues


def load_cues(ontology):
    """(kind, side, text) of the ontology's negation, hedge and pseudo cues."""
    with open(ontology, encoding="utf-8") as f:
        q = yaml.safe_load(f)["qualifiers"]
    cues = []
    for kind in (NEG, HEDGE):
        for side in ("before", "after", "phrase"):
            for text in q[kind].get(side, []) or []:
                cues.append((kind, side, str(text)))
    for text in q.get("pseudo", []) or []:
        cues.append((PSEUDO, "", str(text)))
    return cues


def cue_regex(text):
    star = text.endswith("*")
    body = text[:-1] if star else text
    pat = re.escape(body)
    if body[:1].isalnum():
        pat = r"(?<!\w)" + pat
    if star:
        pat += r"\w*"
    elif body[-1:].isalnum():
        pat += r"(?!\w)"
    return re.compile(pat, re.IGNORECASE)


class Cues:
    def __init__(self, ontology):
        by_text = {}
        for kind, side, text in load_cues(ontology):
            by_text.setdefault(text, set()).add((kind, side))
        self.patterns = [(text, cue_regex(text), sides) for text, sides in by_text.items()]
        self.phrase_texts = {t.lower() for t, _, s in self.patterns if any(side == "phrase" for _, side in s)}

    def find(self, sentence):
        """The cues of a sentence after overlaps: longest first, then leftmost; a pseudo-trigger
        wins an overlap it is part of. Each: (start, end, text, kinds)."""
        found = []
        for text, rx, sides in self.patterns:
            for m in rx.finditer(sentence):
                kinds = {k for k, _ in sides}
                found.append((m.start(), m.end(), text, kinds))
        found.sort(key=lambda f: (PSEUDO not in f[3], -(f[1] - f[0]), f[0]))
        kept = []
        for f in found:
            if all(f[1] <= k[0] or f[0] >= k[1] for k in kept):
                kept.append(f)
        return sorted(kept)


# ---------------------------------------------------------------------------------------------
# parses


class Node:
    __slots__ = ("label", "children", "parent", "first", "last")

    def __init__(self, label, parent):
        self.label, self.children, self.parent = label, [], parent


def parse_tree(tree):
    """Link Grammar's constituent tree (mode 1) as nodes; leaves are word numbers 1.. (the left
    wall is 0), in order. None if it does not parse."""
    root = Node("ROOT", None)
    node, leaf = root, 0
    for tok in tree.split():
        if tok.startswith("(") and len(tok) > 1 and tok[1:].isalpha():
            child = Node(tok[1:], node)
            node.children.append(child)
            node = child
            continue
        closes = len(tok) - len(tok.rstrip(")"))
        word = tok.rstrip(")")
        if word:
            leaf += 1
            node.children.append(leaf)
        for _ in range(closes):
            if node.parent is None:
                return None, 0
            node = node.parent
    if node is not root:
        return None, 0

    def span(n):
        leaves = []
        for c in n.children:
            if isinstance(c, int):
                leaves.append(c)
            else:
                span(c)
                leaves.extend(range(c.first, c.last + 1))
        n.first, n.last = (min(leaves), max(leaves)) if leaves else (0, -1)

    span(root)
    return root, leaf


class Parse:
    """A sentence's best linkage: its words' character spans and the constituent tree."""

    def __init__(self, rec):
        self.ok = False
        self.why = ""
        if rec.get("timeout"):
            self.why = "time limit"
            return
        if rec.get("words") is None:
            self.why = "no linkage"
            return
        if rec["null_count"] > NULL_LINKS:
            self.why = "null links"
            return
        self.spans = rec["spans"]
        # words the linkage leaves unlinked ("[word]"): no cue or mention is read on them
        self.unlinked = {i for i, w in enumerate(rec["words"]) if len(w) > 2 and w[0] == "[" and w[-1] == "]"}
        self.root, leaves = parse_tree(rec["tree"])
        if self.root is None or leaves != len(rec["words"]) - 2:
            self.why = "tree"
            return
        self.parent_of = {}

        def walk(n):
            for c in n.children:
                if isinstance(c, int):
                    self.parent_of[c] = n
                else:
                    walk(c)

        walk(self.root)
        self.ok = True

    def words_in(self, start, end):
        words = [i for i in range(1, len(self.spans) - 1) if self.spans[i][0] < end and self.spans[i][1] > start]
        return [] if any(i in self.unlinked for i in words) else words

    @staticmethod
    def leaves(n, minus=None):
        """Word numbers under n; with `minus` (the cue's word), the clauses nested in n that do not
        hold it are left out where they are another clause: a clause or subordinate clause
        coordinated or adjoined at clause level (a child of S), a relative clause (a child of NP).
        Complement clauses inside a verb phrase, subject clauses and clauses without a subject of
        their own (infinitives, participles) stay in."""
        out = set()
        kids = n.children
        for i, c in enumerate(kids):
            if isinstance(c, int):
                out.add(c)
            elif (
                minus is not None
                and c.label in CLAUSES
                and n.label in ("S", "NP", "ROOT")
                and not (c.first <= minus <= c.last)
                and Parse.has_subject(c)
                and not (n.label == "S" and i + 1 < len(kids) and getattr(kids[i + 1], "label", "") == "VP")
            ):
                # another clause with its own subject; a subject clause (right before the verb
                # phrase) and a subjectless (infinitive or participle) clause stay in
                continue
            else:
                out |= Parse.leaves(c, minus)
        return out

    @staticmethod
    def has_subject(c):
        """A clause with its own subject: an S with a noun phrase before its verb phrase, or an
        SBAR over one."""
        if c.label == "SBAR":
            return any(not isinstance(k, int) and k.label == "S" and Parse.has_subject(k) for k in c.children)
        labels = [k.label for k in c.children if not isinstance(k, int)]
        return "NP" in labels and "VP" in labels and labels.index("NP") < labels.index("VP")

    def scope(self, first, last, phrase_cue):
        """The words of the constituent a cue (words first..last) governs, and its rule."""
        parent = self.parent_of[first]
        # 1. complement: a clause with its own subject after the cue's first word inside its
        # parent ("suggest that <S>", "determine whether <S>", "indicating <S>")
        for c in parent.children:
            if not isinstance(c, int) and c.first > first and c.label in CLAUSES and self.has_subject(c):
                return self.leaves(c), "complement"
        if parent.label == "SBAR" and parent.first == first:
            return {w for w in self.leaves(parent) if w > last}, "complement"
        # 2. phrase: a phrase cue in a noun or prepositional phrase governs the NP/PP chain above it
        if phrase_cue and parent.label in PHRASES:
            top = parent
            while top.parent is not None and top.parent.label in PHRASES:
                top = top.parent
            return {w for w in self.leaves(top, minus=first) if w >= first}, "phrase"
        # 3. clause: the smallest clause holding the cue, other clauses in it left out
        n = parent
        while n.parent is not None and n.label != "S":
            n = n.parent
        inside = self.leaves(n, minus=first)
        if ADJUNCTS:
            # prepositional phrases adjoined to the clause or its verb phrase (a setting: "in
            # patients with X", "during anticoagulation") are left out
            def drop(c):
                for k in c.children:
                    if isinstance(k, int):
                        continue
                    if k.label == "PP" and c.label in ("S", "VP") and not (k.first <= first <= k.last):
                        inside.difference_update(range(k.first, k.last + 1))
                    elif k.label in ("S", "VP"):
                        drop(k)

            drop(n)
        return inside, "clause"


def parser(max_parse_time):
    os.environ.setdefault("LC_ALL", "C.UTF-8")
    import linkgrammar as lg

    d = lg.Dictionary("en")
    po = lg.ParseOptions(
        min_null_count=0, max_null_count=NULL_LINKS, linkage_limit=100, repeatable_rand=True, spell_guess=0, verbosity=0
    )
    po.max_parse_time = max_parse_time

    def parse(sentence):
        t = time.process_time()
        sent = lg.Sentence(sentence, d, po)
        try:
            linkages = sent.parse()
        except lg.LG_TimerExhausted:
            return {"sentence": sentence, "seconds": time.process_time() - t, "timeout": True, "null_count": -1}
        rec = {"sentence": sentence, "seconds": 0.0, "null_count": sent.null_count(), "linkages": len(linkages)}
        alternatives = []
        for n, linkage in enumerate(linkages):
            if n == LINKAGES:
                break
            alternatives.append(
                {
                    "words": list(linkage.words()),
                    "spans": [(linkage.word_char_start(i), linkage.word_char_end(i)) for i in range(linkage.num_of_words())],
                    "tree": linkage.constituent_tree(1),
                }
            )
        if alternatives:
            rec.update(alternatives[0])
            rec["others"] = alternatives[1:]
        rec["seconds"] = time.process_time() - t
        return rec

    return parse


def parses(sentences, cache_path, max_parse_time):
    cache = {}
    if cache_path.exists():
        for line in cache_path.open(encoding="utf-8"):
            r = json.loads(line)
            cache[r["sentence"]] = r
    todo = [s for s in dict.fromkeys(sentences) if s not in cache]
    if todo:
        parse = parser(max_parse_time)
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        with cache_path.open("a", encoding="utf-8") as out:
            for n, s in enumerate(todo, 1):
                r = parse(s)
                cache[s] = r
                out.write(json.dumps(r) + "\n")
                out.flush()
                if n % 50 == 0:
                    print(f"  parsed {n}/{len(todo)}", file=sys.stderr)
    return cache


# ---------------------------------------------------------------------------------------------
# the system's decisions


def system(records, binary):
    """What coagtag says of each record's mention: {id: row of the evidence} (None: not found)."""
    with tempfile.TemporaryDirectory() as tmp:
        items = Path(tmp) / "items.jsonl"
        with items.open("w", encoding="utf-8") as f:
            for n, r in enumerate(records):
                f.write(json.dumps({"id": f"q{n}", "text": r["sentence"]}) + "\n")
        ev = Path(tmp) / "evidence.csv"
        subprocess.run(
            [binary, "tag", str(items), "--text-fields", "text", "--evidence", str(ev), "-q", "--threads", "1"]
            + ["-o", os.devnull],
            check=True,
        )
        rows = {}
        with ev.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                rows.setdefault(row["article_id"], []).append(row)
    out = {}
    for n, r in enumerate(records):
        m = r["mention"]
        hit = [
            x
            for x in rows.get(f"q{n}", [])
            if int(x["start"]) == m["start"] and int(x["end"]) == m["end"] and x["concept_id"] == m["concept"]
        ]
        out[r["id"]] = hit[0] if hit else None
    return out


# ---------------------------------------------------------------------------------------------
# scope decisions


def decide(rec, got, parses_, cues, variant, stats):
    """(polarity, certainty, direction, note) after the parse's scope. `parses_` are the
    sentence's linkages used (the best one, or the first k: then a decision is removed only when
    no linkage puts the mention in a cue's constituent, and added only when every one does)."""
    if got is None:
        return "affirmed", "stated", "none", "not found"
    pol, cert, direction = got["polarity"], got["certainty"], got["direction"]
    parse = parses_[0]
    if not parse.ok:
        stats["fallback: " + parse.why] += 1
        return pol, cert, direction, "fallback: " + parse.why
    parses_ = [p for p in parses_ if p.ok and p.spans == parse.spans]
    m = rec["mention"]
    if not parse.words_in(m["start"], m["end"]):
        stats["fallback: mention off the words"] += 1
        return pol, cert, direction, "fallback: mention"
    sentence = rec["sentence"]
    found = cues.find(sentence)
    notes = []

    def scopes(p, kind):
        """(in scope?, rule, cue text) for each cue of `kind` outside the mention that falls on
        the parse's words, in linkage `p`."""
        head = p.words_in(m["start"], m["end"])[-1]
        out = []
        for s, e, t, kinds in found:
            if kind not in kinds or (s < m["end"] and e > m["start"]):
                continue  # words inside the mention are never its cues
            words = p.words_in(s, e)
            if words:
                inside, rule = p.scope(words[0], words[-1], t.lower() in cues.phrase_texts)
                out.append((head in inside, rule, sentence[s:e]))
        return out

    for kind, field, yes, no, cue_field in (
        (NEG, "polarity", "negated", "affirmed", "polarity_cue"),
        (HEDGE, "certainty", "hedged", "stated", "certainty_cue"),
    ):
        value = pol if field == "polarity" else cert
        per = [scopes(p, kind) for p in parses_]
        if value == yes and variant in ("remove", "both"):
            text = got[cue_field].lower()
            if not any(x[2].lower() == text for x in per[0]):
                # the stage's cue is not one the search finds as a whole (a word of a longer cue,
                # a cue inside a bracket): keep the decision
                stats[f"{kind} remove: cue not located"] += 1
            elif not any(x[0] for xs in per for x in xs):
                # no cue of the kind has the mention in its constituent, in any linkage used
                value = no
                rule = next(x[1] for x in per[0] if x[2].lower() == text)
                notes.append(f"removed {kind} ({rule} of {text!r})")
                stats[f"{kind} removed"] += 1
        elif value == no and variant in ("add", "both"):
            if all(any(x[0] for x in xs) for xs in per):
                x = next(x for x in per[0] if x[0])
                value = yes
                notes.append(f"added {kind} ({x[1]} of {x[2]!r})")
                stats[f"{kind} added"] += 1
        if field == "polarity":
            pol = value
        else:
            cert = value
    if pol == "negated":
        direction = "none"
    return pol, cert, direction, "; ".join(notes)


def f1(t):
    tp, fp, fn = t
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def score(records, decisions):
    neg, hedge, right = [0, 0, 0], [0, 0, 0], 0

    def count(t, gold, got):
        if gold and got:
            t[0] += 1
        elif got:
            t[1] += 1
        elif gold:
            t[2] += 1

    for r in records:
        pol, cert, direction, _ = decisions[r["id"]]
        count(neg, r["polarity"] == "negated", pol == "negated")
        count(hedge, r["certainty"] == "hedged", cert == "hedged")
        right += r["direction"] == direction
    return tuple(neg), tuple(hedge), right


def line(name, records, decisions):
    neg, hedge, right = score(records, decisions)
    n = len(records)
    return (
        f"{name:<12} items {n}; negation tp/fp/fn {neg[0]}/{neg[1]}/{neg[2]} F1 {f1(neg):.3f}; "
        f"hedging tp/fp/fn {hedge[0]}/{hedge[1]}/{hedge[2]} F1 {f1(hedge):.3f}; direction {right}/{n} = {right / n:.3f}"
    )


# ---------------------------------------------------------------------------------------------
# cost


def cost(args, cues):
    """Sentences of an evidence file that hold a mention and a negation or hedge cue, and the
    parse time per sentence on a sample of them."""
    sentences = {}
    with open(args.cost, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            sentences.setdefault((row["article_id"], row["sentence"]), None)
    with_cue = []
    for _, s in sentences:
        if any(k & {NEG, HEDGE} for _, _, _, k in cues.find(s)):
            with_cue.append(s)
    print(f"{args.cost}: sentences with a mention {len(sentences)}, with a mention and a cue {len(with_cue)}")
    step = max(1, len(with_cue) // args.sample)
    sample = with_cue[::step][: args.sample]
    parse = parser(args.max_parse_time)
    total, nulls, none, slow = 0.0, 0, 0, 0
    for s in sample:
        r = parse(s)
        total += r["seconds"]
        nulls += r["null_count"] > 0
        none += r.get("words") is None and not r.get("timeout")
        slow += bool(r.get("timeout"))
    n = len(sample)
    print(
        f"sample {n}: parse CPU {total:.1f} s, {n / total:.2f} sentences/s on one core "
        f"({total / n * 1000:.0f} ms each); complete linkage {n - nulls - none}, null links {nulls}, "
        f"no linkage {none}, at the time limit {slow}"
    )


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["tune", "heldout"], default="tune")
    ap.add_argument("--variant", choices=["remove", "add", "both"], action="append")
    ap.add_argument("--errors", action="store_true", help="print the tune part's errors")
    ap.add_argument("--bin", default=str(ROOT / "target/release/coagtag"), help="a release build of the tool (cargo build --release)")
    ap.add_argument("--gold", default=str(HERE / "qualifiers.jsonl"))
    ap.add_argument("--ontology", default=str(ROOT / "ontology/sepsis_coagulopathy.yaml"))
    ap.add_argument("--cache", default=DEFAULT_CACHE)
    ap.add_argument("--max-parse-time", type=int, default=10, help="Link Grammar's time limit, seconds")
    ap.add_argument("--cost", metavar="EVIDENCE", help="measure the cost on an evidence file instead")
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument(
        "--adjuncts",
        action="store_true",
        help="leave prepositional phrases adjoined to the clause or its verb phrase out of a clause's scope",
    )
    ap.add_argument(
        "--linkages",
        type=int,
        default=LINKAGES,
        help=f"use the first k linkages (at most {LINKAGES}): remove only where none, add only where all put the mention in scope",
    )
    ap.add_argument(
        "--null-links",
        type=int,
        default=0,
        help="also use linkages that leave up to N words unlinked (tune only: tried after the held-out look)",
    )
    args = ap.parse_args()
    global ADJUNCTS, NULL_LINKS
    ADJUNCTS, NULL_LINKS = args.adjuncts, args.null_links
    if NULL_LINKS and args.split != "tune" and not args.cost:
        sys.exit("--null-links was tried after the held-out part was scored once: tune only")
    if NULL_LINKS and args.cache == DEFAULT_CACHE:
        args.cache = DEFAULT_CACHE.replace(".jsonl", f"_nulls{NULL_LINKS}.jsonl")
    cues = Cues(args.ontology)
    if args.cost:
        return cost(args, cues)
    if args.errors and args.split != "tune":
        sys.exit("--errors prints the tune part's errors only: the held-out part is not read")
    records = []
    for line_ in open(args.gold, encoding="utf-8"):
        r = json.loads(line_)
        assert r["split"] == split_of(r["id"])
        if r["split"] == args.split:
            records.append(r)
    got = system(records, args.bin)
    base = {
        r["id"]: (
            (g["polarity"], g["certainty"], g["direction"], "") if g else ("affirmed", "stated", "none", "not found")
        )
        for r, g in ((r, got[r["id"]]) for r in records)
    }
    print(line("system", records, base))
    if args.split == "tune":
        # the numbers tests/qualifier_set.rs asserts: the system is run as the test runs it
        neg, hedge, right = score(records, base)
        if (neg, hedge, right) != ((66, 4, 6), (118, 19, 4), 505):
            sys.exit(f"the system's tune scores {neg} {hedge} {right} are not those tests/qualifier_set.rs asserts")
    cache = parses([r["sentence"] for r in records], Path(args.cache), args.max_parse_time)
    plist = {}
    for s in {r["sentence"] for r in records}:
        c = cache[s]
        alternatives = [dict(c, **o) for o in c.get("others", [])][: args.linkages - 1]
        plist[s] = [Parse(c)] + [Parse(o) for o in alternatives]
    why = {}
    for p in (ps[0] for ps in plist.values()):
        key = ("linkage used" if NULL_LINKS else "complete linkage") if p.ok else p.why
        why[key] = why.get(key, 0) + 1
    secs = sum(cache[s]["seconds"] for s in plist)
    print(
        f"parses: {len(plist)} sentences, "
        + ", ".join(f"{k} {v}" for k, v in sorted(why.items()))
        + f"; parse CPU {secs:.1f} s ({len(plist) / secs:.2f} sentences/s)"
    )
    for variant in args.variant or ["remove", "add", "both"]:
        from collections import Counter

        stats = Counter()
        decisions = {r["id"]: decide(r, got[r["id"]], plist[r["sentence"]], cues, variant, stats) for r in records}
        print(line(variant, records, decisions))
        print("             " + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())))
        if args.errors:
            for r in records:
                d = decisions[r["id"]]
                g = got[r["id"]]
                gold = (r["polarity"], r["certainty"])
                if gold != d[:2] or (g and (g["polarity"], g["certainty"]) != d[:2]):
                    old = (g["polarity"], g["certainty"]) if g else ("-", "-")
                    mark = "FIXED" if gold == d[:2] else ("BROKE" if gold == old else "WRONG")
                    print(f"\n[{variant}] {mark} {r['id']} [{r['mention']['text']}] {r['sentence']}")
                    print(f"  gold {gold} cues ({r['polarity_cue']!r} {r['certainty_cue']!r})")
                    print(f"  system {old} cues ({g and g['polarity_cue']!r} {g and g['certainty_cue']!r}); parse {d[:2]} {d[3]}")


if __name__ == "__main__":
    main()
