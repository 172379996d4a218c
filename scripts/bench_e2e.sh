#!/usr/bin/env bash
# End-to-end benchmark (issue 7): in one run, on one PubMed XML file, measure
#   1. gzip -dc FILE > /dev/null                      (the floor: decompression alone)
#   2. coagtag tag with 1 thread and with all threads  (default ontology, matrix output)
#   3. coagtag tag with every product (--out-dir, 1 and all threads), and with the CSV products
#      only (no xlsx), all threads
#   4. coagtag tag on the uncompressed XML (gunzipped once into BENCH_OUT, untimed), 1 and 2
#      threads, for the thread-scaling ratio
#   5. the Python baseline (ElementTree + pyahocorasick, scripts/baseline_tagger.py)
# and report wall time, MB/s of XML, articles/s and peak memory (/usr/bin/time -v), then check
# that the baseline and coagtag agree on the matrix: every differing cell explained by a
# documented coagtag rule.
#
# Usage: scripts/bench_e2e.sh [FILE.xml.gz]      (default ../shared/corpora/pubmed/pubmed21n1298.xml.gz)
# Environment:
#   COAGTAG_ARGS   extra arguments for every `coagtag tag` run (e.g. the products to write)
#   BENCH_OUT      where the outputs and timings go (default target/bench_e2e)
#   SKIP_BASELINE  set to skip the Python baseline (it takes minutes)
#   REPEAT         rounds of every timed run, interleaved (default 1); the table gives the best
#                  round and the spread, and every round is kept in BENCH_OUT/rounds.txt
#   BASELINE_BIN   another coagtag binary (e.g. main's, before a change): every coagtag run is
#                  made with it too, right after, in the same round (rows `NAME@baseline`), and
#                  the table ends with the ratio of each run to its baseline
#   SKIP_AGREEMENT set to skip the agreement check at the end
#
# Until coagtag reads PubMed XML (the readers issue), the script says so and times coagtag on
# a JSONL conversion of the same articles instead (made by baseline_tagger.py --to-jsonl,
# untimed); MB/s is then still per byte of XML, for comparison, and the table says so.
# Until `coagtag tag` has --threads, one coagtag run is made and the table says so.
#
# Agreement (untimed, after the timings): coagtag generates spelling variants and the baseline
# cannot, so the baseline is run again given the terms plus the variants exported by `ontology
# export --variants` (exactly the surfaces coagtag compiles) and with --mentions; coagtag tags
# the file again with the default ontology and no COAGTAG_ARGS. scripts/agreement.py then
# classifies every differing cell by its cause, asking `coagtag explain` about each article
# (Unicode folding, abbreviation definitions, `when:` conditions, exclude phrases, ...; the list
# is in that script and in BENCHMARKS.md, "Agreement"), prints the count per cause with examples
# and writes every cell with its cause to BENCH_OUT/agreement_cells.csv. The script exits 1 if a
# cell is unexplained or an article is in one matrix only.
set -euo pipefail
cd "$(dirname "$0")/.."

FILE=${1:-../shared/corpora/pubmed/pubmed21n1298.xml.gz}
OUT=${BENCH_OUT:-target/bench_e2e}
mkdir -p "$OUT"
[ -r "$FILE" ] || { echo "bench_e2e: cannot read $FILE" >&2; exit 2; }

if [ ! -x /usr/bin/time ]; then
    echo "bench_e2e: installing GNU time (apt-get install time)" >&2
    apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
if [ -z "${SKIP_BASELINE:-}" ] && ! python3 -c 'import ahocorasick' 2>/dev/null; then
    echo "bench_e2e: installing pyahocorasick (pip install pyahocorasick)" >&2
    python3 -m pip install --quiet pyahocorasick
fi

cargo build --release --quiet
BIN=target/release/coagtag
NPROC=$(nproc)
read -r -a EXTRA <<<"${COAGTAG_ARGS:-}"

XML_BYTES=$(gzip -dc "$FILE" | wc -c)
echo "bench_e2e: $FILE: $XML_BYTES bytes of XML; $NPROC cores; $(date -u +%FT%TZ)"
echo "bench_e2e: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"

ROWS=()
# coag NAME ARTICLES_FILE ARGS...: `run` coagtag with ARGS, then the baseline binary if any
coag() {
    local name=$1 counted=$2
    shift 2
    run "$name" "$counted" "$BIN" "$@"
    if [ -n "${BASELINE_BIN:-}" ]; then
        run "$name@baseline" "$counted" "$BASELINE_BIN" "$@"
    fi
}
# run NAME ARTICLES_FILE CMD...: time CMD with /usr/bin/time -v; the article count is read
# afterwards from ARTICLES_FILE (a CSV with a header row), or empty for none
run() {
    local name=$1 counted=$2
    shift 2
    if ! /usr/bin/time -v -o "$OUT/$name.time" "$@" >"$OUT/$name.stdout" 2>"$OUT/$name.stderr"; then
        echo "bench_e2e: $name failed:" >&2
        tail -5 "$OUT/$name.stderr" >&2
        return 1
    fi
    local wall peak arts
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$OUT/$name.time")
    peak=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$OUT/$name.time")
    arts=""
    [ -n "$counted" ] && arts=$(($(wc -l <"$counted") - 1))
    ROWS+=("$name|$wall|$peak|$arts")
}

