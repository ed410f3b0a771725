#!/usr/bin/env bash
# hostile_speed.sh: how fast anebench refuses inputs built to be slow
# (issue 11: a 1 MB sweep file of 95,000 keys took 30 s to be refused).
# Figures, not a test: prints the seconds each refusal took.
#   ANEBENCH_BIN=path/to/anebench bench/perf/hostile_speed.sh
set -u
BIN=${ANEBENCH_BIN:?ANEBENCH_BIN must name the anebench binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
keys = ",".join('"k%x":1' % i for i in range(95000))
open(d + "/keys.json", "w").write('{"sweeps":[{}],' + keys + "}")
open(d + "/settings.json", "w").write('{"sweeps":[{}],"settings":{' + keys + "}}")
vals = ",".join("64" for _ in range(65536))
open(d + "/values.json", "w").write('{"sweeps":[{"axes":{"cin":[' + vals + "]}}]}")
PY
secs() { # secs FILE: seconds `anebench list --sweep FILE` takes (any exit code)
  python3 -c 'import subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.2f" % (time.monotonic() - t))' "$BIN" list --sweep "$1"
}
echo "hostile sweep files (anebench list --sweep FILE, seconds):"
printf '  %-48s %s\n' "95,000 top-level keys ($(du -k "$tmp/keys.json" | cut -f1) KB), refused" "$(secs "$tmp/keys.json")"
printf '  %-48s %s\n' "95,000 settings keys, refused" "$(secs "$tmp/settings.json")"
printf '  %-48s %s\n' "one axis of 65,536 array items" "$(secs "$tmp/values.json")"
