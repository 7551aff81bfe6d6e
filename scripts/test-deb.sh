#!/usr/bin/env bash
# test-deb.sh - the Debian package on this machine, as a user would get it: build the .deb with
# CPack, install it with apt (runtime dependencies resolved by apt), check the installed
# binaries, man pages and pack, run the end-to-end launch tests through Pulumi's engine against
# the INSTALLED binaries (exe path, pack directory, language host, Cloud-style required pack),
# then remove the package again.
#
#   scripts/test-deb.sh [BUILD_DIR]       BUILD_DIR default: build-deb (a RelWithDebInfo build,
#                                         tests off; created when missing)
#
# Needs root (apt-get/dpkg; sudo is used when available), dpkg-dev (dpkg-shlibdeps), Go >= 1.25
# for the e2e part (PC_DEB_SKIP_E2E=1 skips it). Idempotent: a copy of aws-guard-c installed
# before the run is removed first (the package under test replaces it), and the package is
# removed at the end even when a check fails (PC_DEB_KEEP=1 keeps it installed for a look).
# Touches nothing but the package, BUILD_DIR and a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
pkg=aws-guard-c
build=${1:-build-deb}
case "$build" in /*) ;; *) build="$root/$build" ;; esac

say() { printf 'test-deb: %s\n' "$*"; }
fail() { printf 'test-deb: FAIL: %s\n' "$*" >&2; exit 1; }

as_root=()
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || fail "must run as root (or with sudo available)"
	as_root=(sudo)
fi
for tool in cmake dpkg dpkg-deb dpkg-shlibdeps apt-get; do
	command -v "$tool" >/dev/null 2>&1 || fail "$tool not found (apt-get install cmake dpkg-dev)"
done

tmp=$(mktemp -d /tmp/pc-test-deb.XXXXXX)
installed=0
cleanup() {
	local rc=$?
	if [ "$installed" = 1 ] && [ "${PC_DEB_KEEP:-}" != 1 ]; then
		say "removing $pkg"
		"${as_root[@]}" dpkg -r "$pkg" >/dev/null || rc=1
	fi
	rm -rf -- "$tmp"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- build the package ---------------------------------------------------------------------
version=$(sed -n 's/^project(aws-guard-c VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[ -n "$version" ] || fail "cannot read the version from CMakeLists.txt"
arch=$(dpkg --print-architecture)
deb="$build/${pkg}_${version}_${arch}.deb"
say "building $deb"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPC_TESTS=OFF >"$tmp/cmake.log" 2>&1 ||
	{ tail -20 "$tmp/cmake.log" >&2; fail "cmake configure"; }
rm -f -- "$deb"
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target package >"$tmp/build.log" 2>&1 ||
	{ tail -30 "$tmp/build.log" >&2; fail "cmake --build --target package"; }
[ -f "$deb" ] || fail "CPack did not produce $deb"

# What must be in it, before it goes anywhere near the system.
dpkg-deb -c "$deb" >"$tmp/contents"
for f in ./usr/bin/pulumi-analyzer-policy-c ./usr/bin/pulumi-language-c \
	./usr/share/man/man1/pulumi-analyzer-policy-c.1 ./usr/share/man/man1/pulumi-language-c.1 \
	./usr/share/aws-guard-c/pack/PulumiPolicy.yaml; do
	grep -q " $f\$" "$tmp/contents" || grep -q " $f.gz\$" "$tmp/contents" || fail "$f is not in the package"
done
depends=$(dpkg-deb -f "$deb" Depends)
say "Depends: $depends"
# Every shared library the binaries load must come from a package named in
# Depends (gRPC, protobuf-c and libuv may be linked in statically: see
# cmake/static_runtime.cmake, so the list is read from the binaries).
dpkg-deb -x "$deb" "$tmp/root"
for bin in "$tmp/root/usr/bin/pulumi-analyzer-policy-c" "$tmp/root/usr/bin/pulumi-language-c"; do
	for soname in $(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }'); do
		# awk reads to the end: an early exit would kill ldconfig with SIGPIPE (pipefail).
		path=$(ldconfig -p | awk -v s="$soname" '$1 == s && /x86-64|AArch64|64bit/ && !p { p = $NF } END { print p }')
		[ -n "$path" ] || fail "$(basename "$bin") needs $soname, which is not installed"
		# dpkg knows a merged-/usr file under one of its two names.
		owner=$(dpkg -S "$path" 2>/dev/null | sed -n '1s/:.*//p' || true)
		[ -n "$owner" ] || owner=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | sed -n '1s/:.*//p' || true)
		[ -n "$owner" ] || fail "no package owns $path ($soname)"
		case ", $depends," in *", $owner "* | *", $owner,"* | *"| $owner "* | *"| $owner,"*) ;;
		*) fail "$(basename "$bin") needs $soname from $owner, but Depends lacks $owner" ;;
		esac
	done