# can this coagtag read PubMed XML?
INPUT=$FILE
NOTE=""
if ! "$BIN" tag "$FILE" --layout articles -q -o "$OUT/probe.csv" 2>"$OUT/probe.stderr"; then
    echo "bench_e2e: coagtag cannot read PubMed XML yet: $(head -1 "$OUT/probe.stderr")" >&2
    echo "bench_e2e: timing coagtag on a JSONL conversion instead (conversion not timed)" >&2
    INPUT="$OUT/articles.jsonl"
    python3 scripts/baseline_tagger.py --to-jsonl "$FILE" -o "$INPUT"
    NOTE=" (on a JSONL conversion: no PubMed XML reader yet)"
fi


# the uncompressed copy for the thread-scaling runs (made once, untimed)
PLAIN="$OUT/plain/$(basename "${FILE%.gz}")"
if [ -z "$NOTE" ]; then
    mkdir -p "$OUT/plain"
    [ -s "$PLAIN" ] || gzip -dc "$FILE" >"$PLAIN"
fi

"$BIN" ontology export --format tsv -o "$OUT/terms.tsv"
"$BIN" ontology export --format tsv --variants -o "$OUT/terms_variants.tsv"

# REPEAT rounds of every timed run, interleaved, so that each ratio compares runs made under
# the same load; the table gives the best round and the spread
REPEAT=${REPEAT:-1}
CSV_PRODUCTS=(--category-matrix "$OUT/csv/categories.csv" --evidence "$OUT/csv/evidence.csv"
    --cooccurrence "$OUT/csv/cooccurrence.csv" --summary "$OUT/csv/summary.csv"
    --articles "$OUT/csv/articles.csv" --manifest "$OUT/csv/manifest.json")
mkdir -p "$OUT/csv"
for round in $(seq "$REPEAT"); do
    echo "bench_e2e: round $round of $REPEAT" >&2
    run gzip "" sh -c "gzip -dc '$FILE' > /dev/null"
    if "$BIN" tag --help | grep -q -- '--threads'; then
        coag coagtag_1_thread "$OUT/coagtag_1.csv" tag "$INPUT" --threads 1 --layout articles -q -o "$OUT/coagtag_1.csv" "${EXTRA[@]}"
        coag "coagtag_${NPROC}_threads" "$OUT/coagtag.csv" tag "$INPUT" --threads "$NPROC" --layout articles -q -o "$OUT/coagtag.csv" "${EXTRA[@]}"
        cmp -s "$OUT/coagtag_1.csv" "$OUT/coagtag.csv" || echo "bench_e2e: WARNING: 1 and $NPROC threads wrote different matrices" >&2
        if [ -z "$NOTE" ]; then
            coag all_products_1_thread "$OUT/all1/articles.csv" tag "$INPUT" --threads 1 -q --out-dir "$OUT/all1" "${EXTRA[@]}"
            coag "all_products_${NPROC}_threads" "$OUT/all/articles.csv" tag "$INPUT" --threads "$NPROC" -q --out-dir "$OUT/all" "${EXTRA[@]}"
            coag "csv_products_${NPROC}_threads" "$OUT/csv/articles.csv" tag "$INPUT" --threads "$NPROC" -q -o "$OUT/csv/matrix.csv" "${CSV_PRODUCTS[@]}" "${EXTRA[@]}"
            coag xml_plain_1_thread "$OUT/plain1.csv" tag "$PLAIN" --threads 1 --layout articles -q -o "$OUT/plain1.csv" "${EXTRA[@]}"
            coag xml_plain_2_threads "$OUT/plain2.csv" tag "$PLAIN" --threads 2 --layout articles -q -o "$OUT/plain2.csv" "${EXTRA[@]}"
        fi
    else
        echo "bench_e2e: coagtag tag has no --threads yet: one run with its default" >&2
        coag coagtag_default_threads "$OUT/coagtag.csv" tag "$INPUT" --layout articles -q -o "$OUT/coagtag.csv" "${EXTRA[@]}"
    fi
    if [ -z "${SKIP_BASELINE:-}" ]; then
        run python_baseline "$OUT/baseline.csv" python3 scripts/baseline_tagger.py --terms "$OUT/terms.tsv" "$FILE" -o "$OUT/baseline.csv"
    fi
done

