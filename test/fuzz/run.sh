#!/usr/bin/env bash
# Builds the libFuzzer harnesses (build-fuzz/, clang) and runs each for SECONDS seconds, one after
# another (the CI machine has 2 cores), on a COPY of its checked-in corpus in a temporary
# directory: CI never writes into the repository. Prints one line per harness
#   fuzz <name>: <execs> executions, cov <n>, ft <n>, <crashes> crashes
# and, for a finding, the reproducer path, the report and the command that replays it.
# Exits non-zero when any harness found a crash, leak, timeout, OOM or violated property.
#
#   test/fuzz/run.sh 60                         every harness, 60 s each
#   HCCRAF_FUZZ_ONLY="fuzz_icd fuzz_csv" test/fuzz/run.sh 30
#   HCCRAF_FUZZ_MERGE=1 test/fuzz/run.sh 600    also merge what was found back into
#                                               test/fuzz/corpus (after a long run; see README)
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
secs=${1:?usage: test/fuzz/run.sh SECONDS}
build=build-fuzz
work=$(mktemp -d "${TMPDIR:-/tmp}/hccraf-fuzz.XXXXXX")
echo "fuzz: work directory $work (corpus copies, logs, crash artifacts; removed when all pass)"

if ! { CC=clang CXX=clang++ cmake -S . -B "$build" -DHCCRAF_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo &&
       cmake --build "$build" -j2; } > "$work/build.log" 2>&1; then
  tail -n 40 "$work/build.log"
  echo "fuzz: build failed (log: $work/build.log)"
  exit 1
fi

harnesses=${HCCRAF_FUZZ_ONLY:-$(ls test/fuzz/fuzz_*.cpp | xargs -n1 basename | sed 's/\.cpp$//')}
# -malloc_limit_mb: a single allocation above 512 MB is a finding ("sized before validated").
# UBSan reports abort (-fno-sanitize-recover=all); print its stack too.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
failed=0
for h in $harnesses; do
  dir="$work/$h"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp test/fuzz/corpus/"$h"/* "$dir/corpus/" 2>/dev/null
  "$build/test/fuzz/$h" "$dir/corpus" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=512 -print_final_stats=1 -artifact_prefix="$dir/artifacts/" > "$dir/log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
  status=$(grep -E '^#[0-9]+' "$dir/log" | grep -E 'cov: ' | tail -n 1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$status")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$status")
  crashes=$(find "$dir/artifacts" -type f | wc -l)
  [ $rc -ne 0 ] && [ "$crashes" -eq 0 ] && crashes=1  # died without an artifact: still a failure
  echo "fuzz $h: ${execs:-0} executions, cov ${cov:-0}, ft ${ft:-0}, $crashes crashes"
  if [ "$crashes" -ne 0 ]; then
    failed=$((failed + 1))
    for a in "$dir"/artifacts/*; do
      [ -f "$a" ] || continue
      echo "  reproducer: $a"
      echo "  replay:     $build/test/fuzz/$h $a"
    done
    echo "  ---- report ($dir/log)"
    grep -n -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|PROPERTY VIOLATED|terminate called|deadly signal' "$dir/log" |
      cut -d: -f1 | { read -r line && sed -n "$((line > 5 ? line - 5 : 1)),$((line + 40))p" "$dir/log" || tail -n 40 "$dir/log"; } |
      sed 's/^/  | /'
  fi
  if [ "${HCCRAF_FUZZ_MERGE:-0}" = 1 ] && [ "$crashes" -eq 0 ]; then
    # Keep the hand-made seeds and the regression inputs (reproducers of fixed findings), and add
    # the inputs that cover the most of what the run found, within a byte budget per harness
    # (select_corpus.py; a plain -merge=1 keeps 30 MB of fuzz_images inputs).
    case $h in fuzz_images) budget=1000000 ;; fuzz_compiler) budget=500000 ;; *) budget=400000 ;; esac
    merged="$dir/merged" scratch="$dir/merge-scratch"
    mkdir -p "$merged" "$scratch"
    cp test/fuzz/corpus/"$h"/seed-* test/fuzz/corpus/"$h"/regress-* "$merged/" 2>/dev/null
    cp "$merged"/* "$scratch/"
    before=$(du -sb test/fuzz/corpus/"$h" | cut -f1)
    if "$build/test/fuzz/$h" -merge=1 -merge_control_file="$dir/merge-control" -timeout=10 -rss_limit_mb=2048 \
         -malloc_limit_mb=512 "$scratch" "$dir/corpus" > "$dir/merge.log" 2>&1 &&
       python3 test/fuzz/select_corpus.py "$dir/merge-control" "$merged" "$budget" > "$dir/select.log"; then
      rm -f test/fuzz/corpus/"$h"/*
      cp "$merged"/* test/fuzz/corpus/"$h"/
      echo "  merged: $(cat "$dir/select.log"); corpus $(ls test/fuzz/corpus/"$h" | wc -l) files," \
           "$before -> $(du -sb test/fuzz/corpus/"$h" | cut -f1) bytes (grown: $(ls "$dir/corpus" | wc -l) files)"
    else
      echo "  merge failed: $dir/merge.log"; failed=$((failed + 1))
    fi
  fi
done
count=$(wc -w <<< "$harnesses")
if [ $failed -eq 0 ] && [ "${HCCRAF_FUZZ_MERGE:-0}" != 1 ]; then
  rm -rf "$work"  # nothing to look at: do not leave corpus copies behind on every CI run
  echo "fuzz: all $count harnesses passed"
else
  echo "fuzz: $failed of $count harnesses failed (work directory $work)"
fi
[ $failed -eq 0 ]
