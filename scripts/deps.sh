#!/usr/bin/env bash
# Installs what anebench needs and is missing: apt-get on Debian/Ubuntu,
# Homebrew on macOS. Installs nothing that is already there.
#   scripts/deps.sh           build + run + charts
#   scripts/deps.sh --test    also what the test suite needs
set -euo pipefail
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

if [ "$(uname)" = "Darwin" ]; then
  command -v brew >/dev/null || { echo "deps: Homebrew is needed (https://brew.sh)" >&2; exit 1; }
  pkgs=(cmake cjson libcsv gnuplot pkg-config)
  [ $want_test = 1 ] && pkgs+=(cmocka)
  missing=()
  for p in "${pkgs[@]}"; do brew list --versions "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "deps: brew install ${missing[*]}"
    brew install "${missing[@]}"
  fi
  # The tests' Python modules, in a virtual environment of their own
  # (.venv-test, which tests/CMakeLists.txt prefers): Apple's python3 has none.
  venv="$(cd "$(dirname "$0")/.." && pwd)/.venv-test"
  if [ $want_test = 1 ] && ! "$venv/bin/python3" -c 'import numpy, scipy, jsonschema, pandas' 2>/dev/null; then
    echo "deps: python3 -m venv $venv; pip install numpy scipy jsonschema pandas"
    python3 -m venv "$venv" && "$venv/bin/python3" -m pip install -q numpy scipy jsonschema pandas ||
      echo "deps: could not install the tests' Python modules: the tests that need them will say SKIP" >&2
  fi
  exit 0
fi

command -v dpkg-query >/dev/null || { echo "deps: no apt-get/dpkg here: install cmake, a C compiler, cJSON, libcsv, OpenBLAS, cmocka and gnuplot by hand" >&2; exit 1; }
pkgs=(cmake make gcc pkg-config libcjson-dev libcsv-dev libopenblas-dev gnuplot-nox)
# chromium: the HTML report is opened in a headless browser by its tests
[ $want_test = 1 ] && pkgs+=(libcmocka-dev python3 python3-numpy python3-scipy python3-jsonschema python3-pandas clang libclang-rt-dev chromium)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" != 0 ] && SUDO="sudo"
echo "deps: apt-get install ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
