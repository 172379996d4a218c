#!/usr/bin/env python3
"""Write the held-out part of qualifiers.jsonl without its labels (for a blind second annotator).

For every record whose split is `heldout` (recomputed from the id by the split rule in
QUALIFIERS.md, and checked against the record's `split` field) it writes only `id`, `sentence` and
`mention` (start, end, text, concept), in the file's order. The label fields, the cue fields,
`note`, `stratum`, `source` and `pmid` are never written or printed, so the output can be read
without seeing anything that hints at annotator A's labels.

`--tune-batch 2` keeps only the tune part's second batch (the records of the `t2_*` strata,
QUALIFIERS.md "Selection"; the stratum is read to select, never written), `--tune-batch 1` the
first.

    python3 tests/gold/blind_qualifiers.py [--split heldout|tune] [--tune-batch 1|2] [--out FILE]
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def split_of(item_id):
    h = int(hashlib.sha256(("qualgold-split:" + item_id).encode()).hexdigest()[:8], 16)
    return "heldout" if h % 10 < 6 else "tune"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="heldout", choices=["heldout", "tune"])
    ap.add_argument("--gold", default=str(HERE / "qualifiers.jsonl"))
    ap.add_argument("--tune-batch", type=int, choices=[1, 2])
    ap.add_argument("--out", default="-")
    args = ap.parse_args()
    if args.tune_batch and args.split != "tune":
        sys.exit("--tune-batch needs --split tune")
    out = []
    with open(args.gold, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            rec = json.loads(line)
            split = split_of(rec["id"])
            if split != rec["split"]:
                sys.exit(f"{args.gold}:{n}: split field disagrees with the split rule")
            if split != args.split:
                continue
            if args.tune_batch and (rec["stratum"].startswith("t2_")) != (args.tune_batch == 2):
                continue
            m = rec["mention"]
            out.append(
                {
                    "id": rec["id"],
                    "sentence": rec["sentence"],
                    "mention": {
                        "start": m["start"],
                        "end": m["end"],
                        "text": m["text"],
                        "concept": m["concept"],
                    },
                }
            )
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"{len(out)} {args.split} records -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
