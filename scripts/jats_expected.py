#!/usr/bin/env python3
"""An independent reading of JATS articles with ElementTree, to check coagtag's JATS reader.

For each file given, prints one JSON object per article:
    {"file": ..., "id": ..., "pmid": ..., "doi": ..., "year": ..., "blocks": {kind: n},
     "chars": {kind: n}}
where a block is what coagtag makes one section (a paragraph, list item, heading, caption
paragraph), its kind follows docs/fulltext.md, and chars count Unicode characters of the text
after white space is collapsed and citation markers are removed. Nothing here is shared with
the Rust code: the rules are written again from the documentation, on ElementTree's tree.

Usage: scripts/jats_expected.py FILE...
"""

import json
import re
import sys
import xml.etree.ElementTree as ET

CITE = "\ue000"
MML = "{http://www.w3.org/1998/Math/MathML}"

# --- section kinds (docs/fulltext.md, "Section kinds") ---------------------------------------
KIND_NAMES = {
    "title": "title", "article title": "title", "abstract": "abstract", "synopsis": "abstract",
    "objective": "objective", "objectives": "objective", "study objective": "objective",
    "study objectives": "objective", "aim": "objective", "aims": "objective", "purpose": "objective",
    "goal": "objective", "goals": "objective", "hypothesis": "objective",
    "results": "results", "result": "results", "main results": "results", "key results": "results",
    "findings": "results", "case": "results", "cases": "results", "case report": "results",
    "case reports": "results", "case presentation": "results", "case description": "results",
    "discussion": "discussion", "comment": "discussion", "comments": "discussion",
    "limitations": "discussion", "strengths and limitations": "discussion",
    "conclusion": "conclusions", "conclusions": "conclusions", "concluding remarks": "conclusions",
    "final remarks": "conclusions", "final considerations": "conclusions",
    "implications": "conclusions", "clinical implications": "conclusions",
    "significance": "conclusions", "interpretation": "conclusions", "perspective": "conclusions",
    "perspectives": "conclusions", "outlook": "conclusions", "future directions": "conclusions",
    "caption": "caption", "other": "other",
}
for m in ("method", "methods", "methodology", "material", "materials", "patients", "subjects",
          "participants", "design", "study design", "experimental design", "setting", "settings",
          "experimental", "experimental procedures", "experimental section", "procedures",
          "statistical analysis", "statistical analyses", "statistics", "data analysis",
          "data collection", "data sources", "data extraction", "intervention", "interventions",
          "measurements", "main outcome measures", "outcome measures", "animals",
          "study population", "population", "search strategy", "study selection",
          "eligibility criteria", "selection criteria", "online methods", "star methods",
          "methods summary"):
    KIND_NAMES[m] = "methods"
for b in ("background", "backgrounds", "context", "rationale"):
    KIND_NAMES[b] = "BACKGROUND"
for i in ("introduction", "intro"):
    KIND_NAMES[i] = "INTRODUCTION"
KIND_NAMES["summary"] = "SUMMARY"


def place_kind(k, place):
    if k == "BACKGROUND":
        return "introduction" if place == "body" else "background"
    if k == "INTRODUCTION":
        return "background" if place == "abstract" else "introduction"
    if k == "SUMMARY":
        return "conclusions" if place == "body" else "abstract"
    return k


def normalize(h):
    s = h.strip().lower()
    parts = s.split(None, 1)
    if len(parts) == 2:
        first, rest = parts
        digits = first.rstrip(".)")
        if digits and (all(c.isdigit() or c == "." for c in digits) or (
                first.endswith((".", ")")) and (all(c in "ivx" for c in digits) or len(digits) == 1))):
            s = rest
    s = s.strip().rstrip(":.; ").strip()
    words = [w.strip("'\u2019\"") for w in re.split(r"[\s\-\u2010\u2013]+", s) if w]
    return " ".join(words)


def kind_of_heading(h, place):
    n = normalize(h)
    if not n:
        return None
    if n in KIND_NAMES:
        return place_kind(KIND_NAMES[n], place)
    names = []
    for p in re.split(r"[,/|&;]", n):
        for q in p.split(" and "):
            q = q.strip()
            if q.startswith("and "):
                q = q[4:]
            q = q.strip()
            if q:
                names.append(q)
    if not names or any(q not in KIND_NAMES for q in names):
        return None
    return place_kind(KIND_NAMES[names[0]], place)


