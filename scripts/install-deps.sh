#!/usr/bin/env bash
# Installs whatever this project needs and is missing, from Debian's packages.
# Safe to run repeatedly: packages already present are not touched, and apt-get
# is only called when something is missing.
#
#   scripts/install-deps.sh            build + test dependencies
#   scripts/install-deps.sh --fuzz     also clang + libFuzzer runtime
set -euo pipefail

pkgs=(build-essential cmake pkg-config
      libgrpc-dev libprotobuf-c-dev protobuf-c-compiler protobuf-compiler libprotobuf-dev
      libcjson-dev libuv1-dev check valgrind)
for arg in "$@"; do
  case "$arg" in
    --fuzz) pkgs+=(clang libclang-rt-14-dev) ;;
    *) echo "install-deps: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
