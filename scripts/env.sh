# Sourced by the scripts: puts the project's tools first on PATH.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/tools/wasm-opt/node_modules/.bin:$root/tools/minify/node_modules/.bin:$HOME/.cargo/bin:$PATH"
