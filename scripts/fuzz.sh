#!/usr/bin/env bash
# Fuzzing with libFuzzer (clang, ASan + UBSan).
#
#   scripts/fuzz.sh --smoke        every target for FUZZ_SMOKE_SECONDS (default 20) each (CI)
#   scripts/fuzz.sh --long [SECS]  every target for SECS (default 600) each, growing fuzz/corpus-work/
#   scripts/fuzz.sh --minimise     merge committed + work corpora into the committed fuzz/corpus/
#                                  (libFuzzer -merge=1: the smallest set with the same coverage), then
#                                  print each committed corpus's size and coverage. The fixture seeds
#                                  count as covered but are not committed: every run regenerates them.
#
# Targets (fuzz/fuzz_<t>.c, bodies in fuzz/fuzz_support.c): analyze, analyze_stack, configure,
# parsers, checkmode. Seeds: fuzz/corpus/<t>/ (committed) plus requests generated from test/fixtures.
# A crash leaves its input in fuzz/crashes/ and the run goes on for the rest of the target's time;
# the script then exits 1. Make every crash a regression test first: copy the input to
# test/regressions/<t>-<what>.bin (test/unit/check_regressions.c runs it), then fix.
# FUZZ_BUILD (default build-fuzz) names the build directory.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:---smoke}
secs=${FUZZ_SMOKE_SECONDS:-20}
case "$mode" in
  --smoke) ;;
  --long) secs=${2:-600} ;;
  --minimise) ;;
  *) echo "usage: scripts/fuzz.sh --smoke | --long [SECS] | --minimise" >&2; exit 2 ;;
esac
build=${FUZZ_BUILD:-build-fuzz}
scripts/install-deps.sh --fuzz
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DPC_FUZZ=ON -DPC_SANITIZE=ON \
  -DPC_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null

seeds=$(mktemp -d)
logs=$(mktemp -d)
trap 'rm -rf "$seeds" "$logs"' EXIT
mapfile -t fixtures < <(find test/fixtures -name '*.json' | sort)
if [ ${#fixtures[@]} -gt 0 ]; then
  "$build/fuzz/fuzz_mkcorpus" "$seeds" "${fixtures[@]}"
fi
mkdir -p fuzz/crashes
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# The same limits everywhere: inputs up to 1 MiB, 2 GiB RSS, 10 s per input.
limits=(-rss_limit_mb=2048 -max_len=1048576 -timeout=10)
status=0
for t in analyze analyze_stack configure parsers checkmode; do
  bin=$build/fuzz/fuzz_$t
  committed=fuzz/corpus/$t
  work=fuzz/corpus-work/$t
  mkdir -p "$committed" "$work" "$seeds/$t"
  if [ "$mode" = "--minimise" ]; then
    # The output starts with the seeds, so only inputs that add coverage beyond them are taken.
    tmpc=$(mktemp -d)
    find "$seeds/$t" -type f -exec cp {} "$tmpc"/ \;
    if ! "$bin" -merge=1 "${limits[@]}" "$tmpc" "$committed" "$work" >"$logs/$t" 2>&1; then
      echo "fuzz_$t: merge FAILED, $committed left as it was:"
      tail -20 "$logs/$t"
      rm -rf "$tmpc"
      status=1
      continue
    fi
    for f in "$seeds/$t"/*; do
      [ -e "$f" ] && rm -f "$tmpc/$(basename "$f")"
    done
    rm -rf "$committed" && mv "$tmpc" "$committed" && chmod 755 "$committed"
    # Coverage a run starts from (committed corpus + seeds): load them, run nothing else.
    "$bin" -runs=0 "${limits[@]}" "$committed" "$seeds/$t" >"$logs/$t.cov" 2>&1 || true
    inited=$(grep -m1 -E 'INITED|DONE' "$logs/$t.cov" | grep -oE 'cov: [0-9]+ ft: [0-9]+' || echo 'cov: ?')
    echo "fuzz_$t: $(find "$committed" -type f | wc -l) inputs, $(du -sk "$committed" | cut -f1) KiB in $committed; $inited"
    continue
  fi
  # Fuzz for `secs` in all; a crash ends one run, the next resumes with the time left.
  left=$secs execs=0 crashes=0 runs=0 cov=
  while [ "$left" -gt 0 ] && [ $runs -lt 20 ]; do
    runs=$((runs + 1))
    t0=$SECONDS
    if "$bin" -max_total_time="$left" "${limits[@]}" -artifact_prefix=fuzz/crashes/"fuzz_$t"- -print_final_stats=1 \
         "$work" "$committed" "$seeds/$t" >"$logs/$t" 2>&1; then
      ok=1
    else
      ok=0
      crashes=$((crashes + 1))
      echo "fuzz_$t: CRASH (input saved under fuzz/crashes/):"
      grep -E 'ERROR|runtime error|SUMMARY|Test unit written|#[0-9]+ in ' "$logs/$t" | head -25
    fi
    n=$(grep -m1 'stat::number_of_executed_units' "$logs/$t" | awk '{print $2}' || true)
    execs=$((execs + ${n:-0}))
    c=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$logs/$t" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)
    [ -n "$c" ] && cov=$c
    left=$((left - (SECONDS - t0)))
    [ $ok -eq 1 ] && break
  done
  corpus=$(find "$work" -type f | wc -l)
  if [ $crashes -eq 0 ]; then
    echo "fuzz_$t: ok, $execs executions in ${secs}s, ${cov:-cov: ?}, work corpus $corpus"
  else
    echo "fuzz_$t: $crashes crash(es), $execs executions in ${secs}s, ${cov:-cov: ?}, work corpus $corpus"
    status=1
  fi
done
exit $status
