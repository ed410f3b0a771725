# lib.sh: helpers for the end-to-end tests of the real command (sourced).
set -u
BIN=${ANEBENCH_BIN:?ANEBENCH_BIN must name the anebench binary}
SRC=${ANEBENCH_SOURCE_DIR:?ANEBENCH_SOURCE_DIR must name the source tree}
PY=${ANEBENCH_PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=$(command -v python3)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILS=0
PASSES=0

pass() { PASSES=$((PASSES + 1)); }
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }

# expect_exit CODE DESC -- command...: runs it, checks the exit code; the
# output is left in $TMP/out and $TMP/err.
expect_exit() {
  local want=$1 desc=$2; shift 3
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [ "$got" != "$want" ]; then
    fail "$desc: exit $got, wanted $want; stderr: $(head -c 400 "$TMP/err")"
    return 1
  fi
  pass
  return 0
}

# expect_usage_error DESC TOKEN -- command...: exit 2, exactly one line on
# stderr, and that line names TOKEN.
expect_usage_error() {
  local desc=$1 token=$2; shift 3
  expect_exit 2 "$desc" -- "$@" || return 1
  local lines
  # A sanitizer runtime's own notes (ASan warns of each refused allocation)
  # are not the command's output.
  lines=$(grep -cv '^==[0-9]*==WARNING: AddressSanitizer' "$TMP/err")
  [ "$lines" = 1 ] || { fail "$desc: $lines lines on stderr, wanted 1: $(cat "$TMP/err")"; return 1; }
  grep -qF -- "$token" "$TMP/err" || { fail "$desc: stderr does not name '$token': $(cat "$TMP/err")"; return 1; }
  pass
}

# Portable helpers: macOS has BSD tools and bash 3.2 (no date +%N, stat -c,
# md5sum, /proc, script -c; wc pads its counts). tests/tools/platform_lint.py
# keeps the tests on these.
# now_ms: wall-clock milliseconds.
now_ms() { perl -MTime::HiRes=time -e 'printf "%d\n", time() * 1000'; }
# mtime FILE: modification time in seconds since the epoch.
mtime() { perl -e 'my @s = stat($ARGV[0]) or exit 1; print "$s[9]\n"' "$1"; }
# nlines FILE: its number of lines, unpadded.
nlines() { echo $(($(wc -l <"$1"))); }
# procs_with REGEX: how many processes have a command line matching REGEX
# (write REGEX so that it does not match grep's own command line).
procs_with() { ps -A -ww -o args= | grep -cE -- "$1"; }
# with_timeout SECS CMD...: runs CMD, killed (SIGALRM) after SECS seconds
# (macOS has no timeout(1); an alarm survives exec).
with_timeout() { perl -e 'alarm shift; exec @ARGV or exit 127' "$@"; }
# in_pty CMD: runs the shell command CMD with a terminal (a pty from
# script(1)) as its stdin, stdout and stderr; the output goes to stdout.
in_pty() {
  if [ "$(uname)" = Darwin ]; then
    script -q /dev/null sh -c "$1" # platform: BSD script takes the command as arguments
  else
    script -qec "$1" /dev/null # platform: util-linux script
  fi
}

finish() {
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" = 0 ]
}
