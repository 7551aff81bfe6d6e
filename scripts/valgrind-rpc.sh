#!/bin/sh
# valgrind-rpc.sh - the RPC suites under valgrind memcheck: the test process
# (gRPC client, and the in-process server of check_server) AND every
# analyzer process the suites start (rpc_client wraps the binary in
# valgrind when PC_RPC_VALGRIND=1). Fails on any memcheck error or any
# "definitely lost" block, on either side.
#
# usage: scripts/valgrind-rpc.sh [BUILD_DIR]
#   BUILD_DIR  a build without sanitizers (default: build-valgrind, created
#              as a Debug build when missing)
#
# Suppressions: scripts/valgrind.supp (third-party noise only, documented
# there); PC_VALGRIND_EXTRA_SUPP=FILE adds one more file for a local
# investigation (client and servers). Logs are kept in a temporary
# directory printed at the end.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-valgrind}
supp=$src/scripts/valgrind.supp

command -v valgrind >/dev/null || { echo "valgrind-rpc: valgrind is not installed" >&2; exit 2; }
if [ ! -f "$build/CMakeCache.txt" ]; then
	cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DPC_SANITIZE=OFF >/dev/null
fi
if grep -q '^PC_SANITIZE:BOOL=ON' "$build/CMakeCache.txt"; then
	echo "valgrind-rpc: $build is a sanitizer build; valgrind needs a plain one" >&2
	exit 2
fi
logs=$(mktemp -d /tmp/pc-valgrind.XXXXXX)
if ! cmake --build "$build" -j"$(nproc)" >"$logs/build.txt" 2>&1; then
	tail -20 "$logs/build.txt" >&2
	echo "valgrind-rpc: build failed" >&2
	exit 2
fi
extra=${PC_VALGRIND_EXTRA_SUPP:-}
extra_arg=
[ -n "$extra" ] && extra_arg=--suppressions=$extra
rc=0
# check_faults too: its analyzers (bad stdio, signals, limits, abandoned
# calls) and its in-process allocation-failure sweep are checked like the
# rest; its heavy inputs shrink under valgrind (1,000-resource stacks, 5 MB
# strings, 50,000-element lists). The helper clients it starts to kill
# mid-call are not wrapped: they are killed, so a leak report would be noise.
for suite in check_server check_rpc check_rpc_fixtures check_faults; do
	exe=$build/test/$suite
	[ -x "$exe" ] || { echo "valgrind-rpc: missing $exe" >&2; rc=1; continue; }
	echo "== $suite"
	# shellcheck disable=SC2086 # $extra_arg is empty or one word
	if ! CK_FORK=no PC_RPC_VALGRIND=1 PC_RPC_VALGRIND_LOG="$logs/$suite.server.%p.log" \
		PC_RPC_VALGRIND_SUPP="$extra" \
		valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1 \
		--suppressions="$supp" $extra_arg --log-file="$logs/$suite.client.log" "$exe"; then
		echo "valgrind-rpc: FAIL $suite (test failure or memcheck error in the test process)" >&2
		rc=1
	fi
done

# Every log, client and server, must end with a clean summary.
clients=0
servers=0
for log in "$logs"/*.log; do
	[ -e "$log" ] || continue
	case $log in
	*.server.*) servers=$((servers + 1)) ;;
	*) clients=$((clients + 1)) ;;
	esac
	if ! grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
		echo "valgrind-rpc: errors (or an incomplete run) in $log:" >&2
		grep -E 'ERROR SUMMARY|definitely lost|Invalid|uninitialised' "$log" | head -5 >&2 || true
		rc=1
	fi
	if grep -E 'definitely lost: [1-9]' "$log" >/dev/null; then
		echo "valgrind-rpc: definite leak in $log" >&2
		rc=1
	fi
done
echo "valgrind-rpc: $clients test processes, $servers analyzer processes checked; logs in $logs"
[ "$rc" -eq 0 ] && echo "valgrind-rpc: OK (0 errors, 0 bytes definitely lost)"
exit "$rc"
