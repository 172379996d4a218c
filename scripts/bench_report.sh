#!/usr/bin/env bash
# The cost of the report (issue 16), on one PubMed file, in one run:
#   1. coagtag tag with every product but the report (the products of --out-dir before the
#      report existed, named one by one) and with --out-dir (the same plus report.html,
#      figures/ and texts.jsonl.gz), REPEAT interleaved rounds each, 2 threads: wall, user and
#      system seconds, peak memory (/usr/bin/time);
#   2. `coagtag report DIR` (the rebuild from the products), REPEAT rounds;
#   3. the report's size, and how long headless Chromium takes to load and draw it
#      (Navigation Timing: navigation start to the end of the load event; the page's script runs
#      before it), REPEAT rounds, each in a fresh browser profile, through chromedriver.
# Usage: scripts/bench_report.sh [FILE.xml.gz]   (default ../shared/corpora/pubmed/pubmed21n1298.xml.gz)
# Environment: REPEAT (default 5), BENCH_OUT (default target/bench_report).
# Needs a release build (cargo build --release), GNU time, chromium and chromedriver.
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=${1:-../shared/corpora/pubmed/pubmed21n1298.xml.gz}
OUT=${BENCH_OUT:-target/bench_report}
REPEAT=${REPEAT:-5}
BIN=./target/release/coagtag
mkdir -p "$OUT"
[ -x "$BIN" ] || { echo "bench_report: build first: cargo build --release" >&2; exit 2; }
: > "$OUT/rounds.txt"

run() { # name, then the command
    local name=$1
    shift
    /usr/bin/time -f "$name %e %U %S %M" -a -o "$OUT/rounds.txt" "$@" >/dev/null 2>&1
}

for i in $(seq "$REPEAT"); do
    rm -rf "$OUT/without" "$OUT/with"
    mkdir -p "$OUT/without"
    W=$OUT/without
    run without "$BIN" tag "$FILE" -q --threads 2 -o "$W/matrix.csv" --category-matrix "$W/categories.csv" \
        --evidence "$W/evidence.csv" --cooccurrence "$W/cooccurrence.csv" --summary "$W/summary.csv" \
        --articles "$W/articles.csv" --trends "$W/trends.csv" --xlsx "$W/matrix.xlsx" --manifest "$W/manifest.json"
    run with "$BIN" tag "$FILE" -q --threads 2 --out-dir "$OUT/with"
    run rebuild "$BIN" report "$OUT/with" -q -o "$OUT/rebuilt.html" --figures "$OUT/rebuilt-figures"
done
cmp "$OUT/rebuilt.html" "$OUT/with/report.html"

echo "run: best wall s, user s, system s, peak MB over $REPEAT rounds (all rounds: $OUT/rounds.txt)"
for name in without with rebuild; do
    awk -v n="$name" '$1 == n { if (!w || $2 < w) { w = $2; u = $3; s = $4; m = $5 } }
        END { printf "%-8s %6.2f %6.2f %6.2f %7.1f\n", n, w, u, s, m / 1024 }' "$OUT/rounds.txt"
done
ls -l "$OUT/with/report.html" "$OUT/with/texts.jsonl.gz" "$OUT/with/figures/"*.svg | awk '{ print $5, $9 }'

# Chromium: time to load and draw the page
python3 - "$OUT/with/report.html" "$REPEAT" "$OUT" <<'EOF'
import json, shutil, socket, subprocess, sys, time, urllib.request
page, repeat, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
driver = subprocess.Popen(["chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req, timeout=300).read())["value"]
for _ in range(100):
    try:
        call("GET", "/status"); break
    except Exception:
        time.sleep(0.1)
import os
page = os.path.abspath(page)
times = []
try:
    for i in range(repeat):
        profile = f"{out}/chromium-profile-{i}"
        shutil.rmtree(profile, ignore_errors=True)
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}", "--window-size=1400,1000"]
        sid = call("POST", "/session", {"capabilities": {"alwaysMatch": {"browserName": "chrome",
              "goog:chromeOptions": {"binary": shutil.which("chromium"), "args": args}}}})["sessionId"]
        try:
            call("POST", f"/session/{sid}/url", {"url": "file://" + page})
            t = call("POST", f"/session/{sid}/execute/sync", {"script":
                "const n = performance.getEntriesByType('navigation')[0];"
                "return [document.body.getAttribute('data-ready'), n.domContentLoadedEventEnd, n.loadEventEnd];", "args": []})
            assert t[0] == "1", "the page did not draw"
            times.append((t[1] / 1000, t[2] / 1000))
        finally:
            call("DELETE", f"/session/{sid}")
finally:
    driver.kill()
best = min(times, key=lambda x: x[1])
print("chromium: DOMContentLoaded %.2f s, load (page drawn) %.2f s (best of %d; all: %s)" % (
    best[0], best[1], repeat, ", ".join("%.2f" % t[1] for t in times)))
EOF
