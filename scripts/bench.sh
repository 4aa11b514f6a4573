#!/usr/bin/env bash
# Prints every figure of the console against its baseline, measured in the same run (a
# measurement, not a test; the machines are shared and noisy, so compare ratios):
# the first load's bytes against the budget, time to data against a static page of the same
# rows, a 5,000-machine table's first render and keystroke latency against one frame, and the
# proxy against direct and nginx (crates/proxy/examples/bench.rs; nginx from Debian's packages,
# left out with a note if it is not installed). Loopback only; every part stops by itself.
#
#   scripts/bench.sh                 # BENCH_LOADS=7 page loads per median, BENCH_SECS=5 per proxy round
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
source scripts/env.sh
echo "bench: building the app (release, offline), the proxy and the sandbox (release)" >&2
trunk build --release --offline >&2
cargo build --release --quiet -p cloudpane-proxy -p cloudpane-sandbox
cargo build --release --quiet -p cloudpane-proxy --example bench
cargo build --release --quiet -p cloudpane-e2e --example console_bench
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')

echo "bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
CLOUDPANE_DIST="$PWD/dist" \
CLOUDPANE_PROXY_BIN="$target_dir/release/cloudpane-proxy" \
CLOUDPANE_SANDBOX_BIN="$target_dir/release/cloudpane-sandbox" \
CHROMEDRIVER=$(command -v chromedriver) \
BENCH_PROXY="$target_dir/release/examples/bench" \
  "$target_dir/release/examples/console_bench"
