#!/usr/bin/env bash
# The programme dashboard at national scale (8,500 producers, 16,000 products, 1,000,000 sales lines)
# on SQLite and PostgreSQL: time per page and export, against the sign-in page in the same run.
# Usage: bash bench/dashboard.sh [producers] [products] [lines] [runs]   (defaults 8500 16000 1000000 5)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ocop-target}"
mkdir -p bench/out
cargo build --release -p server --example bench_dashboard
BIN="$CARGO_TARGET_DIR/release/examples/bench_dashboard"
PG="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
{
  echo "# Dashboard benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
  echo '```'
  RUST_LOG=warn "$BIN" sqlite "$@"
  if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || [ -n "${BENCH_DATABASE_URL:-}" ]; then
    echo
    RUST_LOG=warn "$BIN" "$PG" "$@"
  else
    echo "PostgreSQL: skipped (no server answers)"
  fi
  echo '```'
} | tee bench/out/dashboard.md
