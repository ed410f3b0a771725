#!/usr/bin/env bash
# End-to-end: the git commit the tool reports (run.json tool.git, --version)
# is computed at build time by cmake/GitCommit.cmake, not at configure time:
# the script follows a checkout's HEAD, rewrites its header only when the
# commit changed, says "unknown" outside a git checkout, and the built
# binary reports what its build's header says.
. "$(dirname "$0")/lib.sh"

command -v cmake >/dev/null || { echo "no cmake: skipped"; exit 77; }
command -v git >/dev/null || { echo "no git: skipped"; exit 77; }
script=$SRC/cmake/GitCommit.cmake
hdr=$TMP/gen/anebench_git.h
gen() { cmake -DSRC="$1" -DOUT="$hdr" -P "$script"; }
value() { sed -n 's/^#define ANEBENCH_GIT "\(.*\)"$/\1/p' "$hdr"; }

repo=$TMP/repo
mkdir -p "$repo" "$TMP/gen"
git -C "$repo" init -q
g() { git -C "$repo" -c user.name=t -c user.email=t@t -c commit.gpgsign=false "$@"; }
g commit -q --allow-empty -m one
gen "$repo"
a=$(git -C "$repo" rev-parse --short=12 HEAD)
[ "$(value)" = "$a" ] && pass || fail "header says '$(value)', HEAD is $a"

# Same commit: the header is left alone (its mtime does not move), so a
# rebuild recompiles nothing.
touch -t 200001010000 "$hdr"
old=$(mtime "$hdr")
gen "$repo"
[ "$(mtime "$hdr")" = "$old" ] && pass || fail "header rewritten though the commit did not change"

# A new commit without any reconfigure: the next build sees it.
g commit -q --allow-empty -m two
gen "$repo"
b=$(git -C "$repo" rev-parse --short=12 HEAD)
[ "$a" != "$b" ] && [ "$(value)" = "$b" ] && pass || fail "after a new commit the header says '$(value)', HEAD is $b"

# Outside a git checkout: "unknown".
mkdir -p "$TMP/plain"
gen "$TMP/plain"
[ "$(value)" = "unknown" ] && pass || fail "outside a checkout the header says '$(value)'"

# The binary reports its own build's header (the generated file beside it).
built=$(dirname "$BIN")/generated/anebench_git.h
if [ -f "$built" ]; then
  want=$(sed -n 's/^#define ANEBENCH_GIT "\(.*\)"$/\1/p' "$built")
  expect_exit 0 "--version" -- "$BIN" --version
  grep -qF "(git $want)" "$TMP/out" && pass || fail "--version says '$(cat "$TMP/out")', the build's header '$want'"
  expect_exit 0 "info --json" -- "$BIN" info --json
  "$PY" -c 'import json,sys; assert json.load(open(sys.argv[1]))["tool"]["git"] == sys.argv[2]' "$TMP/out" "$want" \
    && pass || fail "info --json tool.git is not '$want'"
fi
finish
