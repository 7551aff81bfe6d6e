#!/usr/bin/env bash
# Soak and load test against the real binary (loopback only, bounded).
#   scripts/soak.sh [--short] [BUILD_DIR]
# --short (CI): 100,000 calls and AnalyzeStack over 2,000 resources, at most 5 minutes.
# default:      1,000,000 calls and AnalyzeStack over 10,000 resources, at most 30 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
args=(--calls 1000000 --stack-resources 10000 --seconds 1800)
if [ "${1:-}" = "--short" ]; then
  args=(--calls 100000 --stack-resources 2000 --seconds 300)
  shift
fi
build=${1:-build}
cmake --build "$build" -j"$(nproc)" --target pc_soak pulumi-analyzer-policy-c >/dev/null
exec "$build/test/pc_soak" "${args[@]}"
