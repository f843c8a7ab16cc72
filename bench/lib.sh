# Shared by the benchmarks: serves the release binary on loopback with all
# of a data folder ingested into a fresh embedded store, until the calling
# script exits, without the API's rate limit (the load comes from one
# address). Sourced after scripts/lib.sh.

# serve_with_data DATA PORT: ingests DATA, starts the server, waits until ready.
serve_with_data() {
    local data=$1 port=$2
    local binary=$CARGO_TARGET_DIR/release/sentinela
    BENCH_WORK=$(mktemp -d)
    trap 'kill "$BENCH_SERVER" 2>/dev/null; rm -rf "$BENCH_WORK"' EXIT
    export SENTINELA_DATA_DIR=$BENCH_WORK/var SENTINELA_SOURCES=$ROOT/bench/sources.toml \
        SENTINELA_SCHEDULER=false RUST_LOG=warn LEPTOS_OUTPUT_NAME=sentinela LEPTOS_ENV=PROD \
        SENTINELA_API_REQUESTS_PER_SECOND=0 LEPTOS_HASH_FILES=true \
        LEPTOS_SITE_ROOT=$ROOT/target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR=127.0.0.1:$port
    step "ingesting $data"
    "$binary" ingest --from "$data" >/dev/null
    "$binary" serve &
    BENCH_SERVER=$!
    wait_ready "$BENCH_SERVER" "http://127.0.0.1:$port/readyz"
}

# wait_ready PID URL: waits until URL answers; fails at once if process PID
# exits first (a server that cannot start would otherwise be waited for
# for ever).
wait_ready() {
    local pid=$1 url=$2
    until curl -sf "$url" >/dev/null; do
        kill -0 "$pid" 2>/dev/null || { echo "the server exited before $url answered" >&2; exit 1; }
        sleep 0.2
    done
}
