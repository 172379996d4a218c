#!/usr/bin/env python3
"""Write N copies (copy numbers FIRST.. FIRST+N-1, FIRST 0 by default) of a PubMed XML file as one PubMed XML stream on standard output, each copy's
PMIDs renumbered so that every article id is distinct (copy k adds k * 40,000,000 to every
PMID, its DeleteCitation's included): N * 20,788 distinct articles from pubmed21n1298, made
on the fly so that nothing but the original is on disk.

    scripts/renumbered_pubmed.py ../shared/corpora/pubmed/pubmed21n1298.xml.gz 100 \\
        | coagtag tag - --format pubmed --out-dir RUN
    scripts/renumbered_pubmed.py FILE 10 20    # copies 20..29: the third of ten shards

Standard library only. See BENCHMARKS.md ("PubMed at scale: memory").
"""

import gzip
import re
import sys

OFFSET = 40_000_000
PMID = re.compile(rb'(<PMID Version="\d+">)(\d+)(</PMID>)')


def main() -> int:
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    path, copies = sys.argv[1], int(sys.argv[2])
    first = int(sys.argv[3]) if len(sys.argv) == 4 else 0
    with gzip.open(path, "rb") as f:
        xml = f.read()
    start = xml.index(b"<PubmedArticle>")
    end = xml.rindex(b"</PubmedArticleSet>")
    head, body = xml[:start], xml[start:end]
    # the body as pieces of text between PMIDs, and the PMIDs: a copy is one join
    texts, pmids, at = [], [], 0
    for m in PMID.finditer(body):
        texts.append(body[at : m.end(1)])
        pmids.append(int(m.group(2)))
        at = m.start(3)
    tail = body[at:]
    out = sys.stdout.buffer
    out.write(head)
    for k in range(first, first + copies):
        offset = k * OFFSET
        parts = []
        for text, pmid in zip(texts, pmids):
            parts.append(text)
            parts.append(str(pmid + offset).encode())
        parts.append(tail)
        out.write(b"".join(parts))
    out.write(b"</PubmedArticleSet>\n")
    out.flush()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        sys.exit(1)