# one line per run name: best wall, worst wall, peak MB (of the best round), articles
summarise() {
    for r in "${ROWS[@]}"; do echo "$r"; done | awk -F'|' '
        { if (!($1 in best) || $2 < best[$1]) { best[$1] = $2; peak[$1] = $3; arts[$1] = $4 }
          if (!($1 in worst) || $2 > worst[$1]) worst[$1] = $2
          if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
        END { for (i = 1; i <= n; i++) { k = order[i]; print k "|" best[k] "|" worst[k] "|" peak[k] "|" arts[k] } }'
}
SUMMARY=$(summarise)
wall_of() { awk -F'|' -v n="$1" '$1 == n { print $2 }' <<<"$SUMMARY"; }
GZIP_WALL=$(wall_of gzip)

echo
echo "| run | wall s (best of $REPEAT) | spread s | MB/s of XML | articles/s | peak MB | x gzip |"
echo "|---|---:|---:|---:|---:|---:|---:|"
while IFS='|' read -r name wall worst peak arts; do
    awk -v n="$name" -v w="$wall" -v x="$worst" -v p="$peak" -v a="$arts" -v b="$XML_BYTES" -v g="$GZIP_WALL" -v note="$NOTE" 'BEGIN {
        if (w <= 0) w = 0.001
        label = n; if (n ~ /^coagtag/) label = n note
        printf "| %s | %.2f | %.2f-%.2f | %.1f | %s | %s | %.2f |\n", label, w, w, x, b / 1e6 / w, (a == "" ? "-" : sprintf("%.0f", a / w)), p, w / g }'
done <<<"$SUMMARY"

# ratios asked for by issue 7 (best round against best round; per-round ratios in $OUT/rounds.txt)
C1=$(wall_of coagtag_1_thread)
CN=$(wall_of "coagtag_${NPROC}_threads")
CD=$(wall_of coagtag_default_threads)
CT=${CN:-$CD}
AP=$(wall_of "all_products_${NPROC}_threads")
P1=$(wall_of xml_plain_1_thread)
P2=$(wall_of xml_plain_2_threads)
PY=$(wall_of python_baseline)
for r in "${ROWS[@]}"; do echo "$r"; done >"$OUT/rounds.txt"
echo
if [ -n "$C1" ] && [ -n "$CN" ]; then
    awk -v a="$C1" -v b="$CN" -v n="$NPROC" 'BEGIN { printf "speed-up of %s threads over 1 on the gzip file: %.2f x\n", n, a / b }'
fi
if [ -n "$P1" ] && [ -n "$P2" ]; then
    awk -v a="$P1" -v b="$P2" 'BEGIN { printf "speed-up of 2 threads over 1 on uncompressed XML: %.2f x (target >= 1.7)\n", a / b }'
fi
if [ -n "$CT" ]; then
    awk -v c="$CT" -v g="$GZIP_WALL" -v note="$NOTE" 'BEGIN { printf "coagtag (matrix only) wall / gzip -dc wall: %.2f%s\n", c / g, note }'
fi
if [ -n "$AP" ]; then
    awk -v c="$AP" -v g="$GZIP_WALL" 'BEGIN { printf "coagtag (all products) wall / gzip -dc wall: %.2f (target <= 1.3)\n", c / g }'
fi
if [ -n "$CT" ] && [ -n "$PY" ]; then
    awk -v c="${AP:-$CT}" -v p="$PY" -v note="$NOTE" 'BEGIN { printf "coagtag (all products, all threads) vs Python baseline: %.1f x faster (target >= 20)%s\n", p / c, note }'
fi

# each run against the same run with the baseline binary (best round against best round)
if [ -n "${BASELINE_BIN:-}" ]; then
    echo
    echo "| run | wall s | baseline wall s | ratio |"
    echo "|---|---:|---:|---:|"
    while IFS='|' read -r name wall _ _ _; do
        case $name in *@baseline) continue ;; esac
        base=$(wall_of "$name@baseline")
        [ -n "$base" ] && awk -v n="$name" -v a="$wall" -v b="$base" 'BEGIN { printf "| %s | %.2f | %.2f | %.3f |\n", n, a, b, a / b }'
    done <<<"$SUMMARY"
fi

# agreement (untimed): coagtag's matrix with the default ontology and no COAGTAG_ARGS, against
# the baseline given the same surfaces coagtag compiles (terms and exported variants); every
# differing cell is classified by cause with coagtag's own account (scripts/agreement.py)
if [ -n "${SKIP_BASELINE:-}" ] || [ -n "${SKIP_AGREEMENT:-}" ]; then
    exit 0
fi
echo
if [ -n "$NOTE" ]; then
    echo "bench_e2e: agreement not checked: it needs coagtag explain on the PubMed XML" >&2
    exit 0
fi
"$BIN" tag "$FILE" --layout articles -q -o "$OUT/coagtag_check.csv"
python3 scripts/baseline_tagger.py --terms "$OUT/terms_variants.tsv" --with-variants \
    --mentions "$OUT/baseline_check_mentions.jsonl" "$FILE" -o "$OUT/baseline_check.csv" 2>/dev/null
python3 scripts/agreement.py --coagtag "$OUT/coagtag_check.csv" --baseline "$OUT/baseline_check.csv" \
    --mentions "$OUT/baseline_check_mentions.jsonl" --terms "$OUT/terms_variants.tsv" \
    --bin "$BIN" --input "$FILE" --out "$OUT" \
    --what "coagtag vs the baseline given the terms and their exported variants"
