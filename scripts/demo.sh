#!/usr/bin/env bash
# Demo: `pulumi preview --policy-pack` of a seed system, failing then fixed variant, through
# Pulumi's real engine with the C analyzer; prints the Policies: section like the CLI.
#
#   scripts/demo.sh                         seed system "trading" (seeds 000/001)
#   scripts/demo.sh -system webstack -plan  other systems: s3pipeline serverless webstack providers
#   scripts/demo.sh -mode packdir -config policy-config.json
#
# Builds the analyzer into build/ (or $PC_BUILD_DIR) if needed; PC_ANALYZER uses a given binary.
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")/.."
root=$PWD
if [ -z "${PC_ANALYZER:-}" ]; then
  build=${PC_BUILD_DIR:-build}
  case "$build" in /*) ;; *) build="$root/$build" ;; esac
  [ -f "$build/CMakeCache.txt" ] || cmake -S . -B "$build" >/dev/null
  cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target pulumi-analyzer-policy-c >/dev/null
  export PC_BUILD_DIR="$build"
fi
# A -config path relative to the caller's directory must survive the cd below.
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = "-config" ] && [ $# -gt 1 ]; then
    case "$2" in /*) args+=("$1" "$2") ;; *) args+=("$1" "$caller/$2") ;; esac
    shift 2
  else
    args+=("$1"); shift
  fi
done
cd test/e2e
exec env GOTOOLCHAIN=local go run ./cmd/demo ${args[@]+"${args[@]}"}
