#!/usr/bin/env bash
# Builds the app's wasm and its loader into Trunk's staging directory. Trunk runs this as its
# post_build hook (Trunk.toml); Trunk itself only does index.html, the CSS and the favicon (the
# `rel="rust"` link in index.html has `data-trunk-skip`).
#
# Release (`trunk build --release`): code splitting. The pages off the first screen are split
# points (`--cfg cloudpane_split`, src/app.rs), so the app's first load is only the main module:
#   1. cargo builds the wasm with its relocations kept (`--emit-relocs`), which wasm-split needs;
#   2. wasm-split-cli (crate wasm_split_cli_support, scripts/bootstrap.sh installs it) cuts it into
#      the main module, one chunk per split point (`split_<name>.wasm`), chunks of code shared by
#      several split points (`chunk_<n>.wasm`) and `__wasm_split.js`, which fetches a chunk on
#      first use and links it to the main module's memory, table and functions;
#   3. wasm-bindgen makes the main module's JS glue, which imports `__wasm_split.js` (and that
#      imports the glue's `initSync` back: `--out-name cloudpane` names it);
#   4. wasm-opt -Oz on the main module and on every chunk;
#   5. content-hashed names, so the proxy can cache them forever: chunks go to `chunks/` (named
#      by their own hash), the glue, the main wasm and `__wasm_split.js` share one hash of all
#      three (the two scripts import each other, so neither can be named by its own hash alone);
#   6. terser on the glue and `__wasm_split.js` (tools/minify, scripts/bootstrap.sh installs it);
#   7. the `<script type="module">` that starts the app, written into index.html.
# Debug (`trunk serve`, `trunk build`): no splitting; a dev build, wasm-bindgen, same loader.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/env.sh

staging=${TRUNK_STAGING_DIR:?"run by Trunk as a hook (see Trunk.toml), not by hand"}
profile=${TRUNK_PROFILE:-debug}
public_url=${TRUNK_PUBLIC_URL:-./}
name=cloudpane
target=wasm32-unknown-unknown
target_dir=${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')}
work="$target_dir/wasm-split/$profile"

say() { printf 'build-wasm: %s\n' "$*" >&2; }
need() {
  command -v "$1" >/dev/null || { say "$1 not found: run scripts/bootstrap.sh"; exit 1; }
}
hash16() { cat "$@" | sha256sum | cut -c1-16; }
# A chunk's name carries 10 hex digits of its hash (40 bits: plenty to tell two builds of one
# chunk apart): `__wasm_split.js`, on the first load, lists all ~250 chunks by name.
hash10() { cat "$@" | sha256sum | cut -c1-10; }

need wasm-bindgen
rm -rf "$work"
mkdir -p "$work/bindgen"

if [ "$profile" = release ]; then
  need wasm-split-cli
  need wasm-opt
  # Debian's binaryen (108) produces a wasm that fails at start.
  case "$(wasm-opt --version)" in
    *"version 132"*) ;;
    *) say "wasm-opt must be binaryen 132, found: $(wasm-opt --version) (run scripts/bootstrap.sh)"; exit 1 ;;
  esac
  say "cargo build (wasm-release, split points on)"
  # The flags add to `.cargo/config.toml`'s (`--config` arrays are merged, RUSTFLAGS would
  # replace them).
  cargo build --bin "$name" --target "$target" --profile wasm-release --locked \
    --config "target.$target.rustflags=[\"--cfg\",\"cloudpane_split\",\"-Clink-arg=--emit-relocs\"]"
  say "wasm-split"
  wasm-split-cli "$target_dir/$target/wasm-release/$name.wasm" "$work/split" --out-name "$name"
  say "wasm-bindgen"
  # --keep-lld-exports: the chunks import the main module's table, stack pointer and the
  # functions they share with it through its exports, which wasm-bindgen would otherwise drop.
  wasm-bindgen --target web --no-typescript --keep-lld-exports \
    --out-dir "$work/bindgen" --out-name "$name" "$work/split/$name.wasm"
  cp "$work/split/__wasm_split.js" "$work/bindgen/"
  say "wasm-opt -Oz"
  # (The chunks' name sections have a subsection binaryen does not know: it warns and drops it.)
  opt() { wasm-opt -Oz "$1" -o "$2" 2> >(grep -v 'unknown name subsection' >&2); }
  opt "$work/bindgen/${name}_bg.wasm" "$work/bindgen/${name}_bg.wasm"
  mkdir -p "$work/bindgen/chunks"
  for chunk in "$work"/split/split_*.wasm "$work"/split/chunk_*.wasm; do
    [ -e "$chunk" ] || continue
    opt "$chunk" "$work/bindgen/chunks/$(basename "$chunk")"
  done
