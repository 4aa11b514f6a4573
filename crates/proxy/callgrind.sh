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
# start-up and shutdown cancel out. Then the same for nginx (if installed) with the benchmark's
# configuration, one process (`master_process off`, one worker), stopped with SIGQUIT: the peer's
# user-space cost per request, counted the same way. `NGINX=off` leaves it out.
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

nginx=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
if [ "${NGINX:-}" = off ] || [ -z "$nginx" ]; then
  exit 0
fi
nginx_instructions() { # requests -> total instructions of the nginx process
  local n=$1 port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$work/nginx-$n"
  { echo "master_process off;"; "$bench" --nginx-conf "$work/nginx-$n" "$port" "$upstream" 1; } >"$work/nginx-$n.conf"
  valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.nginx.$n" \
    "$nginx" -c "$work/nginx-$n.conf" -p "$work/nginx-$n" -e "$work/nginx-$n/error.log" 2>"$work/valgrind-nginx-$n.log" &
  local pid=$!
  for _ in $(seq 600); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
  for _ in $(seq "$n"); do echo "url = \"http://127.0.0.1:$port/proxy/octos/1k\""; echo 'output = "/dev/null"'; done >"$work/nginx-urls-$n"
  curl -s -H "Origin: http://127.0.0.1:$port" -K "$work/nginx-urls-$n"
  kill -QUIT "$pid"
  wait "$pid" || true
  sed -n 's/^summary: //p' "$work/callgrind.nginx.$n"
}
few=$(nginx_instructions 100)
many=$(nginx_instructions 1100)
echo "nginx instructions per 1 KiB request (callgrind, same requests): $(( (many - few) / 1000 ))"
[ -z "${KEEP:-}" ] || echo "callgrind files kept in $work"
