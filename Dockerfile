# syntax=docker/dockerfile:1.7
#
# Sentinela server image: the `sentinela` binary (Axum + Leptos SSR) and the
# site it serves (WASM, JS, CSS, assets).
#
#   docker build -t sentinela:$(git rev-parse --short HEAD) .
#
# Tool versions follow scripts/ and the workspace: cargo-leptos 0.3.10 (0.3.11
# needs rustc 1.96), wasm-bindgen-cli exactly the wasm-bindgen of Cargo.toml,
# wasm-opt from npm binaryen 123 (Debian's binaryen 108 breaks hydration).

# ---------------------------------------------------------------- wasm-opt
# Node.js 20 (the version the builds were tested with) and npm binaryen;
# node and the package are copied into the builder below.
FROM node:20-bookworm-slim AS binaryen
WORKDIR /opt/binaryen
RUN npm install --no-audit --no-fund --omit=dev binaryen@123.0.0 \
    && node_modules/.bin/wasm-opt --version

# ---------------------------------------------------------------- builder
FROM rust:1.95-bookworm AS builder

COPY --from=binaryen /usr/local/bin/node /usr/local/bin/node
COPY --from=binaryen /opt/binaryen /opt/binaryen
ENV PATH=/opt/binaryen/node_modules/.bin:$PATH

# The build tools, in their own layers so that source changes reuse them.
RUN rustup target add wasm32-unknown-unknown
RUN cargo install cargo-leptos --version 0.3.10 --locked \
    && cargo install wasm-bindgen-cli --version 0.2.129 --locked

# CA bundle of Amazon RDS, so that DATABASE_URL can use
# sslmode=verify-full&sslrootcert=/etc/ssl/certs/rds-global-bundle.pem.
RUN mkdir -p /out \
    && curl --fail --silent --show-error --location --proto '=https' --tlsv1.2 \
        --output /out/rds-global-bundle.pem \
        https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem \
    && grep -q 'BEGIN CERTIFICATE' /out/rds-global-bundle.pem

WORKDIR /src
COPY . .

# Registry and target folder in BuildKit caches; the results are copied out
# in the same step, since cache mounts are not part of the image.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo leptos build --release --precompress \
    && cp target/release/sentinela target/release/hash.txt /out/ \
    && cp -r target/site /out/site

# ---------------------------------------------------------------- runtime
FROM debian:bookworm-slim AS runtime

# DejaVu Sans writes the text of the alert e-mails' charts (resvg reads the
# system's fonts; without one the charts are drawn without text).
RUN apt-get update \
    && apt-get install --yes --no-install-recommends ca-certificates fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 sentinela \
    && useradd --system --uid 10001 --gid sentinela --home-dir /app \
        --no-create-home --shell /usr/sbin/nologin sentinela

WORKDIR /app
# hash.txt beside the binary: the site's file names (hashed by content).
COPY --from=builder /out/sentinela /out/hash.txt /app/
COPY --from=builder /out/site /app/site
COPY --from=builder /out/rds-global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem

# The data folder (embedded store and local lake when no database or bucket
# is configured; scratch space otherwise). In ECS the root file system is
# read-only: /app/var and /tmp are task volumes, and the VOLUME line is what
# makes Fargate give them this image's owner and modes (sentinela, 1777).
RUN mkdir -p /app/var && chown sentinela:sentinela /app/var
VOLUME ["/app/var", "/tmp"]

ENV LEPTOS_OUTPUT_NAME=sentinela \
    LEPTOS_SITE_ROOT=site \
    LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_HASH_FILES=true \
    LEPTOS_SITE_ADDR=0.0.0.0:3000 \
    LEPTOS_ENV=PROD \
    SENTINELA_DATA_DIR=/app/var

USER 10001:10001
EXPOSE 3000

# No curl in the slim image: bash's /dev/tcp asks /healthz (process up).
# ECS does not use this: the load balancer checks /readyz (store and lake).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/3000 && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

ENTRYPOINT ["/app/sentinela"]
