#!/usr/bin/env bash
# Builds bench/compile_bench.cpp against src/core (g++ -O2, as the extension is built) and runs
# it on data/: the median compile time per shipped release, find_gaps over a 20,000-person
# panel, score() per person and the validation of an image.
#     bench/compile_bench.sh [RUNS]              the working tree
#     BEFORE=<git rev> bench/compile_bench.sh    also <rev>'s src/core, the two binaries run in
#                                                turns (3 rounds), so that their ratio is
#                                                measured in one run on a noisy machine
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
build() {  # build <core dir> <binary>
  g++ -std=c++20 -O2 -I"$1" bench/compile_bench.cpp "$1"/*.cpp -o "$2"
}
build src/core "$out/after"
if [ -z "${BEFORE:-}" ]; then
  "$out/after" data "$runs"
  exit 0
fi
mkdir -p "$out/before-core"
git archive "$BEFORE" src/core | tar -x -C "$out/before-core"
build "$out/before-core/src/core" "$out/before"
for round in 1 2 3; do
  for which in before after; do
    echo "== round $round: $which"
    "$out/$which" data "$runs"
  done
done
