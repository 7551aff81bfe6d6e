#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this script).
#
#   scripts/test.sh            everything
#   scripts/test.sh --quick    unit, policy and RPC suites only (one build)
#
# Stages: dependencies -> build + ctest -> ASan/UBSan build + ctest -> RPC
# suites under valgrind -> generated docs up to date -> fuzz smoke -> soak
# (short) -> end-to-end through Pulumi's engine (Go) -> the benchmark
# client's unit tests (Go) -> the Debian package installed and previewing
# through the engine. Every stage must pass.
set -uo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1

jobs=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0
failures=()

stage() {
  local name=$1; shift
  echo
  echo "==== $name"
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "==== $name: ok ($((SECONDS - t0)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "==== $name: FAILED ($((SECONDS - t0)) s)"
  fi
}

build_and_test() {
  local dir=$1; shift
  cmake -S . -B "$dir" "$@" >/dev/null &&
    cmake --build "$dir" -j"$jobs" &&
    (cd "$dir" && ctest --output-on-failure -j"$jobs")
}

fuzz_args=()
[ -d fuzz ] && fuzz_args=(--fuzz)
stage "dependencies" scripts/install-deps.sh "${fuzz_args[@]}"
stage "build + tests (RelWithDebInfo)" build_and_test build -DCMAKE_BUILD_TYPE=RelWithDebInfo
if [ $quick -eq 0 ]; then
  stage "build + tests (ASan + UBSan)" env ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    bash -c "$(declare -f build_and_test); jobs=$jobs; build_and_test build-asan -DCMAKE_BUILD_TYPE=Debug -DPC_SANITIZE=ON"
  [ -x scripts/valgrind-rpc.sh ] && stage "RPC suites under valgrind" scripts/valgrind-rpc.sh build
  stage "generated docs are current" scripts/gen-docs.sh --check build
  [ -x scripts/fuzz.sh ] && stage "fuzz smoke" scripts/fuzz.sh --smoke
  [ -x scripts/soak.sh ] && stage "soak (short)" scripts/soak.sh --short build
  [ -x scripts/e2e.sh ] && stage "end-to-end through Pulumi's engine" env PC_BUILD_DIR=build scripts/e2e.sh
  # The benchmark's own logic that decides something (regressions against the previous results).
  stage "bench client unit tests (Go)" bash -c 'cd bench/client && GOTOOLCHAIN=local go test -count=1 ./...'
  [ -x scripts/test-deb.sh ] && stage "Debian package: install, e2e on /usr/bin, remove" scripts/test-deb.sh build-deb
fi

echo
for f in "${failures[@]}"; do echo "failed stage: $f"; done
echo "stages: $passed passed, $failed failed"
[ $failed -eq 0 ]
