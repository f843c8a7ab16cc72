#!/usr/bin/env bash
# Soak test, bounded: the release server on PostgreSQL serves a mixed load of
# pages and API calls (wrk, 8 connections) while `sentinela ingest` runs
# again and again, alternating two editions of the population file so every
# run republishes gold. Prints requests, 5xx and other non-2xx answers, the
# ingest runs and their statuses, and the server's RSS at the start, at the
# end and at its peak. BENCHMARKS.md records the figures.
#   bench/soak.sh [SECONDS]   (default 180)
source "$(dirname "$0")/../scripts/lib.sh"
source "$ROOT/bench/lib.sh"
DURATION=${1:-180}
DATA=$ROOT/../shared/data
PORT=${SENTINELA_BENCH_PORT:-3220}

command -v wrk >/dev/null || apt_install wrk
ensure_rust_tools
ensure_postgres
build_release
cd "$ROOT"
binary=$CARGO_TARGET_DIR/release/sentinela

work=$(mktemp -d)
database=sentinela_soak_$$
psql -q "$SENTINELA_TEST_PG" -c "CREATE DATABASE $database"
cleanup() {
    kill "$server" "$ingests" 2>/dev/null || true
    wait 2>/dev/null || true
    psql -q "$SENTINELA_TEST_PG" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" || true
    rm -rf "$work"
}
trap cleanup EXIT
export DATABASE_URL=${SENTINELA_TEST_PG%/*}/$database \
    SENTINELA_DATA_DIR=$work/var SENTINELA_SOURCES=$ROOT/bench/sources.toml \
    SENTINELA_SCHEDULER=false SENTINELA_API_REQUESTS_PER_SECOND=0 RUST_LOG=warn \
    LEPTOS_OUTPUT_NAME=sentinela LEPTOS_ENV=PROD LEPTOS_SITE_ROOT=$ROOT/target/site \
    LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true LEPTOS_SITE_ADDR=127.0.0.1:$PORT

# Edition B: the same files, but the 2019 population estimates under the
# 2020 file's name: a new edition that keeps its contract (same rows and
# places), so every run republishes the cases gold that divides by them.
mkdir -p "$work/b"
cp -r "$DATA"/. "$work/b"/
chmod -R u+w "$work/b"
cp "$DATA/reference/populacao-por-municipio-2019.csv" "$work/b/reference/populacao-por-municipio-2020.csv"

step "first ingest"
"$binary" ingest --from "$DATA" >/dev/null
"$binary" serve &
server=$!
wait_ready "$server" "http://127.0.0.1:$PORT/readyz"

cat >"$work/mix.lua" <<'LUA'
local paths = {
  "/", "/?metric=icu_covid", "/uf/SP", "/uf/RJ?period=30", "/uf/AM?per100k=1",
  "/municipio/3550308", "/dados",
  "/api/v1/cases/states?uf=SP,RJ", "/api/v1/occupancy?uf=SP&bed_class=icu&scope=covid",
  "/api/v1/rankings?scope=city&uf=MG&min_population=50000&limit=10",
  "/api/v1/srag?uf=SP", "/api/v1/freshness", "/api/v1/runs",
}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init() server_errors = 0; other = 0 end
function request() return wrk.format("GET", paths[math.random(#paths)]) end
function response(status)
  if status >= 500 then server_errors = server_errors + 1
  elseif status >= 300 then other = other + 1 end
end
function done()
  local e, o = 0, 0
  for _, t in ipairs(threads) do e = e + t:get("server_errors"); o = o + t:get("other") end
  io.write(string.format("5xx %d\nother non-2xx %d\n", e, o))
end
LUA

rss() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }
# Warm-up, then the starting RSS.
wrk -t2 -c8 -d5s -s "$work/mix.lua" "http://127.0.0.1:$PORT" >/dev/null
rss_start=$(rss)

(
    end=$((SECONDS + DURATION))
    edition=b
    while ((SECONDS < end)); do
        if [[ $edition == b ]]; then from=$work/b; edition=a; else from=$DATA; edition=b; fi
        "$binary" ingest --from "$from" >/dev/null 2>&1 || echo "ingest failed" >&2
    done
) &
ingests=$!

peak=$rss_start
(
    while kill -0 "$ingests" 2>/dev/null; do
        echo "$(rss)" >>"$work/rss"
        sleep 2
    done
) &
step "soak: ${DURATION} s of mixed load while ingests repeat"
out=$(wrk -t2 -c8 -d"${DURATION}s" --latency -s "$work/mix.lua" "http://127.0.0.1:$PORT")
wait "$ingests"
rss_end=$(rss)
peak=$(sort -n "$work/rss" | tail -1)

echo "$out" | grep -E "requests in|Requests/sec|50%|99%|5xx|other non-2xx"
runs=$("$binary" runs --limit 1000 | tail -n +2)
printf 'ingest runs: %d (ok %d, held %d, failed %d)\n' "$(grep -c . <<<"$runs")" \
    "$(grep -c ' ok ' <<<"$runs")" "$(grep -c ' held ' <<<"$runs")" "$(grep -c ' failed ' <<<"$runs")"
printf 'server RSS: start %d KiB, end %d KiB, peak %d KiB\n' "$rss_start" "$rss_end" "$peak"
