#!/usr/bin/env bash
# Runs every test of the workspace: formatting and lints, the native tests of the crates, the
# app's browser tests in headless Chromium, and the end-to-end test (real proxy and sandbox
# binaries, the release app, headless Chromium), with the first-load budget checked on the release
# build (scripts/first-load.sh: fails past 350 KB gzipped).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
source scripts/env.sh
# A clean checkout gains nothing from incremental caches, and they take gigabytes of disk.
export CARGO_INCREMENTAL=0
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "native tests: api, proxy, sandbox"
cargo test --quiet -p cloudpane-api -p cloudpane-proxy -p cloudpane-sandbox

step "browser tests of the app (wasm-bindgen-test, headless Chromium)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
CHROMEDRIVER=$(command -v chromedriver) \
  cargo test --target wasm32-unknown-unknown -p cloudpane

step "end to end: proxy + sandbox binaries + release app in headless Chromium"
trunk build --release --offline
cargo build --quiet -p cloudpane-proxy -p cloudpane-sandbox
scripts/first-load.sh dist

step "deployment files: systemd unit, Kubernetes manifests, nginx and Caddy configurations"
scripts/check-deploy.sh target/debug/cloudpane-proxy

CLOUDPANE_DIST="$PWD/dist" \
CLOUDPANE_PROXY_BIN="$PWD/target/debug/cloudpane-proxy" \
CLOUDPANE_SANDBOX_BIN="$PWD/target/debug/cloudpane-sandbox" \
  cargo test --quiet -p cloudpane-e2e

step "all tests passed"
