#!/usr/bin/env bash
# Serving while ingesting, in one process: the release server's scheduler
# collects SIVEP's scaled summary (bench/scale.py) from a loopback HTTP
# server while wrk loads an API answer and the overview page; the same
# loads on the idle server are the reference. Prints, per path, requests/s,
# p50, p99 and max latency idle and during the ingest, and their ratio.
#   bench/serving.sh [--binary PATH] [--rows N]   (default: the release
#   build of this checkout, 5,000,000 SIVEP rows)
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/bench/lib.sh"
ROWS=5000000
BINARY=
while [[ $# -gt 0 ]]; do
    case $1 in
        --binary) BINARY=$2; shift 2 ;;
        --rows) ROWS=$2; shift 2 ;;
        *) echo "usage: bench/serving.sh [--binary PATH] [--rows N]" >&2; exit 2 ;;
    esac
done
DATA=$ROOT/../shared/data
PORT=${SENTINELA_BENCH_PORT:-3230}
FILES_PORT=$((PORT + 1))
SECONDS_EACH=${SENTINELA_BENCH_SECONDS:-8}

command -v wrk >/dev/null || apt_install wrk
ensure_rust_tools
if [[ -z $BINARY ]]; then
    build_release
    BINARY=$CARGO_TARGET_DIR/release/sentinela
fi
cd "$ROOT"
# The ingest benchmark's scaled input (N occupancy and N SIVEP rows), kept.
SCALED=$SENTINELA_CACHE/scaled-$ROWS
python3 bench/scale.py --data "$DATA" --out "$SCALED" --occupancy-rows "$ROWS" --sivep-rows "$ROWS"
sivep=$(cd "$SCALED/sivep" && ls sum_dados_*.csv.xz | head -1)

work=$(mktemp -d)
cleanup() {
    kill "$server" "$files" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
python3 -m http.server --bind 127.0.0.1 --directory "$SCALED" "$FILES_PORT" >/dev/null 2>&1 &
files=$!
export SENTINELA_DATA_DIR=$work/var RUST_LOG=warn SENTINELA_API_REQUESTS_PER_SECOND=0 \
    LEPTOS_OUTPUT_NAME=sentinela LEPTOS_ENV=PROD LEPTOS_SITE_ROOT=$ROOT/target/site \
    LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true LEPTOS_SITE_ADDR=127.0.0.1:$PORT

step "first ingest: the shared files (cases, population, maps), from the CLI"
SENTINELA_SOURCES=$ROOT/bench/sources.toml "$BINARY" ingest --from "$DATA" >/dev/null
# The server's sources: the same, plus the scaled SIVEP summary over HTTP,
# never collected yet, so its first scheduler tick collects it.
sed 's/^name = "sivep-summary"/name = "sivep-scaled"/' bench/sources.toml >"$work/sources.toml"
sed -i "s|^url = \".*sum_dados_.*\"|url = \"http://127.0.0.1:$FILES_PORT/sivep/$sivep\"|" "$work/sources.toml"

paths=("/api/v1/cases/states?uf=SP&from=2022-01-01" "/")
load() {
    local label=$1
    for path in "${paths[@]}"; do
        out=$(wrk -t2 -c8 -d"${SECONDS_EACH}s" --latency "http://127.0.0.1:$PORT$path")
        ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.1f", v / 1000; else if (v ~ /ms$/) printf "%.1f", v + 0; else printf "%.1f", v * 1000 }'; }
        rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
        p50=$(ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
        p99=$(ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
        max=$(ms "$(awk '$1 == "Latency" {print $4}' <<<"$out")")
        printf '%-8s %-40s %8s %8s %8s %9s\n' "$label" "$path" "$rps" "$p50" "$p99" "$max"
        echo "$label $path $rps $p50 $p99 $max" >>"$work/results"
    done
}
runs() { curl -sf "http://127.0.0.1:$PORT/api/v1/runs" | grep -o '"id"' | wc -l; }

SENTINELA_SOURCES=$work/sources.toml SENTINELA_SCHEDULER_TICK_SECONDS=1 "$BINARY" serve &
server=$!
wait_ready "$server" "http://127.0.0.1:$PORT/readyz"
before=$(runs)
started=$(date +%s.%N)
printf '%-8s %-40s %8s %8s %8s %9s\n' "" path "req/s" "p50 ms" "p99 ms" "max ms"
load ingest
[[ $(runs) == "$before" ]] || echo "warning: the ingest ended before the loads did; use more --rows" >&2
until [[ $(runs) != "$before" ]]; do sleep 0.5; done
took=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
load idle
step "ratios (during the ingest / idle); the ingest took ${took} s from the server's start"
awk '{k = $2; if ($1 == "ingest") {i[k] = $0} else {split(i[k], a, " "); printf "%-40s p50 %.2fx  p99 %.2fx  req/s %.2fx\n", k, a[4] / $4, a[5] / $5, a[3] / $3}}' "$work/results"
