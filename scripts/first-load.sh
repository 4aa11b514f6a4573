#!/usr/bin/env bash
# The first-load budget: the bytes a browser fetches before the console's first screen can run
# (dist/index.html, the main wasm module, its JS glue, __wasm_split.js and the CSS), each
# gzipped at level 9 as the proxy serves them, against 350 KB (350,000 B). Prints the figure and
# its parts; fails when the sum passes the budget. The chunks in dist/chunks/ are left out: a
# page's chunks are fetched when it is first visited (the note in the README says which widgets
# of the first screen come just after it).
#
#   scripts/first-load.sh [DIST]        # DIST defaults to ./dist (build it with trunk first)
set -euo pipefail
dist=${1:-dist}
budget=350000
total=0
parts=()
shopt -s nullglob
files=("$dist"/index.html "$dist"/*.wasm "$dist"/*.js "$dist"/*.css)
[ ${#files[@]} -ge 4 ] || { echo "first load: no built app in $dist (run trunk build --release --offline)" >&2; exit 1; }
for f in "${files[@]}"; do
  bytes=$(gzip -9c "$f" | wc -c)
  total=$((total + bytes))
  parts+=("$(basename "$f") $bytes")
done
echo "first load: $total B gzipped of $budget B budget ($((budget - total)) B left)"
printf '  %s\n' "${parts[@]}"
if [ "$total" -gt "$budget" ]; then
  echo "first load over budget by $((total - budget)) B: move code off the first screen (a split point in src/app.rs) rather than raising the budget" >&2
  exit 1
fi
