#!/usr/bin/python3
"""End-to-end: a real run's files against the documented format.

Runs `anebench run --backend null` on two cases, validates results.json
against results/schema.json (python3-jsonschema), loads cases.csv with pandas
and checks its columns are exactly those documented in results/README.md,
its row count, and that its numbers equal the JSON's bit for bit. A second,
cpu run with a case the CPU must skip checks how nulls appear in both forms,
and an ane-sim run checks the hardware-time fields of simulated records.
Exit 77 (skipped) when the run command is not built yet.
"""
import glob
import json
import math
import os
import re
import subprocess
import sys
import tempfile

# The python3 with the libraries this test relies on: ctest names it in
# ANEBENCH_PYTHON (see tests/CMakeLists.txt); by hand, Debian's.
SYSTEM_PYTHON = os.environ.get("ANEBENCH_PYTHON", "/usr/bin/python3")
if (os.path.exists(SYSTEM_PYTHON)
        and os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON)):
    os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON] + sys.argv)

try:
    import jsonschema
    import pandas as pd
except ImportError as exc:  # Debian: python3-jsonschema, python3-pandas; macOS: deps.sh --test
    print("SKIP: %s (scripts/deps.sh --test installs it)" % exc)
    sys.exit(77)

BIN = os.environ.get("ANEBENCH_BIN", "anebench")
SRC = os.environ.get("ANEBENCH_SOURCE_DIR",
                     os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)


def run(args, out):
    p = subprocess.run([BIN, "run"] + args + ["--out", out, "--quiet"],
                       capture_output=True, text=True, timeout=300)
    if "not available in this build yet" in p.stderr + p.stdout:
        print("SKIP: `anebench run` is not available in this build yet")
        sys.exit(77)
    check(p.returncode == 0, "run %s: exit %d: %s" % (args, p.returncode, p.stderr.strip()))
    dirs = [d for d in glob.glob(os.path.join(out, "*")) if os.path.isdir(d)]
    check(len(dirs) == 1, "expected one run directory in %s, found %s" % (out, dirs))
    if len(dirs) != 1:
        sys.exit(1)
    return dirs[0]


def documented_csv_columns():
    """The column names of the table under '## cases.csv' in results/README.md."""
    text = open(os.path.join(SRC, "results", "README.md"), encoding="utf-8").read()
    section = text.split("\n## cases.csv", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.M)


def validate(rundir, validator):
    for name in ("run.json", "cases.jsonl", "cases.csv", "results.json"):
        check(os.path.isfile(os.path.join(rundir, name)), "missing %s in %s" % (name, rundir))
    check(not glob.glob(os.path.join(rundir, "*.tmp")), "temporary files left in %s" % rundir)
    res = json.load(open(os.path.join(rundir, "results.json")))
    errors = sorted(validator.iter_errors(res), key=lambda e: list(e.path))
    for e in errors[:10]:
        check(False, "results.json %s: %s" % ("/".join(map(str, e.path)), e.message[:300]))
    check(res["run_id"] == os.path.basename(rundir), "run_id is not the directory name")
    meta = json.load(open(os.path.join(rundir, "run.json")))
    check(meta == {k: v for k, v in res.items() if k != "cases"},
          "results.json without cases differs from run.json")
    journal = [json.loads(l) for l in open(os.path.join(rundir, "cases.jsonl"))]
    check([c["key"] for c in journal] == [c["key"] for c in res["cases"]],
          "results.json cases are not the journal's, in order")
    return res


