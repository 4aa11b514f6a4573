#!/usr/bin/env bash
# Runs the console on the built-in sandbox: builds the app, starts the sandbox and the proxy on
# loopback, prints the address to open, and stops both on Ctrl-C.
#   scripts/demo.sh [--shapes document|document-only|live]
#   CLOUDPANE_SHAPES         the same as --shapes (default document): which reading the sandbox
#                            answers in (crates/sandbox/README.md, "Shapes")
#   CLOUDPANE_DEMO_LISTEN   proxy address (default 127.0.0.1:8080)
#   CLOUDPANE_SANDBOX_LISTEN sandbox address (default 127.0.0.1:9090)
set -euo pipefail
cd "$(dirname "$0")/.."

PROXY_LISTEN=${CLOUDPANE_DEMO_LISTEN:-127.0.0.1:8080}
SANDBOX_LISTEN=${CLOUDPANE_SANDBOX_LISTEN:-127.0.0.1:9090}
SHAPES=${CLOUDPANE_SHAPES:-document}
while [ $# -gt 0 ]; do
  case $1 in
    --shapes) SHAPES=${2:?--shapes needs document, document-only or live}; shift 2 ;;
    --shapes=*) SHAPES=${1#--shapes=}; shift ;;
    *) echo "demo: unknown argument $1 (usage: scripts/demo.sh [--shapes document|document-only|live])" >&2; exit 2 ;;
  esac
done
case $SHAPES in
  document|document-only|live) ;;
  *) echo "demo: shapes must be document, document-only or live, not '$SHAPES'" >&2; exit 2 ;;
esac

scripts/bootstrap.sh
source scripts/env.sh
echo "demo: building the app (release, offline)"
trunk build --release --offline
echo "demo: building the proxy and the sandbox"
cargo build --release --quiet -p cloudpane-proxy -p cloudpane-sandbox

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "demo: stopped"
}
trap cleanup INT TERM EXIT

# Starts a server in the background, waits for its "listening on URL" line and sets $url.
# (Not called in $(...): the server must be a child of this shell so Ctrl-C can stop it.)
start() {
  local log=$1; shift
  "$@" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    if url=$(grep -om1 'listening on http://[^ ]*' "$log"); then
      url=${url#listening on }
      return 0
    fi
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "demo: $1 did not start; its output:" >&2
  cat "$log" >&2
  return 1
}

logs=$(mktemp -d)
start "$logs/sandbox.log" target/release/cloudpane-sandbox --listen "$SANDBOX_LISTEN" --shapes "$SHAPES"
sandbox_url=$url
start "$logs/proxy.log" target/release/cloudpane-proxy \
  --listen "$PROXY_LISTEN" --dist dist --demo --allow-private-upstreams \
  --upstream "voltagepark=$sandbox_url/voltagepark" \
  --upstream "netactuate=$sandbox_url/netactuate" \
  --upstream "octos=$sandbox_url/octos"
proxy_url=$url

echo
echo "  cloudpane demo is running: open $proxy_url"
echo "  (every provider is simulated by the sandbox at $sandbox_url, answering in the $SHAPES shapes; logs in $logs)"
echo "  Press Ctrl-C to stop."
echo
wait -n "${pids[@]}"
