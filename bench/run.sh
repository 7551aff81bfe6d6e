#!/usr/bin/env bash
# bench/run.sh - build everything the benchmarks need and run the whole comparison:
# our pack vs the official Node SDK (@pulumi/awsguard, and ten of our policies written with
# @pulumi/policy) vs the gRPC floor, plus callgrind instruction counts per Analyze call, a check
# that the Node pack fires the same policies as ours, and a 10,000-resource preview through
# Pulumi's real engine (bench/e2e) with each pack.
# Prints a table; writes bench/results/latest.json (full runs) or build-bench/results-quick.json.
#
#   bench/run.sh              full run (3 runs per contender, 10,000 sequential calls, ...)
#   bench/run.sh --quick      short end-to-end validation (1 run, 2,000 calls, 1,000-resource preview)
#   options: --runs N  --only ID,ID  --no-callgrind  --no-e2e  --out FILE  --build-dir DIR
#   env: E2E_RUNS (previews per pack, default 3), BENCH_BUILD_DIR (default build-bench)
#
# Everything is loopback-only and bounded in count and time. Benchmarks are not tests: nothing
# here asserts on timings; the targets are reported as met/MISS for the reader.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build-bench}
quick=0 runs="" only="" callgrind=1 e2e=1 out=""
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--runs) runs=$2; shift ;;
	--only) only=$2; shift ;;
	--no-callgrind) callgrind=0 ;;
	--no-e2e) e2e=0 ;;
	--out) out=$2; shift ;;
	--build-dir) build=$2; shift ;;
	-h|--help) sed -n '2,15p' "$0"; exit 0 ;;
	*) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
export GOTOOLCHAIN=local
log() { printf '==> %s\n' "$*" >&2; }
need() { command -v "$1" >/dev/null || { echo "bench/run.sh: $1 is required ($2)" >&2; exit 1; }; }
need cmake "apt-get install cmake"
need go "Go 1.26"
need node "Node.js 20+"
need npm "npm"
need pkg-config "apt-get install pkg-config"
mkdir -p "$build" "$here/results"

# 1. Our pack, Release, in its own build directory.
log "building pulumi-analyzer-policy-c (Release) in $build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPC_TESTS=OFF >"$build/bench-cmake.log" 2>&1 ||
	{ cat "$build/bench-cmake.log" >&2; exit 1; }
cmake --build "$build" -j2 --target pulumi-analyzer-policy-c >>"$build/bench-cmake.log" 2>&1 ||
	{ tail -40 "$build/bench-cmake.log" >&2; exit 1; }
ours="$build/pulumi-analyzer-policy-c"
packdir="$build/pack" # PulumiPolicy.yaml next to where the engine runs the shim (cwd = pack dir)

# 2. The floor: same gRPC C core (pkg-config), same flags as the project.
log "building the gRPC floor server"
mkdir -p "$build/floor"
# shellcheck disable=SC2046
cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -Wpedantic -Werror "$here/floor/floor.c" \
	-o "$build/floor/floor" $(pkg-config --cflags --libs grpc gpr) -lpthread

# 2b. The same floor linked the way our binary is (gRPC and its C++ runtime static,
#     cmake/static_runtime.cmake), so startup and RSS can be compared like for like too.
floor_static=""
static_libs=$(pkg-config --static --libs-only-l grpc gpr | tr ' ' '\n' | grep -vE '^-l(dl|rt|m|pthread|atomic)$' || true)
# shellcheck disable=SC2046,SC2086
if command -v g++ >/dev/null &&
	cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -c "$here/floor/floor.c" -o "$build/floor/floor.o" \
		$(pkg-config --cflags grpc gpr) &&
	g++ -o "$build/floor/floor-static" "$build/floor/floor.o" -Wl,-Bstatic -Wl,--start-group $static_libs \
		-Wl,--end-group -Wl,-Bdynamic -static-libstdc++ -static-libgcc -lpthread -ldl -lrt -lm -latomic \
		2>"$build/floor/static.log"; then
	floor_static="$build/floor/floor-static"
else
	log "no statically linked floor (see $build/floor/static.log); continuing without it"
fi
floor_static_json=""
[ -z "$floor_static" ] || floor_static_json=$(cat <<EOF
,
 {"id": "floor-static", "label": "the floor linked like ours (gRPC static)",
  "cmd": ["$floor_static"], "dir": "$here/floor", "args": ["."],
  "notes": "floor.c with gRPC, abseil, OpenSSL and libstdc++ linked statically, as cmake/static_runtime.cmake links ours"}
EOF
)

# 3. The Node contenders (npm ci from the committed lock files; skipped when up to date).
for d in awsguard like; do
	nd="$here/node/$d"
	if [ ! -d "$nd/node_modules" ] || [ "$nd/package-lock.json" -nt "$nd/node_modules/.package-lock.json" ]; then
		log "npm ci in bench/node/$d"
		(cd "$nd" && npm ci --no-audit --no-fund --loglevel=error)
	fi
done

# 4. The client (Pulumi's generated Go stubs, sdk/v3 v3.259.0).
log "building the Go client"
(cd "$here/client" && go build -o "$build/bench-client" .)

