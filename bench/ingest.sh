#!/usr/bin/env bash
# Ingest benchmark: builds the release binary, installs DuckDB (PyPI) in a
# venv, and runs bench/ingest.py on ../shared/data (or $1). Prints figures;
# BENCHMARKS.md records them.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${SENTINELA_CACHE:-$HOME/.cache/sentinela}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$CACHE/target}
DUCKDB_VERSION=2.0.1
DATA=${1:-$ROOT/../shared/data}

venv=$CACHE/venv-bench
if [[ "$("$venv/bin/python" -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null || true)" != "$DUCKDB_VERSION" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "duckdb==$DUCKDB_VERSION"
fi
cargo build --release --locked -p sentinela
"$venv/bin/python" "$ROOT/bench/ingest.py" --binary "$CARGO_TARGET_DIR/release/sentinela" --data "$DATA"