# --- parts left out by default (docs/fulltext.md, "What is read") ---------------------------
def part_of_heading(h):
    t = "".join(c for c in h.lower() if c.isalnum() or c.isspace() or c in "-|")
    t = " ".join(t.replace("-", " ").replace("|", " ").split())

    def starts(ps):
        return any(t == p or t.startswith(p + " ") for p in ps)

    if t == "ack" or t.startswith("acknowledg"):
        return "ack"
    if starts(["funding", "financial support", "financial disclosure", "grant support",
               "sources of funding", "source of funding", "role of the funding source"]):
        return "funding"
    if t in ("conflict", "disclosure", "disclosures", "coi statement") or starts([
            "competing interest", "competing interests", "conflict of interest",
            "conflicts of interest", "conflict of interests", "declaration of interest",
            "declaration of interests", "declaration of competing interest",
            "declaration of competing interests", "duality of interest"]):
        return "coi"
    if t in ("contributors", "contributions", "con") or starts([
            "author contributions", "authors contributions", "author contribution",
            "authors contribution"]):
        return "contrib"
    if starts(["supporting information", "supplementary material", "supplementary materials",
               "supplementary information", "supplementary data", "supplemental material",
               "supplemental data", "additional file", "additional files",
               "electronic supplementary material", "supplementary files"]):
        return "suppl"
    if t in ("glossary", "datasets", "ethics", "footnotes", "notes", "author information",
             "authors information", "additional information", "declarations",
             "consent for publication", "publisher s note", "publishers note") or starts([
            "abbreviations", "list of abbreviations", "data availability", "availability of data",
            "data access", "ethics statement", "ethical approval", "ethics approval",
            "pre publication history"]):
        return "notes"
    return None


# --- text ------------------------------------------------------------------------------------
SKIP = {"ref-list", "tex-math", "graphic", "inline-graphic", "media", "object-id", "alt-text",
        "long-desc", "label", "index-term", "code", "permissions", "private-char", "kwd-group",
        "supplementary-material", "sig-block", "contrib-group", "aff", "counts", "ack",
        "funding-group", "fn-group", "glossary", "notes", "bio", "author-notes", "fn", "table",
        "table-wrap-foot", "sub-article", "response"}
BLOCKS = {"p", "title", "list-item", "td", "th", "tr", "term", "def", "verse-line",
          "disp-formula", "disp-quote", "statement", "preformat", "speech", "def-item", "list",
          "attrib", "caption", "question", "answer", "address", "array", "subtitle"}
FLOATS = {"fig", "fig-group", "table-wrap", "table-wrap-group", "chem-struct-wrap"}


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def ws_collapse(s):
    out = re.sub(r"[ \t\n\r]+", " ", s)
    return out.strip(" ")


def only_citations(inner):
    if CITE not in inner:
        return False
    words = re.split(r"[\s,;\-\u2010\u2011\u2013\u2014&]+", inner.replace(CITE, " ").lower())
    ok = {"and", "e.g", "eg", "see", "also", "ref", "refs", "reference", "references", "reviewed",
          "review", "reviews", "recent", "in", "for", "a", "cf", "i.e", "ie", "but", "or"}
    return all(w.rstrip(".:") in ok for w in words if w)


