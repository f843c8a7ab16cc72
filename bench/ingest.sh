#!/usr/bin/env bash
# Ingest benchmark: builds the release binary (as the tests and the other
# benchmarks build it), installs DuckDB (PyPI) in a venv, and runs
# bench/ingest.py on ../shared/data (or DATA). Prints figures; BENCHMARKS.md
# records them.
#
#   bench/ingest.sh [DATA]          all the public files (or those in DATA)
#   bench/ingest.sh --scaled [N]    N occupancy and N SIVEP rows (default
#                                   10000000) made by bench/scale.py from the
#                                   public files into $SENTINELA_CACHE/scaled-N (kept:
#                                   regenerated only when its stamp differs)
#   --database-url URL              Sentinela loads gold into a fresh database
#                                   on this PostgreSQL server (role with
#                                   CREATEDB) instead of its embedded store;
#                                   $SENTINELA_BENCH_PG does the same
source "$(dirname "$0")/../scripts/lib.sh"
DUCKDB_VERSION=2.0.1
SHARED=$ROOT/../shared/data
DATA=
SCALED=
DATABASE=${SENTINELA_BENCH_PG:-}

usage() {
    echo "usage: bench/ingest.sh [DATA | --scaled [N]] [--database-url URL]" >&2
    exit 2
}
while (($#)); do
    case $1 in
        --scaled)
            SCALED=10000000
            if [[ ${2:-} =~ ^[0-9]+$ ]]; then SCALED=$2; shift; fi ;;
        --database-url)
            [[ $# -ge 2 ]] || usage
            DATABASE=$2; shift ;;
        -*) usage ;;
        *)
            [[ -z $DATA ]] || usage
            DATA=$1 ;;
    esac
    shift
done
[[ -z $SCALED || -z $DATA ]] || usage

venv=$SENTINELA_CACHE/venv-bench
if [[ "$("$venv/bin/python" -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null || true)" != "$DUCKDB_VERSION" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "duckdb==$DUCKDB_VERSION"
fi
if [[ -n $SCALED ]]; then
    DATA=$SENTINELA_CACHE/scaled-$SCALED
    "$venv/bin/python" "$ROOT/bench/scale.py" --data "$SHARED" --out "$DATA" \
        --occupancy-rows "$SCALED" --sivep-rows "$SCALED"
fi
ensure_rust_tools
build_release --server-only
args=(--binary "$CARGO_TARGET_DIR/release/sentinela" --data "${DATA:-$SHARED}")
[[ -z $DATABASE ]] || args+=(--database-url "$DATABASE")
"$venv/bin/python" "$ROOT/bench/ingest.py" "${args[@]}"
