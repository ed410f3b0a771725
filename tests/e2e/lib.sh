# lib.sh: helpers for the end-to-end tests of the real command (sourced).
set -u
BIN=${ANEBENCH_BIN:?ANEBENCH_BIN must name the anebench binary}
SRC=${ANEBENCH_SOURCE_DIR:?ANEBENCH_SOURCE_DIR must name the source tree}
PY=/usr/bin/python3
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

finish() {
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" = 0 ]
}
