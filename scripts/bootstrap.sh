#!/usr/bin/env bash
# Installs what building and testing cloudpane needs on a fresh Debian 12 machine, skipping
# whatever is already present at the right version. Safe to run repeatedly.
# See ../shared/TOOLCHAIN.md for why each version is what it is.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# Splits the release wasm into a main module and chunks loaded on first use (scripts/build-wasm.sh).
WASM_SPLIT_VERSION=0.2.4
# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)

say() { printf '\033[1mbootstrap:\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages: the browser and its driver, Node.js for wasm-opt (below), nginx and openssl
# for the end-to-end test through a TLS terminator (crates/e2e/tests/behind_tls.rs), and Python's
# venv for kubernetes-validate (below).
missing_pkgs=()
command -v nginx >/dev/null || missing_pkgs+=(nginx)
command -v openssl >/dev/null || missing_pkgs+=(openssl)
python3 -c 'import ensurepip, venv' 2>/dev/null || missing_pkgs+=(python3-venv)
command -v npm >/dev/null || missing_pkgs+=(nodejs npm)
command -v chromium >/dev/null || missing_pkgs+=(chromium)
command -v chromedriver >/dev/null || missing_pkgs+=(chromium-driver)
if [ ${#missing_pkgs[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing_pkgs[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_pkgs[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (takes ~14 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes ~7 minutes on 2 cores)"
  # --locked fails: one of its locked dependency versions is not on the registry any more.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# wasm-split-cli prints no version: cargo's install list says which one is installed.
if ! command -v wasm-split-cli >/dev/null \
    || ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (takes ~1 minute on 2 cores)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --locked \
    --features build-binary --force
fi

# wasm-opt, which scripts/build-wasm.sh runs on the release build, comes from the npm registry's binaryen
# (see tools/wasm-opt/package.json for why not Debian's). scripts/env.sh puts it first on PATH.
if [ ! -x tools/wasm-opt/node_modules/.bin/wasm-opt ]; then
  say "installing wasm-opt (binaryen from the npm registry)"
  npm install --prefix tools/wasm-opt --no-audit --no-fund --silent
fi

# terser, which scripts/build-wasm.sh runs on the release build's JS (tools/minify/package.json).
if [ ! -x tools/minify/node_modules/.bin/terser ]; then
  say "installing terser (npm registry)"
  npm install --prefix tools/minify --no-audit --no-fund --silent
fi

# axe-core, for the end-to-end accessibility check.
if [ ! -f tools/axe/node_modules/axe-core/axe.min.js ]; then
  say "installing axe-core (npm registry)"
  npm install --prefix tools/axe --no-audit --no-fund --silent
fi

# kubernetes-validate (PyPI), for the Kubernetes manifests in deploy/ (scripts/check-deploy.sh),
# in its own virtual environment.
KUBERNETES_VALIDATE_VERSION=1.37.0
if [ "$(tools/k8s-validate/venv/bin/kubernetes-validate --version 2>/dev/null || true)" \
    != "$KUBERNETES_VALIDATE_VERSION" ]; then
  say "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION (PyPI)"
  python3 -m venv tools/k8s-validate/venv
  tools/k8s-validate/venv/bin/pip install --quiet "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
fi

if [ -f Cargo.toml ]; then
  say "fetching crates"
  cargo fetch --quiet
fi
say "ready"
