#!/usr/bin/env bash
# Sign-in storm: the release server's memory under 200 parallel clients sending wrong passwords
# (from one address, then from 200), and one honest sign-in's latency during each storm next to
# the same sign-in on the idle server. Usage: bash bench/signin.sh [seconds per storm]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ocop-target}"
cargo build --release -p server --bin server --example bench_signin
mkdir -p bench/out
"$CARGO_TARGET_DIR/release/examples/bench_signin" "$CARGO_TARGET_DIR/release/server" "$(mktemp -d)/signin-bench" "${1:-30}" \
  | tee bench/out/signin.md
