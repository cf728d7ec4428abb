#!/usr/bin/env bash
# Load benchmark: starts atlas serve on the real corpus and drives it with wrk.
#   scripts/load.sh [seconds per run, default 10]
# WRK_THREADS=2 runs wrk with two threads; PIN=1 runs the server on core 0 alone (GOMAXPROCS=1)
# and wrk on core 1, as a load generator on a second host would be.
# Prints one Markdown table row per run: throughput, p50, p99, errors; then RSS and start time.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
if ! command -v wrk >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq wrk >/dev/null
fi
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
go build -o "$WORK/atlas" ./cmd/atlas
# Enough distinct cold searches that none is requested twice at up to 40,000 requests a second.
go run ./scripts/loadpaths -content content -out "$WORK" -cold $((DUR * 40000)) 2>/dev/null
PORT=18080
URL="http://127.0.0.1:$PORT"
SERVER_CPU=(); WRK_CPU=()
if [ -n "${PIN:-}" ]; then
  SERVER_CPU=(env GOMAXPROCS=1 taskset -c 0); WRK_CPU=(taskset -c 1)
fi
serve() { "${SERVER_CPU[@]}" "$WORK/atlas" serve --addr 127.0.0.1:$PORT --index "$WORK/index/atlas.bleve" --rate-limit 0 >"$WORK/serve.log" 2>&1 & PID=$!; }
wait_ready() { for _ in $(seq 1 2000); do curl -fs "$URL/readyz" >/dev/null 2>&1 && return 0; sleep 0.005; done; return 1; }

# First start builds the index; the second opens it. Time the second: process start to ready.
serve; wait_ready; kill $PID; wait $PID 2>/dev/null || true
start=$(date +%s.%N); serve; wait_ready; ready=$(date +%s.%N)
START_MS=$(echo "($ready - $start) * 1000" | bc -l | xargs printf '%.0f')

# One wrk thread: it drives 64 connections with CPU to spare, and a second thread only adds a
# runnable thread on the two cores the server uses, whose run-queue waits then show up in the
# p99 as if they were the server's (cold p99 about 21 ms with -t2 against about 9 ms with -t1).
WRK_THREADS=${WRK_THREADS:-1}
run() { # name connections paths-file mode
  local out
  out=$(PATHS="$3" MODE="$4" THREADS=$WRK_THREADS "${WRK_CPU[@]}" wrk -t"$WRK_THREADS" -c"$2" -d"${DUR}s" --latency -s scripts/paths.lua "$URL/" 2>&1)
  local rps p50 p99 errs non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errs=$(echo "$out" | awk '/Socket errors/ {print $0}' | sed 's/.*errors: //')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  repeated=$(echo "$out" | grep -o 'cold paths repeated.*' || true)
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$rps" "$p50" "$p99" "${non2xx:-0} non-2xx${errs:+; $errs}${repeated:+; $repeated}"
}
echo "/healthz" > "$WORK/healthz.txt"
echo "| run | connections | requests/s | p50 | p99 | errors |"
echo "| --- | --- | --- | --- | --- | --- |"
run "/healthz (ceiling)" 64 "$WORK/healthz.txt" repeat
run "hot /api/search" 64 "$WORK/api-hot.txt" repeat
run "hot /search and /docs pages" 64 "$WORK/pages-hot.txt" repeat
run "cold /api/search (all distinct)" 16 "$WORK/cold.txt" once
RSS=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
echo
echo "peak RSS of the server: $((RSS / 1024)) MB; start with an existing index to ready: ${START_MS} ms"
echo "entries: $(curl -fs "$URL/readyz")"
