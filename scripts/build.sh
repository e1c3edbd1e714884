#!/usr/bin/env bash
# Builds dist/: the wasm core (Emscripten) and the JS bundles (esbuild), then prints gzip sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"  # Debian's emcc finds acorn there
jobs="$(nproc 2>/dev/null || echo 2)"
mkdir -p build
# Several builds at once (a test run, a developer's rebuild) would corrupt build/wasm: take turns.
exec 9>build/.build.lock
flock 9

# The "wasm" preset (CMakePresets.json): Emscripten's toolchain, MinSizeRel.
cmake --preset wasm >/dev/null
cmake --build --preset wasm -j"$jobs"

node scripts/bundle.mjs