else
  say "cargo build (dev, no splitting)"
  cargo build --bin "$name" --target "$target"
  wasm-bindgen --target web --no-typescript \
    --out-dir "$work/bindgen" --out-name "$name" "$target_dir/$target/debug/$name.wasm"
fi

# Hashed names. Chunks first: `__wasm_split.js` names them.
out="$work/bindgen"
split_js=""
if [ -e "$out/__wasm_split.js" ]; then
  split_js="$out/__wasm_split.js"
  mkdir -p "$staging/chunks"
  for chunk in "$out"/chunks/*.wasm; do
    [ -e "$chunk" ] || continue
    base=$(basename "$chunk" .wasm)
    hashed="$base-$(hash10 "$chunk").wasm"
    cp "$chunk" "$staging/chunks/$hashed"
    sed -i "s#\"\./$base\.wasm\"#\"./chunks/$hashed\"#" "$split_js"
  done
  if grep -qE '"\./(split|chunk)_[^"]*\.wasm"' "$split_js"; then
    say "a chunk named in __wasm_split.js was not renamed:"
    grep -oE '"\./(split|chunk)_[^"]*\.wasm"' "$split_js" >&2
    exit 1
  fi
fi
hash=$(hash16 "$out/$name.js" "$out/${name}_bg.wasm" $split_js)
js="$name-$hash.js"
wasm="$name-${hash}_bg.wasm"
cp "$out/${name}_bg.wasm" "$staging/$wasm"
if [ -n "$split_js" ]; then
  split_name="__wasm_split-$hash.js"
  grep -q "^import .*['\"]\./__wasm_split\.js['\"]" "$out/$name.js" \
    || { say "the glue does not import ./__wasm_split.js as expected"; exit 1; }
  # Only the `import` statements: the wasm's import object still names "./__wasm_split.js".
  sed -e "/^import /s#\(['\"]\)\./__wasm_split\.js\1#\1./$split_name\1#" "$out/$name.js" \
    >"$staging/$js"
  grep -q "^import .*\"\./$name\.js\"" "$split_js" \
    || { say "__wasm_split.js does not import ./$name.js as expected"; exit 1; }
  sed -e "/^import /s#\"\./$name\.js\"#\"./$js\"#" "$split_js" >"$staging/$split_name"
else
  cp "$out/$name.js" "$staging/$js"
fi

# The release build's JS minified (terser; tools/minify): the glue and the split loader are on
# the first load, and this takes about 3.5 KB off it, gzipped. Module specifiers and the import
# object's string keys are kept as they are.
if [ -n "$split_js" ]; then
  say "terser"
  for f in "$staging/$js" "$staging/$split_name"; do
    terser "$f" --module --compress --mangle -o "$f.min"
    mv "$f.min" "$f"
  done
fi

# The loader, in place of Trunk's (same shape: the proxy allows this inline script by its hash).
html="$staging/index.html"
loader="<script type=\"module\">
import init from '$public_url$js';
await init({ module_or_path: '$public_url$wasm' });
dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\"));
</script>
<link rel=\"modulepreload\" href=\"$public_url$js\">"
if [ -n "$split_js" ]; then
  loader="$loader
<link rel=\"modulepreload\" href=\"$public_url$split_name\">"
fi
loader="$loader
<link rel=\"preload\" href=\"$public_url$wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin=\"anonymous\">"
# It takes the place of the (skipped) `rel="rust"` link tag; the release build's index.html is
# minified onto one line, so only the tag is replaced.
grep -q '<link[^>]*data-trunk-skip' "$html" || { say "no data-trunk-skip link in $html"; exit 1; }
LOADER="$loader" perl -0pi -e 's/<link[^>]*data-trunk-skip[^>]*>/$ENV{LOADER}/' "$html"
grep -q 'data-trunk-skip' "$html" && { say "the data-trunk-skip link is still in $html"; exit 1; }
say "wrote $js, $wasm${split_js:+, $split_name and $(ls "$staging/chunks" | wc -l) chunks}"
