#!/usr/bin/env bash
# Benchmarks in one run, each figure next to a baseline measured in the same run:
#  - the catalogue page against /__bench/baseline, which serves the same HTML bytes from memory;
#  - search (JSON API, a rotating query set) latency and throughput;
#  - both at province scale (the real 63-product catalogue) and at national scale (16,000 generated
#    products from 8,500 producers), with the server's memory: peak, resident after the load (split into
#    heap and mapped files, the binary's code among them) and resident 15 s later.
# Usage: bash bench/run.sh   (BENCH_SECONDS=10, BENCH_CONNECTIONS=16 by default). Results: bench/out/results.md
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ocop-target}"
SECS="${BENCH_SECONDS:-10}"
CONN="${BENCH_CONNECTIONS:-16}"
OUT=bench/out
mkdir -p "$OUT"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cargo build --release -p server --bins
BIN="$CARGO_TARGET_DIR/release/server"
GEN="$CARGO_TARGET_DIR/release/ocop-gen"
PORT=3199
PID=""

start() { # data-dir [baseline-html]
  local env=(BIND_ADDR="127.0.0.1:$PORT" DATA_DIR="$1" SEED="${SEED:-1}" PAGE_CACHE="${PAGE_CACHE:-1}"
    OCOP_TODAY=2026-11-28 RUST_LOG=warn DATABASE_URL=)
  [ -n "${2:-}" ] && env+=(BENCH_BASELINE_HTML="$2")
  env "${env[@]}" "$BIN" >"$OUT/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "server did not start"; cat "$OUT/server.log"; exit 1
}
stop() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
trap stop EXIT

# wrk's figures for one URL (or Lua script): "requests/s p50 p99"
load() { # label path-or-script; CONN=n for another number of connections
  local args=(-t2 -c"$CONN" -d"${SECS}s" --latency)
  # One request first, so the figures are the steady state rather than a cold start.
  [[ "$2" == *.lua ]] || curl -fs "http://127.0.0.1:$PORT$2" >/dev/null
  if [[ "$2" == *.lua ]]; then args+=(-s "$2" "http://127.0.0.1:$PORT"); else args+=("http://127.0.0.1:$PORT$2"); fi
  wrk "${args[@]}" >"$OUT/wrk-$1.txt"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$OUT/wrk-$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/wrk-$1.txt")
  errors=$(awk '/Non-2xx/ {print $NF}' "$OUT/wrk-$1.txt")
  echo "$1 $rps $p50 $p99 ${errors:-0}"
}

scale() { # name data-dir
  local name="$1" dir="$2"
  start "$dir"
  curl -fs "http://127.0.0.1:$PORT/products" -o "$OUT/$name-catalog.html"
  stop
  start "$dir" "$OUT/$name-catalog.html"
  curl -fs "http://127.0.0.1:$PORT/__bench/baseline" | cmp -s - "$OUT/$name-catalog.html" || { echo "baseline bytes differ"; exit 1; }
  load "$name-baseline" /__bench/baseline
  load "$name-catalog" /products
  load "$name-search" bench/search.lua
  CONN=4 load "$name-search@c4" bench/search.lua
  grep -E 'VmHWM|VmRSS|RssAnon|RssFile' "/proc/$PID/status" | awk -v n="$name" '{print n"-"$1" "$2" "$3}'
  # And once the server has rested: what it keeps, rather than what the load had in flight.
  sleep 15
  grep -E 'VmRSS' "/proc/$PID/status" | awk -v n="$name" '{print n"-rested-"$1" "$2" "$3}'
  stop
  # The same page rendered on every request: what a cache miss costs.
  PAGE_CACHE=0 start "$dir"
  load "$name-render" /products
  stop
}

{
  echo "# run $(date -u +%FT%TZ) on $(nproc) cores, wrk -t2 -c$CONN -d${SECS}s"
  rm -rf "$OUT/province" && scale province "$OUT/province"
  rm -rf "$OUT/national" && mkdir -p "$OUT/national"
  DATA_DIR="$OUT/national" DATABASE_URL= "$GEN" 16000 8500
  SEED=0 scale national "$OUT/national"
} | tee "$OUT/raw.txt"

python3 - "$OUT/raw.txt" >"$OUT/results.md" <<'PY'
import sys
rows, mem = {}, {}
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) == 5 and p[0].count('-') == 1 and not p[0].startswith('#'):
        rows[p[0]] = p[1:]
    elif len(p) >= 2 and any(k in p[0] for k in ('VmHWM', 'VmRSS', 'RssAnon', 'RssFile')):
        mem[p[0].rstrip(':')] = int(p[1]) // 1024
print(open(sys.argv[1]).readline().strip())
print("| scale | route | req/s | p50 | p99 | non-2xx |\n|---|---|---|---|---|---|")
for k, (rps, p50, p99, err) in rows.items():
    s, r = k.split('-')
    print(f"| {s} | {r} | {float(rps):.0f} | {p50} | {p99} | {err} |")
print()
for s in ("province", "national"):
    base = float(rows[f"{s}-baseline"][0])
    for route, what in (("catalog", "served (page cache)"), ("render", "rendered every time (PAGE_CACHE=0)")):
        if f"{s}-{route}" in rows:
            print(f"- {s}: catalogue page {what} = {float(rows[f'{s}-{route}'][0]) / base:.1%} of the baseline's throughput (target ≥ 25%)")
for k, v in mem.items():
    print(f"{k}: {v} MiB")
PY
cat "$OUT/results.md"
