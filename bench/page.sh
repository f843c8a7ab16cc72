#!/usr/bin/env bash
# Page-load benchmark: builds the release site, ingests all of
# ../shared/data (or $1) into a fresh embedded store, serves it on loopback
# and loads the overview and a state page in headless Chromium
# (bench/page.js), then a static copy of each page without its scripts as
# the reference: 20 times each on loopback as it is, then 10 times each on
# Lighthouse's mobile profile (latency, bandwidth and CPU throttled). Prints
# paint and hydration times and each page's element count; BENCHMARKS.md
# records them.
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/bench/lib.sh"
DATA=${1:-$ROOT/../shared/data}
PORT=${SENTINELA_BENCH_PORT:-3210}
ensure_rust_tools
ensure_browser
build_release

serve_with_data "$DATA" "$PORT"
# The reference in the same run: each page's own HTML (its stylesheet is
# inline) without its scripts, served as static files by Python on the next
# port.
STATIC=$BENCH_WORK/static
for path in / /uf/SP; do
    file=$STATIC${path%/}/index.html
    mkdir -p "$(dirname "$file")"
    curl -sf "http://127.0.0.1:$PORT$path" | python3 -c '
import re, sys
html = sys.stdin.read()
html = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)
print(re.sub(r"<link[^>]*(modulepreload|preload)[^>]*>", "", html))' > "$file"
done
python3 -m http.server --bind 127.0.0.1 --directory "$STATIC" $((PORT + 1)) >/dev/null 2>&1 &
STATIC_SERVER=$!
trap 'kill "$BENCH_SERVER" "$STATIC_SERVER" 2>/dev/null; rm -rf "$BENCH_WORK"' EXIT
wait_ready "$STATIC_SERVER" "http://127.0.0.1:$((PORT + 1))/"
for profile in "20" "10 --mobile"; do
    for path in / /uf/SP; do
        # shellcheck disable=SC2086 # the profile is a count and a flag
        NODE_PATH=$ROOT/end2end/node_modules node "$ROOT/bench/page.js" "http://127.0.0.1:$PORT$path" $profile
        # shellcheck disable=SC2086
        NODE_PATH=$ROOT/end2end/node_modules node "$ROOT/bench/page.js" \
            "http://127.0.0.1:$((PORT + 1))${path%/}/" $profile --static
    done
done