def clean(text):
    if CITE not in text:
        return text
    chars = list(text)
    v = []
    i = 0
    while i < len(chars):
        c = chars[i]
        if c in "([":
            close = ")" if c == "(" else "]"
            depth = 0
            end = None
            for k in range(i, min(len(chars), i + 600)):
                if chars[k] == c:
                    depth += 1
                elif chars[k] == close:
                    depth -= 1
                    if depth == 0:
                        end = k
                        break
            if end is not None and only_citations("".join(chars[i + 1:end])):
                v.append(CITE)
                i = end + 1
                continue
        v.append(c)
        i += 1
    sep = lambda ch: ch in ",;-\u2010\u2011\u2013\u2014" or ch.isspace()
    out = []
    i = 0
    while i < len(v):
        if v[i] != CITE:
            out.append(v[i])
            i += 1
            continue
        end = i + 1
        while True:
            j = end
            while j < len(v) and sep(v[j]) and v[j] != CITE:
                j += 1
            if j < len(v) and v[j] == CITE:
                end = j + 1
            else:
                break
        nxt = v[end] if end < len(v) else None
        prev = next((c for c in reversed(out) if not c.isspace()), None)
        after = end
        if prev in ("(", "["):
            while after < len(v) and sep(v[after]):
                after += 1
            while out and out[-1].isspace():
                out.pop()
        elif nxt in (")", "]"):
            while out and sep(out[-1]):
                out.pop()
        elif nxt is None or nxt.isspace() or nxt in ".,;:!?":
            while out and out[-1].isspace():
                out.pop()
        i = after
    return "".join(out).strip()


class Reader:
    def __init__(self):
        self.blocks = []  # (kind, text)
        self.buf = []

    def text(self, s):
        self.buf.append(s)

    def flush(self, kind, capture=False):
        if capture:
            self.buf.append(" ")
            return
        raw = ws_collapse("".join(self.buf))
        self.buf = []
        t = clean(raw)
        if t:
            self.blocks.append([kind, t])

    def inline(self, el, kind, capture):
        """Text of an element inside a block, children walked."""
        name = local(el.tag)
        if name == "math":
            self.buf.append(math_text(el))
            self.text(el.tail or "")
            return
        self.walk(el, kind, capture)

    def walk(self, el, kind, capture=False, place="body"):
        """The content of el (its text, children, and children's tails)."""
        self.text(el.text or "")
        for c in el:
            self.child(c, kind, capture, place)
            self.text(c.tail or "")

    def child(self, c, kind, capture, place):
        name = local(c.tag)
        if name == "xref" and c.get("ref-type") in ("bibr", "fn", "table-fn"):
            self.buf.append(CITE)
            return
        if name in SKIP:
            return
        if name == "break":
            self.buf.append(" ")
            return
        if name in ("sec", "app"):
            self.sec(c, kind, place, "other", capture)
        elif name == "boxed-text":
            self.sec(c, kind, place, kind, capture)
        elif name in FLOATS:
            self.flush(kind, capture)
            self.float(c, capture)
        elif name in BLOCKS:
            self.flush(kind, capture)
            self.walk(c, kind, capture, place)
            self.flush(kind, capture)
        elif name == "math":
            self.buf.append(math_text(c))
        else:
            self.walk(c, kind, capture, place)

    def capture(self, el):
        saved = self.buf
        self.buf = []
        self.walk(el, "other", True)
        t = clean(ws_collapse("".join(self.buf)))
        self.buf = saved
        return t

    def float(self, el, capture):
        kind = "caption"
        self.text(el.text or "")
        for c in el:
            n = local(c.tag)
            if n == "label":
                pass
            elif n == "caption":
                self.flush(kind, capture)
                self.walk(c, kind, capture)
                self.flush(kind, capture)
            else:
                self.child(c, kind, capture, "body")
            self.text(c.tail or "")
        self.flush(kind, capture)

    def sec(self, el, kind, place, default, capture=False, top=False):
        st = el.get("sec-type") or ""
        if part_of_heading(st):
            return
        self.flush(kind, capture)
        type_kind = kind_of_heading(st, place)
        inner = None
        for c in el:
            n = local(c.tag)
            if inner is None:
                if n in ("label", "sec-meta", "object-id"):
                    continue
                if n in ("title", "caption"):
                    h = self.capture(c)
                    if part_of_heading(h):
                        return
                    inner = self.inner(kind, type_kind, default, h, place)
                    if h:
                        self.blocks.append([inner, h])
                    continue
                inner = self.inner(kind, type_kind, default, None, place)
            self.child(c, inner, capture, place)
            self.text(c.tail or "")
        if inner is not None:
            self.flush(inner, capture)

    @staticmethod
    def inner(kind, type_kind, default, heading, place):
        return type_kind or (kind_of_heading(heading, place) if heading else None) or (
            default if kind == "other" else kind)


