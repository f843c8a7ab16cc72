#!/usr/bin/env bash
# Page-load benchmark: builds the release site, ingests all of
# ../shared/data (or $1) into a fresh embedded store, serves it on loopback
# and loads the overview and a state page 20 times each in headless
# Chromium (bench/page.js). BENCHMARKS.md records the figures.
source "$(dirname "$0")/../scripts/lib.sh"
DATA=${1:-$ROOT/../shared/data}
PORT=${SENTINELA_BENCH_PORT:-3210}
ensure_rust_tools
ensure_browser
cd "$ROOT"
cargo leptos build --release
binary=$CARGO_TARGET_DIR/release/sentinela

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
export SENTINELA_DATA_DIR=$work/var SENTINELA_SOURCES=$ROOT/bench/sources.toml \
    SENTINELA_SCHEDULER=false RUST_LOG=warn LEPTOS_OUTPUT_NAME=sentinela LEPTOS_ENV=PROD \
    LEPTOS_SITE_ROOT=$ROOT/target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR=127.0.0.1:$PORT
"$binary" ingest --from "$DATA" >/dev/null
"$binary" serve &
server=$!
until curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null; do
    kill -0 "$server" 2>/dev/null || { echo "the server exited" >&2; exit 1; }
    sleep 0.2
done
for path in / /uf/SP; do
    NODE_PATH=$ROOT/end2end/node_modules node "$ROOT/bench/page.js" "http://127.0.0.1:$PORT$path" 20
done
