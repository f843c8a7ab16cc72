#!/usr/bin/env bash
# Alerts benchmark: 10,000 rules evaluated after an ingest. Builds the
# release binary (or, with --debug, uses the test build's), then runs
# bench/alerts.py: the real occupancy snapshots up to 2021-03-21 are
# ingested into a fresh store, 10,000 rules are written (states and
# hospitals, every bed type, thresholds and changes), and the 2021-03-22
# snapshot is ingested: the run evaluates every rule after its publish and
# logs "alerts evaluated" with the time taken, which is printed. Prints
# figures; BENCHMARKS.md records them.
#
#   bench/alerts.sh [--debug] [--database-url URL]
#   --database-url URL   a fresh database on this PostgreSQL server (role
#                        with CREATEDB) instead of the embedded store;
#                        $SENTINELA_BENCH_PG does the same
source "$(dirname "$0")/../scripts/lib.sh"
PROFILE=release
DATABASE=${SENTINELA_BENCH_PG:-}
while (($#)); do
    case $1 in
        --debug) PROFILE=debug ;;
        --database-url) DATABASE=$2; shift ;;
        *) echo "usage: bench/alerts.sh [--debug] [--database-url URL]" >&2; exit 2 ;;
    esac
    shift
done
if [[ $PROFILE == release ]]; then
    step "release build of the server"
    (cd "$ROOT" && cargo build --release -p sentinela --locked)
fi
args=(--binary "$CARGO_TARGET_DIR/$PROFILE/sentinela" --data "$ROOT/../shared/data")
[[ -z $DATABASE ]] || args+=(--database-url "$DATABASE")
python3 "$ROOT/bench/alerts.py" "${args[@]}"
