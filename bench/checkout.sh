#!/usr/bin/env bash
# Checkout throughput on one hot variant, on SQLite and PostgreSQL, with the stock invariant checked.
# Usage: bash bench/checkout.sh [buyers] [units] [concurrency]   (defaults 2000 1500 32)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ocop-target}"
mkdir -p bench/out
cargo build --release -p server --example bench_checkout
BIN="$CARGO_TARGET_DIR/release/examples/bench_checkout"
PG="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
{
  echo "# Checkout benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
  echo '```'
  RUST_LOG=warn "$BIN" sqlite "$@"
  if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || [ -n "${BENCH_DATABASE_URL:-}" ]; then
    echo
    RUST_LOG=warn "$BIN" "$PG" "$@"
  else
    echo "PostgreSQL: skipped (no server answers)"
  fi
  echo '```'
} | tee bench/out/checkout.md
