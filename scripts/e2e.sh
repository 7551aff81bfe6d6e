#!/usr/bin/env bash
# End-to-end tests: the policy pack driven by Pulumi's real engine (Go module in test/e2e,
# pinned to github.com/pulumi/pulumi/pkg/v3 v3.259.0). Builds the analyzer first if needed.
#
#   scripts/e2e.sh                      build into build/ (or $PC_BUILD_DIR), run the suite
#   scripts/e2e.sh -run TestSeedPreview -v    extra arguments go to `go test`
#
# Environment: PC_BUILD_DIR (CMake build dir, default build), PC_ANALYZER (use this binary,
# skip the build), PC_USE_INSTALLED=1 (test the installed package: /usr/bin binaries, or
# $PC_INSTALLED_BINDIR, and the installed pack; skip the build). Needs Go >= 1.25
# (GOTOOLCHAIN=local: no toolchain download) and, on a fresh machine, the Go module proxy once
# (about 260 MB of modules, then cached).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [ -z "${PC_ANALYZER:-}" ] && [ "${PC_USE_INSTALLED:-}" != 1 ]; then
  build=${PC_BUILD_DIR:-build}
  case "$build" in /*) ;; *) build="$root/$build" ;; esac
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S . -B "$build" >/dev/null
  fi
  # Incremental: a no-op when the binaries are up to date. The language host is needed by the
  # language-host tests (TestLaunchLanguageHost, TestLangHost*).
  targets=(pulumi-analyzer-policy-c)
  [ -f langhost/CMakeLists.txt ] && targets+=(pulumi-language-c)
  cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target "${targets[@]}"
  export PC_BUILD_DIR="$build"
fi

if ! command -v go >/dev/null 2>&1; then
  echo "e2e: go not found (Go >= 1.25 is required for test/e2e)" >&2
  exit 1
fi
cd test/e2e
GOTOOLCHAIN=local go test -count=1 ./... "$@"
