#!/usr/bin/env bash
# Instructions the proxy spends per proxied 1 KiB request, counted with callgrind: repeatable
# on a noisy shared machine, where wall-clock figures are not. Loopback only, bounded.
#
#   crates/proxy/callgrind.sh            # builds the benchmark example (release) first
#   KEEP=1 crates/proxy/callgrind.sh     # keeps the callgrind output files for callgrind_annotate
#
# It starts the benchmark's upstream, runs the benchmark's proxy child (the proxy exactly as the
# binary runs it, access log on) under `valgrind --tool=callgrind` twice, sends 100 and then
# 1,100 keep-alive requests for `/proxy/octos/1k` with the proxy's own origin as Origin, as the benchmark sends it (one curl, one
# connection), stops it with SIGTERM, and prints (total for 1,100 − total for 100) / 1,000, so
# start-up and shutdown cancel out.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }

cargo build --quiet --release -p cloudpane-proxy --example bench
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
bench="$target_dir/release/examples/bench"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

"$bench" --upstream-child >"$work/upstream.out" 2>/dev/null &
for _ in $(seq 100); do grep -q listening "$work/upstream.out" 2>/dev/null && break; sleep 0.1; done
upstream=$(awk '{print $NF}' "$work/upstream.out")

instructions() { # requests -> total instructions of the proxy process
  local n=$1 out="$work/proxy-$1.out"
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.$n" \
    "$bench" --proxy-child --listen 127.0.0.1:0 --allow-private-upstreams \
    --upstream "octos=$upstream" >"$out" 2>"$work/valgrind-$n.log" &
  local pid=$!
  for _ in $(seq 600); do grep -q listening "$out" 2>/dev/null && break; sleep 0.1; done
  local proxy
  proxy=$(awk '{print $NF}' "$out")
  for _ in $(seq "$n"); do echo "url = \"$proxy/proxy/octos/1k\""; echo 'output = "/dev/null"'; done >"$work/urls-$n"
  curl -s -H "Origin: $proxy" -K "$work/urls-$n"
  kill -TERM "$pid"
  wait "$pid" || true
  sed -n 's/^summary: //p' "$work/callgrind.$n"
}

few=$(instructions 100)
many=$(instructions 1100)
echo "proxy instructions per 1 KiB request (callgrind): $(( (many - few) / 1000 ))"
[ -z "${KEEP:-}" ] || echo "callgrind files kept in $work"
