# Shared by scripts/run and scripts/test: installs what a fresh Debian
# machine with the Rust toolchain lacks, each step only when missing.
# Sourced, not executed.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export SENTINELA_CACHE=${SENTINELA_CACHE:-$HOME/.cache/sentinela}
# One target folder across clones and runs: a cold build takes minutes.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$SENTINELA_CACHE/target}

CARGO_LEPTOS_VERSION=0.3.10
# Must equal the wasm-bindgen version pinned in Cargo.toml.
WASM_BINDGEN_VERSION=0.2.129
BINARYEN_VERSION=123.0.0

step() { printf '\n==> %s\n' "$*"; }

ensure_rust_tools() {
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        step "adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
    if [[ "$(cargo leptos --version 2>/dev/null || true)" != *"$CARGO_LEPTOS_VERSION"* ]]; then
        step "installing cargo-leptos $CARGO_LEPTOS_VERSION (10-20 minutes, once)"
        cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
    fi
    if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != *"$WASM_BINDGEN_VERSION"* ]]; then
        step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
        cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked
    fi
    # cargo-leptos runs wasm-opt on release builds; binaryen from npm works
    # (Debian's version 108 produces a module that fails to hydrate).
    local tools=$SENTINELA_CACHE/tools
    if [[ "$("$tools/node_modules/.bin/wasm-opt" --version 2>/dev/null || true)" != *"${BINARYEN_VERSION%%.*}"* ]]; then
        step "installing wasm-opt (npm binaryen@$BINARYEN_VERSION)"
        mkdir -p "$tools"
        npm install --silent --no-audit --no-fund --prefix "$tools" "binaryen@$BINARYEN_VERSION"
    fi
    export PATH="$tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
}

apt_install() {
    step "installing $* (apt)"
    if [[ $(id -u) -eq 0 ]]; then
        apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq "$@" >/dev/null
    fi
}

# The admin URL the integration tests create their databases with. A local,
# test-only role: not a secret.
export SENTINELA_TEST_PG=${SENTINELA_TEST_PG:-postgres://sentinela:sentinela@127.0.0.1:5432/postgres}
MOTO_VERSION=5.2.5
AIOSMTPD_VERSION=1.4.6

ensure_postgres() {
    if ! command -v pg_ctlcluster >/dev/null; then
        apt_install postgresql
    fi
    local version
    version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
    step "starting PostgreSQL $version"
    pg_ctlcluster "$version" main start 2>/dev/null || true
    for _ in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 && break
        sleep 1
    done
    pg_isready -h 127.0.0.1
    su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'sentinela'\"" | grep -q 1 ||
        su postgres -c "psql -q -c \"CREATE ROLE sentinela LOGIN SUPERUSER PASSWORD 'sentinela'\""
    # Databases and roles left by earlier test runs. A clean-up that fails
    # (a database made meanwhile by another run owns the role) is left for
    # the next run: it must not fail this one.
    su postgres -c "psql -q -tAc \"SELECT datname FROM pg_database WHERE datname LIKE 'sentinela_test_%'\"" |
        while read -r db; do su postgres -c "psql -q -c 'DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)'" || true; done
    su postgres -c "psql -q -tAc \"SELECT rolname FROM pg_roles WHERE rolname LIKE 'sentinela_test_%'\"" |
        while read -r role; do su postgres -c "psql -q -c 'DROP ROLE IF EXISTS \"$role\"'" 2>/dev/null || true; done
}

# A Python virtual environment at $1 with package $4 (module $2) at version
# $3, from PyPI, installed unless it is there already.
ensure_venv() {
    local venv=$1 module=$2 version=$3 spec=$4
    if [[ "$("$venv/bin/python" -c "import $module; print($module.__version__)" 2>/dev/null || true)" != "$version" ]]; then
        step "installing $spec $version (PyPI)"
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q "$spec==$version"
    fi
}

# Starts a moto S3 server on a free loopback port for this shell's lifetime.
start_s3_server() {
    local venv=$SENTINELA_CACHE/venv-moto
    ensure_venv "$venv" moto "$MOTO_VERSION" "moto[server]"
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$SENTINELA_CACHE/moto.log" 2>&1 &
    MOTO_PID=$!
    trap 'kill $MOTO_PID 2>/dev/null || true' EXIT
    for _ in $(seq 1 50); do
        curl -sf -o /dev/null "http://127.0.0.1:$port/" && break
        sleep 0.2
    done
    export SENTINELA_TEST_S3_ENDPOINT=http://127.0.0.1:$port
    # moto accepts any credentials; these exist only for the test server.
    export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
    export AWS_EC2_METADATA_DISABLED=true
    step "S3 test server on $SENTINELA_TEST_S3_ENDPOINT"
}

# Installs the loopback SMTP server the alert tests start and stop
# (scripts/smtp_sink.py, on aiosmtpd from PyPI).
ensure_smtp_sink() {
    local venv=$SENTINELA_CACHE/venv-smtp
    ensure_venv "$venv" aiosmtpd "$AIOSMTPD_VERSION" aiosmtpd
    export SENTINELA_TEST_SMTP_SINK="$venv/bin/python $ROOT/scripts/smtp_sink.py"
}

ensure_browser() {
    command -v chromium >/dev/null || apt_install chromium
    # The lock file's digest, stored after a successful install, says whether
    # node_modules is current (npm's own copy, node_modules/.package-lock.json,
    # lacks the lock file's root entry, so the two never compare equal).
    local stamp=$ROOT/end2end/node_modules/.installed-lock.sha256 digest
    digest=$(sha256sum <"$ROOT/end2end/package-lock.json" | cut -d" " -f1)
    if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$digest" ]]; then
        step "installing the end-to-end test packages (npm; no browser download)"
        (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund)
        echo "$digest" >"$stamp"
    fi
}

# The release build (server and WASM) of the end-to-end tests and of every
# benchmark, made one way only: cargo-leptos sets LEPTOS_OUTPUT_NAME, which
# leptos_config reads at compile time, so a build made otherwise (a plain
# `cargo build -p sentinela`) recompiles Leptos and everything above it, and
# the next build this way does it again (about 2.5 minutes each on 2 cores).
# scripts/run's `cargo leptos serve --release --precompress` builds the same
# way. The site's files are compressed once, at build time, with gzip and
# brotli at their best levels (the server sends those files as they are,
# where compressing each answer would use a fast level). Extra arguments go
# to cargo-leptos (`--server-only` when the site is not needed).
build_release() {
    step "release build (cargo leptos build --release --precompress $*)"
    (cd "$ROOT" && cargo leptos build --release --precompress "$@")
}
