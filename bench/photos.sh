#!/usr/bin/env bash
# Photo pipeline throughput and peak memory for 12-megapixel JPEGs, against decoding alone.
# Usage: bash bench/photos.sh [photos]   (default 8)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ocop-target}"
mkdir -p bench/out
cargo build --release -p server --example bench_photos
BIN="$CARGO_TARGET_DIR/release/examples/bench_photos"
N="${1:-8}"
{
  echo "# Photo pipeline benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
  echo '```'
  "$BIN" decode "$N" 1
  "$BIN" pipeline "$N" 1
  "$BIN" pipeline "$N" 2
  echo '```'
} | tee bench/out/photos.md
