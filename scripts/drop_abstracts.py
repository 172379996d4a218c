#!/usr/bin/env python3
"""Make a PubMed XML file of records with short or no abstracts from a real one (issue 19).

Older baseline files hold many records with no abstract or a short one; the speed target for
every product of `--out-dir` is stated on such a file too. This makes one from a file we have:
every record keeps its title and metadata, and all but every KEEP-th record lose their
`<Abstract>` element (every KEEP-th keeps it whole), so the file is mostly short records.
Deterministic: the same input gives the same bytes.

Usage: scripts/drop_abstracts.py IN.xml[.gz] OUT.xml.gz [--keep N]    (N default 5)
"""
import argparse
import gzip
import re
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--keep", type=int, default=5, help="keep the abstract of every KEEP-th record (default 5)")
    args = ap.parse_args()
    if args.keep < 1:
        sys.exit("drop_abstracts: --keep must be at least 1")
    opener = gzip.open if args.input.endswith(".gz") else open
    with opener(args.input, "rb") as f:
        data = f.read()
    seen = 0
    dropped = 0

    def drop(m):
        nonlocal seen, dropped
        seen += 1
        if seen % args.keep == 0:
            return m.group(0)
        dropped += 1
        return b""

    out = re.sub(rb"[ \t]*<Abstract>.*?</Abstract>\n?", drop, data, flags=re.S)
    with gzip.GzipFile(args.output, "wb", mtime=0) as f:
        f.write(out)
    print(f"drop_abstracts: {seen} abstracts, {dropped} dropped; {len(out):,} bytes of XML", file=sys.stderr)


if __name__ == "__main__":
    main()
