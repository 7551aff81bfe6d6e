#!/usr/bin/env bash
# Fuzzing with libFuzzer (clang, ASan + UBSan).
#
#   scripts/fuzz.sh --smoke        every target for FUZZ_SMOKE_SECONDS (default 20) each (CI)
#   scripts/fuzz.sh --long [SECS]  every target for SECS (default 600) each, growing fuzz/corpus-work/
#   scripts/fuzz.sh --minimise     merge the work corpora into the committed fuzz/corpus/ (minimised)
#
# Seeds: fuzz/corpus/<target>/ (committed) plus requests generated from test/fixtures.
# A crash leaves its input in fuzz/crashes/; add it to a regression test before fixing.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:---smoke}
secs=${FUZZ_SMOKE_SECONDS:-20}
[ "$mode" = "--long" ] && secs=${2:-600}
build=build-fuzz
scripts/install-deps.sh --fuzz
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DPC_FUZZ=ON -DPC_SANITIZE=ON \
  -DPC_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null

seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
mapfile -t fixtures < <(find test/fixtures -name '*.json' | sort)
if [ ${#fixtures[@]} -gt 0 ]; then
  "$build/fuzz/fuzz_mkcorpus" "$seeds" "${fixtures[@]}"
fi
mkdir -p fuzz/crashes
declare -A seeddir=([fuzz_analyze]=analyze [fuzz_analyze_stack]=analyze_stack [fuzz_configure]=configure
                    [fuzz_parsers]=parsers [fuzz_checkmode]=checkmode)
status=0
for t in fuzz_analyze fuzz_analyze_stack fuzz_configure fuzz_parsers fuzz_checkmode; do
  committed=fuzz/corpus/${seeddir[$t]}
  work=fuzz/corpus-work/${seeddir[$t]}
  mkdir -p "$committed" "$work" "$seeds/${seeddir[$t]}"
  if [ "$mode" = "--minimise" ]; then
    tmpc=$(mktemp -d)
    "$build/fuzz/$t" -merge=1 "$tmpc" "$committed" "$work" "$seeds/${seeddir[$t]}" >/dev/null 2>&1
    rm -rf "$committed" && mv "$tmpc" "$committed"
    echo "$t: $(ls "$committed" | wc -l) inputs in $committed"
    continue
  fi
  log=$(mktemp)
  if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
     "$build/fuzz/$t" -max_total_time="$secs" -rss_limit_mb=2048 -max_len=1048576 -timeout=10 \
       -artifact_prefix=fuzz/crashes/"$t"- -print_final_stats=1 \
       "$work" "$committed" "$seeds/${seeddir[$t]}" >"$log" 2>&1; then
    execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    cov=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 | grep -oE 'cov: [0-9]+' || true)
    corpus=$(ls "$work" | wc -l)
    echo "$t: ok, ${execs:-?} executions in ${secs}s, ${cov:-cov: ?}, work corpus $corpus"
  else
    echo "$t: FAILED (see below; input saved under fuzz/crashes/)"
    tail -40 "$log"
    status=1
  fi
  rm -f "$log"
done
exit $status