def math_text(el):
    """MathML: each text node trimmed, nothing added between them."""
    out = []

    def rec(e):
        if e.text:
            out.append(e.text.strip(" \t\n\r"))
        for c in e:
            rec(c)
            if c.tail:
                out.append(c.tail.strip(" \t\n\r"))
    rec(el)
    return "".join(out)


def article(root, fname):
    r = Reader()
    meta = {"pmc": None, "pmid": None, "doi": None, "years": []}
    front = root.find("front")
    am = front.find("article-meta") if front is not None else None
    if am is not None:
        for aid in am.findall("article-id"):
            t = (aid.text or "").strip()
            typ = (aid.get("pub-id-type") or "").lower()
            if typ in ("pmc", "pmcid", "pmcaid") and meta["pmc"] is None and re.fullmatch(r"(PMC)?\d+", t):
                meta["pmc"] = "PMC" + t.replace("PMC", "")
            elif typ == "pmid" and meta["pmid"] is None and t:
                meta["pmid"] = t
            elif typ == "doi" and meta["doi"] is None and t:
                meta["doi"] = t
        for c in am:
            n = local(c.tag)
            if n == "title-group":
                for t in c:
                    if local(t.tag) in ("article-title", "subtitle"):
                        txt = r.capture(t)
                        if txt:
                            r.blocks.append(["title", txt])
            elif n == "pub-date":
                typ = (c.get("pub-type") or c.get("date-type") or "").lower()
                y = None
                for e in c:
                    if local(e.tag) in ("year", "string-date") and y is None:
                        m = re.search(r"\d{4}", "".join(e.itertext()))
                        y = m.group(0) if m else None
                if y and typ not in ("pmc-release", "nihms-submitted", "accepted", "received"):
                    meta["years"].append(y)
            elif n == "abstract":
                r.sec(c, "abstract", "abstract", "abstract")
    body = root.find("body")
    if body is not None:
        # the body's own blocks before its first section: the introduction, if sections follow
        own = []
        has_sec = False
        r.text(body.text or "")
        for c in body:
            n = local(c.tag)
            if n == "sec" and not has_sec:
                before = len(r.blocks)
                r.flush("other")
                own.extend(range(before, len(r.blocks)))
                has_sec = True
            before = len(r.blocks)
            if n in BLOCKS and not has_sec:
                r.flush("other")
                r.walk(c, "other")
                r.flush("other")
                own.extend(range(before, len(r.blocks)))
            else:
                r.child(c, "other", False, "body")
            r.text(c.tail or "")
        r.flush("other")
        if has_sec:
            for i in own:
                r.blocks[i][0] = "introduction"
    back = root.find("back")
    if back is not None:
        for c in back:
            n = local(c.tag)
            if n in ("sec", "app", "app-group", "boxed-text", "fig", "fig-group", "table-wrap",
                     "table-wrap-group"):
                r.child(c, "other", False, "body")
        r.flush("other")
    for fg in root.findall("floats-group"):
        r.walk(fg, "other")
        r.flush("other")
    if meta["pmc"]:
        ident = meta["pmc"]
    else:
        m = re.search(r"PMC(\d+)", fname.rsplit("/", 1)[-1].upper())
        ident = "PMC" + m.group(1) if m else (meta["doi"] or re.sub(r"\.[^.]*$", "", fname.rsplit("/", 1)[-1]))
    blocks, chars = {}, {}
    for k, t in r.blocks:
        blocks[k] = blocks.get(k, 0) + 1
        chars[k] = chars.get(k, 0) + len(t)
    return {"file": fname, "id": ident, "pmid": meta["pmid"], "doi": meta["doi"],
            "year": min(meta["years"]) if meta["years"] else None, "blocks": blocks, "chars": chars}


def main():
    for f in sys.argv[1:]:
        root = ET.parse(f).getroot()
        arts = [root] if local(root.tag) == "article" else root.findall("article")
        for a in arts:
            print(json.dumps(article(a, f), sort_keys=True, ensure_ascii=False))


if __name__ == "__main__":
    main()
