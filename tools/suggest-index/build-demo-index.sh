#!/usr/bin/env bash
# The demo shop's item index: built by tools/suggest-index from the real UCI Online Retail log, for the
# products of demo/data/catalog.json (built from the same log by tools/demo-catalog/build-catalog.mjs).
#   bash tools/suggest-index/build-demo-index.sh TOOL            rewrite demo/data/suggest-index.bin
#   bash tools/suggest-index/build-demo-index.sh TOOL --check    exit 1 unless a rebuild gives the same bytes
# TOOL is the built suggest-index binary (build/native/tools/suggest-index/suggest-index).
# Without the data set (../shared/data/online-retail) it says so and exits 77, which ctest reports as skipped.
set -euo pipefail
tool=${1:?usage: build-demo-index.sh TOOL [--check]}
mode=${2:-write}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
data=${CARTKEEP_ONLINE_RETAIL:-$root/../shared/data/online-retail/onlineretail.csv.gz}
committed=$root/demo/data/suggest-index.bin
if [[ ! -f $data ]]; then
  echo "SKIPPED: $data is absent: the demo index cannot be rebuilt without the UCI Online Retail log"
  exit 77
fi
out=$committed
if [[ $mode == --check ]]; then
  out=$(mktemp "${TMPDIR:-/tmp}/suggest-index.XXXXXX")
  trap 'rm -f "$out"' EXIT
fi
# The catalog version label is what demo/config/store.json expects (suggestions.catalogVersion).
"$tool" build "$data" --preset online-retail --only-catalog "$root/demo/data/catalog.json" \
  --catalog-version hearth-and-twine-1 --source onlineretail.csv.gz --out "$out" --quiet
if [[ $mode == --check ]]; then
  if ! cmp -s "$out" "$committed"; then
    echo "demo/data/suggest-index.bin is out of date: rebuild it with bash tools/suggest-index/build-demo-index.sh $tool"
    exit 1
  fi
  echo "demo/data/suggest-index.bin is what the tool builds from $data ($(wc -c <"$out") bytes)"
fi