done

# ---- install ----------------------------------------------------------------------------------
if dpkg -s "$pkg" >/dev/null 2>&1; then
	say "$pkg is already installed: removing it first"
	"${as_root[@]}" dpkg -r "$pkg" >/dev/null
fi
for b in pulumi-analyzer-policy-c pulumi-language-c; do
	[ ! -e "/usr/bin/$b" ] || fail "/usr/bin/$b exists but belongs to no $pkg package: refusing to overwrite it"
done
say "apt-get install ./$(basename "$deb")"
installed=1
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$deb" \
	>"$tmp/apt.log" 2>&1 || { tail -20 "$tmp/apt.log" >&2; fail "apt-get install"; }
dpkg -s "$pkg" | grep -q '^Status: install ok installed' || fail "dpkg does not list $pkg as installed"

# ---- the installed files work -------------------------------------------------------------------
out=$(/usr/bin/pulumi-analyzer-policy-c --version) || fail "pulumi-analyzer-policy-c --version"
[ "$out" = "pulumi-analyzer-policy-c $version" ] || fail "pulumi-analyzer-policy-c --version said '$out'"
out=$(/usr/bin/pulumi-language-c --version) || fail "pulumi-language-c --version"
[ "$out" = "pulumi-language-c $version" ] || fail "pulumi-language-c --version said '$out'"
[ "$(command -v pulumi-analyzer-policy-c)" = /usr/bin/pulumi-analyzer-policy-c ] ||
	fail "pulumi-analyzer-policy-c on PATH is $(command -v pulumi-analyzer-policy-c), not /usr/bin's"
n=$(/usr/bin/pulumi-analyzer-policy-c --list-policies --format json | grep -c '"enforcementLevel"') ||
	fail "--list-policies"
say "installed: $out, $n policies listed"
for page in pulumi-analyzer-policy-c pulumi-language-c; do
	if dpkg -L "$pkg" | grep -q "/man1/$page.1"; then
		file=$(dpkg -L "$pkg" | grep "/man1/$page.1")
		[ -s "$file" ] || fail "man page $file listed but missing (dpkg path-exclude?)"
		if command -v man >/dev/null 2>&1; then
			where=$(man -w "$page" 2>/dev/null) || fail "man -w $page"
			say "man $page: $where"
		else
			say "man $page: $file (man not installed)"
		fi
	else
		fail "the package installed no man page for $page"
	fi
done

# The language host starts like the engine starts it and stops on SIGINT.
/usr/bin/pulumi-language-c 127.0.0.1:1 >"$tmp/lh.out" 2>"$tmp/lh.err" &
lh=$!
for _ in $(seq 1 100); do [ -s "$tmp/lh.out" ] && break; sleep 0.05; done
port=$(head -n1 "$tmp/lh.out")
case "$port" in '' | *[!0-9]*) kill "$lh" 2>/dev/null; fail "pulumi-language-c printed '$port', not a port" ;; esac
kill -INT "$lh"
wait "$lh" || fail "pulumi-language-c exited $? on SIGINT"
[ ! -s "$tmp/lh.err" ] || fail "pulumi-language-c wrote to stderr: $(cat "$tmp/lh.err")"
say "pulumi-language-c served on port $port and stopped on SIGINT"

# ---- end to end through Pulumi's engine, against /usr/bin ---------------------------------------------
if [ "${PC_DEB_SKIP_E2E:-}" = 1 ]; then
	say "skipping the e2e tests (PC_DEB_SKIP_E2E=1)"
else
	say "e2e against the installed binaries"
	PC_USE_INSTALLED=1 scripts/e2e.sh -run 'TestLaunch|TestLanguagePlugin|TestLangHost' ||
		fail "e2e tests against the installed package"
fi

# ---- remove ---------------------------------------------------------------------------------------
if [ "${PC_DEB_KEEP:-}" = 1 ]; then
	say "keeping $pkg installed (PC_DEB_KEEP=1)"
else
	say "dpkg -r $pkg"
	"${as_root[@]}" dpkg -r "$pkg" >/dev/null
	installed=0
	for b in pulumi-analyzer-policy-c pulumi-language-c; do
		[ ! -e "/usr/bin/$b" ] || fail "/usr/bin/$b is still there after dpkg -r"
	done
fi
say "ok"
