#!/usr/bin/env bash
# Showroom till benchmark: sale commit latency at the till (p50, p99) next to a status read measured
# in the same run, the time to push 10,000 sales queued while the marketplace was down, and the
# till's memory. Release binaries, SQLite. Usage: bash bench/pos.sh [offline-sales]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ocop-target}"
cargo build --release -p server -p shop-pos
cargo build --release -p shop-pos --example bench_pos
mkdir -p bench/out
"$CARGO_TARGET_DIR/release/examples/bench_pos" "$CARGO_TARGET_DIR/release/server" "$CARGO_TARGET_DIR/release/shop-pos" \
  "$(mktemp -d)/pos-bench" "${1:-10000}" | tee bench/out/pos.md
