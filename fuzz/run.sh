#!/bin/sh
# Fuzz one target for a while: fuzz/run.sh TARGET SECONDS (from the repository root).
# Targets: pubmed medline pubtator bioc jsonl csv text ontology. Seeds come from fuzz/seed.py;
# findings land in fuzz/out/TARGET/default/{crashes,hangs}. One fuzzer uses one core.
set -eu
target=$1
seconds=${2:-600}
cd "$(dirname "$0")"
[ -d "seeds/$target" ] || python3 seed.py
cargo afl build --release --bin "$target"
mkdir -p out
# no core binding (the machine is shared), no curses screen (logs instead), and no complaint
# about the system's core-dump or CPU-frequency settings, which a container cannot change
AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    cargo afl fuzz -i "seeds/$target" -o "out/$target" -V "$seconds" -t 2000 -m none \
    "target/release/$target"
