#!/usr/bin/env bash
# API benchmark: builds the release site, ingests all of ../shared/data
# (or $1) into a fresh embedded store, serves it on loopback and loads each
# endpoint with wrk (64 connections, 2 threads, 10 s; Debian's package).
# Prints requests/s, p50/p99 latency, errors, and each endpoint's throughput
# as a ratio of /healthz (the machine's ceiling). BENCHMARKS.md records them.
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/bench/lib.sh"
DATA=${1:-$ROOT/../shared/data}
PORT=${SENTINELA_BENCH_PORT:-3200}
DURATION=${SENTINELA_BENCH_SECONDS:-10}

command -v wrk >/dev/null || apt_install wrk
ensure_rust_tools
build_release
cd "$ROOT"

serve_with_data "$DATA" "$PORT"

endpoints=(
    "/healthz"
    "/api/v1/occupancy?uf=SP&bed_class=icu&scope=covid"
    "/api/v1/rankings?scope=city&uf=SP&min_population=50000&limit=10"
    "/api/v1/cases/states?uf=SP&from=2021-01-01&to=2021-12-31&format=csv"
    "/api/v1/hospitals?uf=SP&page_size=1000"
    "/api/v1/hospitals?territory=sudeste&sort=change"
)
pages=("/" "/uf/SP" "/hospitais?territory=sudeste")
ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0; else printf "%.2f", v * 1000 }'; }
# load PATH [HEADER]: one row of the table, its ratio to the first row's.
load() {
    local url="http://127.0.0.1:$PORT$1" header=("${@:2}") out rps p50 p99 errors miss
    # The first request renders the answer (a cache miss); wrk measures hits.
    miss=$(curl -sf -o /dev/null -w '%{time_total}' "${header[@]/#/-H}" "$url" | awk '{printf "%.2f", $1 * 1000}')
    out=$(wrk -t2 -c64 -d"${DURATION}s" --latency "${header[@]/#/-H}" "$url")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' <<<"$out")
    ceiling=${ceiling:-$rps}
    printf '%-72s %9s %10.0f %8s %8s %7s %6.2f\n' "$1" "$miss" "$rps" "$(ms "$p50")" "$(ms "$p99")" "$errors" \
        "$(awk -v a="$rps" -v b="$ceiling" 'BEGIN { print a / b }')"
}
step "wrk: 64 connections, 2 threads, ${DURATION} s each"
printf '%-72s %9s %10s %8s %8s %7s %6s\n' endpoint "miss ms" "req/s" "p50 ms" "p99 ms" errors ratio
ceiling=
for path in "${endpoints[@]}" "${pages[@]}"; do
    load "$path"
done
# Browsers ask for compressed pages: a kept page goes out as gzip,
# compressed once; an answer to a client that accepts only brotli is
# encoded as it goes out (quality 4).
for encoding in "gzip, deflate, br, zstd" "br"; do
    step "the pages with Accept-Encoding: $encoding"
    for path in "${pages[@]}"; do
        load "$path" "Accept-Encoding: $encoding"
    done
done
