#!/usr/bin/env bash
# The demo shop's item index: built by tools/suggest-index from the real UCI Online Retail log, for the
# products of demo/data/catalog.json (built from the same log by tools/demo-catalog/build-catalog.mjs).
# Beside it, the same catalog's index with viewed-next rules from each customer's invoices in time
# (tests/fixtures/suggest/demo-sequence-index.bin): the JS oracle test scores every step of the rules with it.
#   bash tools/suggest-index/build-demo-index.sh TOOL            rewrite both
#   bash tools/suggest-index/build-demo-index.sh TOOL --check    exit 1 unless a rebuild gives the same bytes
# TOOL is the built suggest-index binary (build/native/tools/suggest-index/suggest-index).
# Without the data set (../shared/data/online-retail) it says so and exits 77, which ctest reports as skipped.
set -euo pipefail
tool=${1:?usage: build-demo-index.sh TOOL [--check]}
mode=${2:-write}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
data=${CARTKEEP_ONLINE_RETAIL:-$root/../shared/data/online-retail/onlineretail.csv.gz}
if [[ ! -f $data ]]; then
  echo "SKIPPED: $data is absent: the demo index cannot be rebuilt without the UCI Online Retail log"
  exit 77
fi
scratch=$(mktemp -d "${TMPDIR:-/tmp}/suggest-index.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# build COMMITTED [extra options]: writes COMMITTED, or with --check compares a rebuild with it.
build() {
  local committed=$1 out=$1
  shift
  [[ $mode == --check ]] && out=$scratch/$(basename "$committed")
  # The catalog version label is what demo/config/store.json expects (suggestions.catalogVersion).
  "$tool" build "$data" --preset online-retail --only-catalog "$root/demo/data/catalog.json" \
    --catalog-version hearth-and-twine-1 --source onlineretail.csv.gz --out "$out" --quiet "$@" >/dev/null
  if [[ $mode == --check ]]; then
    if ! cmp -s "$out" "$committed"; then
      echo "${committed#$root/} is out of date: rebuild it with bash tools/suggest-index/build-demo-index.sh $tool"
      exit 1
    fi
    echo "${committed#$root/} is what the tool builds from $data ($(wc -c <"$out") bytes)"
  fi
}
build "$root/demo/data/suggest-index.bin"
build "$root/tests/fixtures/suggest/demo-sequence-index.bin" --sequence-column CustomerID
