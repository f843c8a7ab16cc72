#!/usr/bin/env bash
# Page-load benchmark: builds the release site, ingests all of
# ../shared/data (or $1) into a fresh embedded store, serves it on loopback
# and loads the overview and a state page 20 times each in headless
# Chromium (bench/page.js). BENCHMARKS.md records the figures.
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/bench/lib.sh"
DATA=${1:-$ROOT/../shared/data}
PORT=${SENTINELA_BENCH_PORT:-3210}
ensure_rust_tools
ensure_browser
cd "$ROOT"
cargo leptos build --release

serve_with_data "$DATA" "$PORT"
for path in / /uf/SP; do
    NODE_PATH=$ROOT/end2end/node_modules node "$ROOT/bench/page.js" "http://127.0.0.1:$PORT$path" 20
done