def main():
    schema = json.load(open(os.path.join(SRC, "results", "schema.json")))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    columns = documented_csv_columns()
    check(len(columns) > 50, "README documents only %d CSV columns" % len(columns))

    with tempfile.TemporaryDirectory() as tmp:
        # the null backend: two ok cases
        out = os.path.join(tmp, "null")
        os.mkdir(out)
        rundir = run(["--backend", "null", "--axis", "cin=64", "--axis", "spatial=64,128"], out)
        check(re.fullmatch(r"\d{8}T\d{6}-[A-Za-z0-9._-]+-null", os.path.basename(rundir)) is not None,
              "run id %r is not <UTC>-<host>-null" % os.path.basename(rundir))
        res = validate(rundir, validator)
        check(res["case_count"] == 2 and len(res["cases"]) == 2, "expected 2 cases")

        df = pd.read_csv(os.path.join(rundir, "cases.csv"), float_precision="round_trip")
        check(list(df.columns) == columns,
              "cases.csv columns differ from results/README.md: %s"
              % sorted(set(df.columns) ^ set(columns)))
        check(len(df) == 2, "cases.csv has %d rows, wanted 2" % len(df))
        # the run-level columns: the run's facts on every row
        check((df["run_id"] == res["run_id"]).all(), "run_id column is not run.json's run_id")
        want_chip = res["host"]["chip"] or res["host"]["cpu_model"] or ""
        check((df["chip"].fillna("") == want_chip).all(), "chip column: %r, wanted %r"
              % (df["chip"].tolist(), want_chip))
        check((df["os_build"].fillna("") == (res["host"]["os_build"] or "")).all(), "os_build column")
        # (pandas reads the text "null" as missing by default: the null backend's name)
        check((df["backend"].fillna("null") == "null").all() and (~df["simulated"]).all(),
              "backend / simulated columns")
        check(sorted(df["spatial"].tolist()) == [64, 128], "spatial column")
        for col in ("eval_median_ns", "eval_ci_low_ns", "gflops_wall", "flops", "compile_ms"):
            check(pd.api.types.is_float_dtype(df[col]) or pd.api.types.is_integer_dtype(df[col]),
                  "column %s is not numeric (%s)" % (col, df[col].dtype))
        for i, case in enumerate(res["cases"]):
            row = df[df["key"] == case["key"]]
            check(len(row) == 1, "key %r not once in the CSV" % case["key"])
            if len(row) != 1:
                continue
            row = row.iloc[0]
            check(case["status"] == "ok" and row["status"] == "ok", "case %d not ok" % i)
            check(row["eval_n"] == case["eval_ns"]["n"] == len(case["eval_samples_ns"]),
                  "eval_n vs samples")
            # full precision: the CSV number is the JSON number exactly
            for col, val in (("eval_median_ns", case["eval_ns"]["median"]),
                             ("eval_mean_ns", case["eval_ns"]["mean"]),
                             ("eval_stddev_ns", case["eval_ns"]["stddev"]),
                             ("gflops_wall", case["gflops_wall"]),
                             ("wall_s", case["wall_s"])):
                check(float(row[col]) == val, "%s: CSV %r != JSON %r" % (col, row[col], val))
            check(case["eval_ns"]["ci_low"] <= case["eval_ns"]["median"] <= case["eval_ns"]["ci_high"],
                  "median outside its CI")

        # the cpu backend with a real-time case it must skip: nulls
        out = os.path.join(tmp, "cpu")
        os.mkdir(out)
        rundir = run(["--backend", "cpu", "--axis", "cin=32", "--axis", "spatial=16",
                      "--axis", "mode=normal,rt", "--min-time", "0.01", "--max-time", "0.05"], out)
        res = validate(rundir, validator)
        by_mode = {c["params"]["mode"]: c for c in res["cases"]}
        check(set(by_mode) == {"normal", "rt"}, "cpu run cases")
        skipped = by_mode.get("rt", {})
        check(skipped.get("status") == "skipped" and skipped.get("reason"), "rt case not skipped with a reason")
        check(skipped.get("eval_ns") is None and skipped.get("compile_ms") is None, "skipped case has timings")
        ok = by_mode.get("normal", {})
        check(ok.get("verify_pass") is True and ok.get("eval_path") == "sgemm", "cpu case not verified sgemm")
        df = pd.read_csv(os.path.join(rundir, "cases.csv"), float_precision="round_trip")
        srow = df[df["mode"] == "rt"].iloc[0]
        check(math.isnan(srow["eval_median_ns"]) and math.isnan(srow["compile_ms"]),
              "skipped case: CSV statistics are not empty")
        check(srow["status"] == "skipped", "CSV status")

        # the ANE simulator (m5-hw: the profile that fills hwExecutionTime): hardware-time
        # statistics and samples, simulated = true
        out = os.path.join(tmp, "sim")
        os.mkdir(out)
        rundir = run(["--backend", "ane-sim:m5-hw", "--axis", "cin=128", "--axis", "spatial=64",
                      "--axis", "mode=normal,rt", "--min-time", "0.01", "--max-time", "0.05"], out)
        res = validate(rundir, validator)
        check(res["backend"]["simulated"] is True, "ane-sim run.json does not say simulated")
        df = pd.read_csv(os.path.join(rundir, "cases.csv"), float_precision="round_trip")
        for case in res["cases"]:
            check(case["simulated"] is True and case["has_hw"] is True, "ane-sim case: simulated, has_hw")
            if not case["has_hw"]:
                continue
            check(len(case["hw_samples_ns"]) == case["hw_ns"]["n"], "hw samples vs hw_ns.n")
            row = df[df["key"] == case["key"]].iloc[0]
            check(float(row["hw_median_ns"]) == case["hw_ns"]["median"], "hw_median_ns CSV vs JSON")
            check(float(row["gflops_hw"]) == case["gflops_hw"], "gflops_hw CSV vs JSON")
            check(str(row["simulated"]).lower() == "true", "CSV simulated column")
        check((df["chip"] == res["backend"]["chip"]).all(), "simulated run: chip column is the modelled chip")

        # the CSVs of several runs concatenate and still tell their runs apart
        frames = [pd.read_csv(os.path.join(d, "cases.csv"), float_precision="round_trip",
                              keep_default_na=False, na_values=[""])
                  for d in (os.path.join(tmp, k, os.listdir(os.path.join(tmp, k))[0])
                            for k in ("null", "cpu", "sim"))]
        both = pd.concat(frames, ignore_index=True)
        check(list(both.columns) == columns, "concatenated CSVs: columns changed")
        check(both["run_id"].nunique() == 3 and len(both) == sum(len(f) for f in frames),
              "concatenated CSVs: %d run ids" % both["run_id"].nunique())
        check(set(both.groupby("run_id")["backend"].first()) == {"null", "cpu", "ane-sim:m5-hw"},
              "concatenated CSVs: backends by run id")

    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok: results.json validates, cases.csv has the documented columns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