# 5. The contenders, started the way the engine starts them.
runpp() { echo "$here/node/$1/node_modules/@pulumi/pulumi/cmd/run-policy-pack"; }
like10='"lambda-runtime-supported","lambda-xray-tracing-active","iam-no-wildcard-actions","iam-no-wildcard-resources","dynamodb-sse-explicitly-enabled","s3-bucket-name-valid","security-group-no-public-ingress","cloudwatch-alarm-actions-valid","aws-provider-region-valid","no-stringified-pulumi-outputs"'
cat >"$build/contenders.json" <<EOF
[
 {"id": "ours", "label": "this pack (C), every policy with defaults",
  "cmd": ["$ours"], "dir": "$packdir", "args": ["."],
  "notes": "pack directory: pulumi-analyzer-policy-c <engine> . with cwd = pack dir"},
 {"id": "ours-10", "label": "this pack (C), only the ten like-for-like policies on",
  "cmd": ["$ours"], "dir": "$packdir", "args": ["."], "only": [$like10],
  "notes": "same process as ours; Configure sets every other policy to disabled"},
 {"id": "awsguard", "label": "@pulumi/awsguard 0.3.1 (all mandatory) on @pulumi/policy 1.21.0",
  "cmd": ["node", "$(runpp awsguard)"], "dir": "$here/node/awsguard", "args": ["$here/node/awsguard"],
  "notes": "node run-policy-pack <engine> <packDir>, cwd = pack dir, as pulumi-language-nodejs RunPlugin"},
 {"id": "node-like", "label": "the same ten policies written with @pulumi/policy 1.21.0",
  "cmd": ["node", "$(runpp like)"], "dir": "$here/node/like", "args": ["$here/node/like"],
  "notes": "node run-policy-pack <engine> <packDir>, cwd = pack dir"},
 {"id": "floor", "label": "gRPC floor: C core server answering every call with an empty message",
  "cmd": ["$build/floor/floor"], "dir": "$here/floor", "args": ["."],
  "notes": "same gRPC C core, same 2 poller threads, no decoding, no policies"}$floor_static_json
]
EOF

if [ "$quick" = 1 ]; then
	flags=(-mode quick -runs "${runs:-1}" -n 2000 -warmup 200 -conc-secs 1 -stack-reps 1)
	cgcalls=50,250 cgreps=1 cgstack=300 equivn=500 e2en=1000
	export E2E_RUNS=${E2E_RUNS:-1}
	out=${out:-$build/results-quick.json}
else
	flags=(-mode full -runs "${runs:-3}" -n 10000 -warmup 1000 -conc-secs 5 -stack-reps 3)
	cgcalls=200,1200 cgreps=2 cgstack=2000 equivn=3000 e2en=10000
	out=${out:-$here/results/latest.json}
fi
[ -n "$only" ] && flags+=(-only "$only")
attach=()

# 6. Instruction counts per Analyze call (ours and the floor) under callgrind.
if [ "$callgrind" = 1 ] && command -v valgrind >/dev/null; then
	log "callgrind: instructions per Analyze call (N2 - N1 calls, $cgreps pair(s))"
	if "$build/bench-client" -contenders "$build/contenders.json" -callgrind -id ours,floor \
		-cg-calls "$cgcalls" -cg-reps "$cgreps" -cg-dir "$build/callgrind" -cg-toggle srv_call_handle -cg-stack "$cgstack" \
		-out "$build/callgrind.json"; then
		attach+=(-attach "callgrind=$build/callgrind.json")
	else
		log "callgrind failed (see above); continuing without it"
	fi
fi

# 7. Like for like: the Node pack and ours (ten policies on) must fire the same policies on the
#    same resources, or the speed comparison would not compare the same work.
if [ -z "$only" ]; then
	log "checking that node-like implements the same checks as ours-10 ($equivn requests)"
	if "$build/bench-client" -contenders "$build/contenders.json" -equiv ours-10,node-like -n "$equivn" \
		-out "$build/equivalence.json" >"$build/equivalence.txt"; then
		head -14 "$build/equivalence.txt"
		attach+=(-attach "equivalence=$build/equivalence.json")
	else
		log "equivalence check failed; continuing"
	fi
fi

# 8. A 10,000-resource (quick: 1,000) preview through the real engine (bench/e2e, modelled on test/e2e).
if [ "$e2e" = 1 ]; then
	log "preview of a $e2en-resource program through the real engine (${E2E_RUNS:-3} run(s) per pack)"
	if [ -x "$here/e2e/run.sh" ] && E2E_RUNS=${E2E_RUNS:-3} "$here/e2e/run.sh" "$build" "$build/e2e.json" "$e2en"; then
		attach+=(-attach "e2e=$build/e2e.json")
	else
		log "engine preview benchmark not run (bench/e2e missing or failed)"
	fi
fi

# 9. The comparison.
log "running the comparison (${flags[*]})"
# The results this run replaces, if any: their instruction counts are compared with this run's.
previous=()
if [ -f "$out" ]; then previous=(-previous "$out"); fi
"$build/bench-client" -contenders "$build/contenders.json" "${flags[@]}" "${attach[@]}" "${previous[@]}" -out "$out" \
	-meta "git=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo none)$(git -C "$root" diff --quiet 2>/dev/null || echo +dirty)" \
	-meta "cc=$(cc --version | head -1)" \
	-meta "grpc_core=$(pkg-config --modversion grpc)" \
	-meta "protobuf_c=$(pkg-config --modversion libprotobuf-c)" \
	-meta "node=$(node --version)" \
	-meta "go=$(go env GOVERSION)" \
	-meta "pulumi_policy_npm=$(node -p 'require(process.argv[1]).version' "$here/node/like/node_modules/@pulumi/policy/package.json")" \
	-meta "awsguard_npm=$(node -p 'require(process.argv[1]).version' "$here/node/awsguard/node_modules/@pulumi/awsguard/package.json")" \
	-meta "build_type=Release"
log "results: $out"
