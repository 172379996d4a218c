#!/usr/bin/env bash
# Do two coagtag binaries write the same products? For refactors that must not change what `tag`
# writes (issue 13): every product of `tag --out-dir D --jsonl D/articles.jsonl --pubtator
# D/mentions.pubtator`, from both binaries, compared with `cmp` (the manifest with its start and
# end times, paths, byte counts and file checksums left out).
#
# Usage: scripts/same_products.sh BEFORE_BIN AFTER_BIN [OUT]     (OUT default target/same_products)
#
# Inputs: every input fixture (the PubMed, MEDLINE, PubTator, JSONL and CSV ones, the JATS article
# and its BioC XML and JSON), the shared sepsis subset and pubmed21n1298, the shared JATS
# directories (each alone, all of them as one `.tar.gz` package, and once with every `--include`,
# `--values density` and `--sections` by kind), and the gold development sets of BC5CDR and NCBI
# disease tagged with vocabularies that BEFORE_BIN builds from their training sets (`ontology
# from-pubtator`: kinds_are_distinct, conditional abbreviations and longer_name_words, which the
# default ontology does not use). Prints one line per file that differs, then the count; exits 1
# if any differs or an exit status differs.
set -uo pipefail
cd "$(dirname "$0")/.."

BEFORE=${1:?usage: same_products.sh BEFORE_BIN AFTER_BIN [OUT]}
AFTER=${2:?usage: same_products.sh BEFORE_BIN AFTER_BIN [OUT]}
OUT=${3:-target/same_products}
SHARED=../shared/corpora
mkdir -p "$OUT"
status=0
same=0

# compare NAME ARGS...: tag ARGS with both binaries, compare every product
compare() {
    local name=$1
    shift
    for side in before after; do
        local bin=$BEFORE
        [ "$side" = after ] && bin=$AFTER
        rm -rf "$OUT/$name/$side"
        mkdir -p "$OUT/$name/$side"
        "$bin" tag "$@" -q --out-dir "$OUT/$name/$side" --jsonl "$OUT/$name/$side/articles.jsonl" \
            --pubtator "$OUT/$name/$side/mentions.pubtator" 2>"$OUT/$name/$side.stderr"
        echo $? >"$OUT/$name/$side.status"
    done
    if ! cmp -s "$OUT/$name/before.status" "$OUT/$name/after.status"; then
        echo "$name: exit status $(cat "$OUT/$name/before.status") before, $(cat "$OUT/$name/after.status") after"
        status=1
    fi
    local f b
    if [ -z "$(ls -A "$OUT/$name/before")" ]; then
        echo "$name: no products from BEFORE_BIN (exit $(cat "$OUT/$name/before.status"); see $OUT/$name/before.stderr)"
        status=1
        return
    fi
    for f in "$OUT/$name/after"/*; do
        if [ ! -e "$OUT/$name/before/$(basename "$f")" ]; then
            echo "$name: $(basename "$f") only after"
            status=1
        fi
    done
    for f in "$OUT/$name/before"/*; do
        b=$(basename "$f")
        if [ "$b" = manifest.json ]; then
            local mask='"started"\|"finished"\|"path"\|"bytes"\|"sha256"'
            if ! diff <(grep -v "$mask" "$f") <(grep -v "$mask" "$OUT/$name/after/$b") >/dev/null; then
                echo "$name: $b differs"
                status=1
                continue
            fi
        elif [ -d "$f" ]; then
            # a directory of products (figures/): every file in it, and the same files
            if ! diff -r -q "$f" "$OUT/$name/after/$b" >/dev/null; then
                echo "$name: $b/ differs"
                status=1
                continue
            fi
        elif ! cmp -s "$f" "$OUT/$name/after/$b"; then
            echo "$name: $b differs"
            status=1
            continue
        fi
        same=$((same + 1))
    done
}

# (fixtures/pubmed21n1298_expected.jsonl is no input of `tag`: it is the reading of PubMed XML
# that tests/readers.rs expects, ids under `pmid` and sections as pairs; no article in it can be
# tagged, so a run writes nothing)
for f in fixtures/sepsis25.jsonl fixtures/sepsis25.csv fixtures/sepsis_sample.jsonl.gz fixtures/medline4.txt \
    fixtures/pubmed_efetch2.xml fixtures/eval/gold.PubTator; do
    compare "$(basename "$f")" "$f"
done
compare gold_with_vocab fixtures/eval/gold.PubTator --ontology fixtures/eval/vocab.yaml
compare sample_sections fixtures/sepsis_sample.jsonl.gz \
    --text-fields title,abstract,BACKGROUND,OBJECTIVE,METHODS,RESULTS,CONCLUSIONS
for f in fixtures/PMC1617083.nxml fixtures/bioc/PMC1617083.BioC.xml fixtures/bioc/PMC1617083.json; do
    compare "$(basename "$f")" "$f"
done
compare bioc_json_all_parts fixtures/bioc/PMC1617083.json --include tables,translations,sub-articles,back-matter
compare sepsis "$SHARED/sepsis/sepsis_coag_subset.xml.gz"
compare pubmed21n1298 "$SHARED/pubmed/pubmed21n1298.xml.gz"
JATS_DIRS=()
for d in "$SHARED"/jats/*/; do
    d=${d%/}
    JATS_DIRS+=("$d")
    compare "jats_$(basename "$d")" "$d"
done
compare jats_all_parts "${JATS_DIRS[@]}" --include tables,translations,sub-articles,back-matter --values density
compare jats_by_kind "${JATS_DIRS[@]}" --sections methods,results,caption --values density
tar -czf "$OUT/jats.tar.gz" -C "$SHARED/jats" $(cd "$SHARED/jats" && ls -d */)
compare jats_package "$OUT/jats.tar.gz"
"$BEFORE" ontology from-pubtator "$SHARED/gold/bc5cdr/CDR_TrainingSet.PubTator.txt" -o "$OUT/bc5cdr.yaml" 2>/dev/null
compare bc5cdr "$SHARED/gold/bc5cdr/CDR_DevelopmentSet.PubTator.txt" --ontology "$OUT/bc5cdr.yaml"
"$BEFORE" ontology from-pubtator "$SHARED/gold/ncbi-disease/NCBItrainset_corpus.txt" -o "$OUT/ncbi.yaml" 2>/dev/null
compare ncbi "$SHARED/gold/ncbi-disease/NCBIdevelopset_corpus.txt" --format pubtator --ontology "$OUT/ncbi.yaml"

echo "same_products: $same files identical$([ $status = 0 ] && echo ", none differs")"
exit $status
