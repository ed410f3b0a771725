#!/usr/bin/env python3
"""platform_lint.py: fails on known Linux-only constructs where macOS would
meet them, the part of "it builds and runs on macOS" that compiling here
cannot see (glibc has st_mtim and mkdtemp in stdlib.h, /proc exists, GNU
tools are on PATH).

C sources (.c, .h of the core, command, tests, tools, fuzz targets): a
construct is allowed only inside a platform guard that excludes macOS:
#ifdef __linux__, #if defined(__linux__), #ifndef __APPLE__, the #else of
#ifdef __APPLE__, and the non-Accelerate branch of AB_BLAS_ACCELERATE.
Comments are ignored. Shell scripts (tests, scripts, CI): GNU-only tools and
options, bash-4 features; a line may carry "# platform: REASON" when it is
one branch of a uname test or otherwise safe. End-to-end tests in Python:
/proc.

Usage: platform_lint.py SOURCE_DIR     lint the tree (exit 1 on findings)
       platform_lint.py --self-test    check the checker on known snippets
"""
import os
import re
import sys

# (regex, what to do instead). Each names why macOS differs.
C_RULES = [
    (r"\bst_[amc]tim\b", "macOS names it st_mtimespec: use ab_stat_mtime() (harness/platform.h)"),
    (r"/proc\b", "macOS has no /proc"),
    (r"\bprctl\b|\bPR_SET_PDEATHSIG\b|<sys/prctl\.h>",
     "macOS has no prctl / parent-death signal: use ab_exit_with_parent() (harness/platform.h)"),
    (r"(?<![\w.])fsync\s*\(", "on macOS fsync does not reach the disk: use ab_fsync() (harness/platform.h)"),
    (r"\bCLOCK_MONOTONIC_RAW\b", "the macOS clock is mach_absolute_time (harness/clock.c)"),
    (r"#\s*include\s*<cblas\.h>", "macOS's CBLAS is Accelerate's: include \"backends/blas.h\""),
    (r"<sys/sysinfo\.h>|\bsysinfo\s*\(|\bget_nprocs\b", "Linux-only: use sysconf / sysctl"),
    (r"#\s*include\s*<linux/|<sys/(epoll|inotify|signalfd|timerfd|eventfd|vfs|auxv)\.h>|<malloc\.h>",
     "a Linux-only header"),
    (r"\b(epoll_\w+|inotify_\w+|signalfd|timerfd_\w+|eventfd|memfd_create|pipe2|accept4|dup3|"
     r"sched_setaffinity|sched_getaffinity|sched_getcpu|malloc_usable_size|mallinfo2?|getrandom|"
     r"secure_getenv|strchrnul|mempcpy|get_current_dir_name|gettid|sync_file_range|syncfs|renameat2|"
     r"statx|fallocate|sendfile|splice|qsort_r|program_invocation_(short_)?name)\s*\(",
     "a Linux/glibc-only function (or, qsort_r, one whose arguments differ on macOS)"),
    (r"\b(O_TMPFILE|O_PATH|O_DIRECT|O_NOATIME|MAP_POPULATE|MAP_LOCKED|CLOCK_BOOTTIME|"
     r"TEMP_FAILURE_RETRY)\b", "a Linux-only flag or macro"),
]

SH_RULES = [
    (r"\bscript\s+-q?e?c\b|\bscript\s+-qec\b", "BSD script has no -c: script -q /dev/null CMD... there"),
    (r"\bstat\s+(-c|--format|--printf)\b", "BSD stat takes -f FORMAT"),
    (r"\bdate\s+(-d|--date)\b", "BSD date takes -j -f FORMAT / -r SECONDS"),
    (r"\bdate\s+\+[^ ]*%N", "BSD date has no %N (nanoseconds)"),
    (r"\bmd5sum\b|\bsha(1|256|512)sum\b", "macOS has md5 / shasum instead"),
    (r"\bsed\s+(-[a-zA-Z]*i\b|--in-place)(?!\s*'')", "BSD sed -i needs a suffix argument"),
    (r"(?<![-\w])timeout\s+[0-9]", "macOS has no timeout(1)"),
    (r"\bmknod\b.*\bc\s+[0-9]+\s+[0-9]+", "device numbers are Linux's (on macOS 1, 3 is not /dev/null)"),
    (r"\btouch\s+-d\b", "BSD touch -d wants YYYY-MM-DDThh:mm:ss: use touch -t"),
    (r"\$\(\s*wc\s+-[lcw][^)]*\)\"?\s*\]?\s*!?=\s", "BSD wc pads its count: nlines (lib.sh) or $((...))"),
    (r"\bnproc\b", "macOS has no nproc: getconf _NPROCESSORS_ONLN"),
    (r"\bgrep\s+-[a-zA-Z]*P", "BSD grep has no -P"),
    (r"\bxargs\s+-[a-zA-Z]*r\b|\bfind\b.*-printf\b|\btac\b|\bdu\s+-[a-zA-Z]*b\b|\bnumfmt\b|\bsetsid\b|"
     r"\btaskset\b|\bionice\b", "a GNU/Linux-only tool or option"),
    (r"/proc/", "macOS has no /proc"),
    (r"\bmapfile\b|\breadarray\b|\bdeclare\s+-[a-zA-Z]*[An]|\blocal\s+-[a-zA-Z]*[An]|\bwait\s+-n\b|"
     r"\$EPOCH(REAL)?TIME|\$\{\w+(,,|\^\^)\}", "macOS's /bin/bash is 3.2: no bash-4 features"),
]

# Conditions after which code is not compiled on macOS (group 1 of #if...).
NOT_APPLE = [
    r"#\s*ifdef\s+__linux__\b", r"#\s*ifndef\s+__APPLE__\b", r"#\s*if\s+defined\s*\(?\s*__linux__\b",
    r"#\s*if\s+!\s*defined\s*\(?\s*__APPLE__\b", r"#\s*elif\s+defined\s*\(?\s*__linux__\b",
    r"#\s*ifndef\s+AB_BLAS_ACCELERATE\b", r"#\s*ifdef\s+AB_BLAS_OPENBLAS\b",
    r"#\s*if\s+defined\s*\(?\s*AB_BLAS_OPENBLAS\b",
]
IS_APPLE = [r"#\s*ifdef\s+__APPLE__\b", r"#\s*if\s+defined\s*\(?\s*__APPLE__\b",
            r"#\s*elif\s+defined\s*\(?\s*__APPLE__\b", r"#\s*ifdef\s+AB_BLAS_ACCELERATE\b"]


def strip_c_comments(text):
    """Blanks out comments, keeping line breaks and string literals."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def lint_c(name, text):
    """Findings (name:line: construct: advice) outside not-Apple regions."""
    found = []
    # A stack of [branch_not_apple, some_earlier_branch_was_apple].
    stack = []
    uses_mkdtemp = includes_unistd = 0
    for no, line in enumerate(strip_c_comments(text).split("\n"), 1):
        s = line.strip()
        if re.match(r"#\s*(if|ifdef|ifndef)\b", s):
            apple = any(re.match(p, s) for p in IS_APPLE)
            stack.append([any(re.match(p, s) for p in NOT_APPLE), apple])
            continue
        if re.match(r"#\s*elif\b", s) and stack:
            earlier_apple = stack[-1][1]
            stack[-1] = [earlier_apple or any(re.match(p, s) for p in NOT_APPLE),
                         earlier_apple or any(re.match(p, s) for p in IS_APPLE)]
            continue
        if re.match(r"#\s*else\b", s) and stack:
            stack[-1] = [stack[-1][1], stack[-1][1]]
            continue
        if re.match(r"#\s*endif\b", s) and stack:
            stack.pop()
            continue
        guarded = any(f[0] for f in stack)
        if re.search(r"#\s*include\s*<unistd\.h>", s):
            includes_unistd = 1
        if re.search(r"\bmkdtemp\s*\(", s):
            uses_mkdtemp = uses_mkdtemp or no
        if guarded:
            continue
        for rx, why in C_RULES:
            m = re.search(rx, line)
            if m and not (name.endswith("backends/blas.h") and "cblas.h" in rx) \
                    and not (name.endswith("harness/platform.c") and "fsync" in rx):
                found.append("%s:%d: %s: %s" % (name, no, m.group(0).strip(), why))
    if uses_mkdtemp and not includes_unistd:
        found.append("%s:%d: mkdtemp without <unistd.h>: macOS declares it there, not in <stdlib.h>"
                     % (name, uses_mkdtemp))
    return found


def lint_sh(name, text):
    found = []
    for no, line in enumerate(text.split("\n"), 1):
        code = line.split("# platform:")[0] if "# platform:" in line else line
        if re.match(r"\s*#", code) or "# platform:" in line:
            continue
        for rx, why in SH_RULES:
            m = re.search(rx, code)
            if m:
                found.append("%s:%d: %s: %s" % (name, no, m.group(0).strip(), why))
    return found


PY_RULES = [(r"/proc\b", "macOS has no /proc")]


def lint_py(name, text):
    found = []
    for no, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith("#"):
            continue
        for rx, why in PY_RULES:
            m = re.search(rx, line)
            if m:
                found.append("%s:%d: %s: %s" % (name, no, m.group(0).strip(), why))
    return found


def tree_files(src):
    c_dirs = ["harness", "kernels", "backends", "bench", "bench/perf", "tests/unit", "tests/tools",
              "tests/fuzz"]
    sh_dirs = ["tests/e2e", "scripts", "tests/fuzz", "bench/perf", ".ci"]
    for d in c_dirs:
        p = os.path.join(src, d)
        for f in sorted(os.listdir(p)) if os.path.isdir(p) else []:
            if f.endswith((".c", ".h")):
                yield "c", os.path.join(d, f)
    for d in sh_dirs:
        p = os.path.join(src, d)
        for f in sorted(os.listdir(p)) if os.path.isdir(p) else []:
            full = os.path.join(p, f)
            if not os.path.isfile(full):
                continue
            if f.endswith(".sh") or (d == ".ci" and open(full, errors="replace").readline().startswith("#!")):
                yield "sh", os.path.join(d, f)
    for f in sorted(os.listdir(os.path.join(src, "tests/e2e"))):
        if f.endswith(".py"):
            yield "py", os.path.join("tests/e2e", f)


LINTERS = {"c": lint_c, "sh": lint_sh, "py": lint_py}

SELF_TESTS = [
    # (kind, snippet, findings expected)
    ("c", "long f(struct stat *s) { return s->st_mtim.tv_sec; }\n", 1),
    ("c", "#ifdef __linux__\nlong t = s.st_mtim.tv_sec;\n#endif\n", 0),
    ("c", "#ifdef __APPLE__\nx = s.st_mtimespec;\n#else\nx = s.st_mtim;\n#endif\n", 0),
    ("c", "#ifdef __APPLE__\nx = 1;\n#endif\nx = s.st_mtim;\n", 1),
    ("c", "#if defined(__APPLE__)\na();\n#elif defined(__linux__)\nprctl(PR_SET_PDEATHSIG, 9);\n#endif\n", 0),
    ("c", "#ifndef AB_X_H\n#define AB_X_H\nprctl(PR_SET_PDEATHSIG, 9);\n#endif\n", 1),
    ("c", "#include <cblas.h>\n", 1),
    ("c", "#ifdef AB_BLAS_ACCELERATE\n#include <Accelerate/Accelerate.h>\n#else\n#include <cblas.h>\n#endif\n", 0),
    ("c", "/* reads /proc/cpuinfo */\nint x;\n", 0),
    ("c", "readlink(\"/proc/self/exe\", b, n);\n", 1),
    ("c", "#include <sys/sysinfo.h>\n", 1),
    ("c", "if (fsync(fd) != 0)\n", 1),
    ("c", "if (ab_fsync(fd) != 0)\n", 0),
    ("c", "clock_gettime(CLOCK_MONOTONIC_RAW, &ts);\n", 1),
    ("c", "#include <stdlib.h>\nchar *d = mkdtemp(t);\n", 1),
    ("c", "#include <unistd.h>\nchar *d = mkdtemp(t);\n", 0),
    ("sh", "t0=$(date +%s%N)\n", 1),
    ("sh", "script -qec \"$cmd\" /dev/null\n", 1),
    ("sh", "stat -c %Y \"$f\"\n", 1),
    ("sh", "stat -c %Y \"$f\"  # platform: the Linux branch of a uname test\n", 0),
    ("sh", "x=$(md5sum <f)\n", 1),
    ("sh", "grep -l x /proc/[0-9]*/cmdline\n", 1),
    ("sh", "# a comment about date -d\n", 0),
    ("sh", "sed -i 's/a/b/' f\n", 1),
    ("sh", "sed -i '' 's/a/b/' f\n", 0),
    ("sh", "anebench run --timeout 3\n", 0),
    ("sh", "timeout 3 anebench run\n", 1),
    ("sh", "touch -d '2000-01-01' f\n", 1),
    ("sh", "mknod -m 666 n c 1 3\n", 1),
    ("sh", "[ \"$(uname)\" = Linux ] && mknod -m 666 n c 1 3  # platform: Linux only\n", 0),
    ("sh", "[ \"$(wc -l <f)\" = 1 ]\n", 1),
    ("sh", "[ \"$(wc -l <f)\" -eq 1 ]\n", 0),
    ("py", "for p in glob.glob('/proc/[0-9]*/cmdline'):\n", 1),
]


def self_test():
    bad = 0
    for kind, snippet, want in SELF_TESTS:
        got = LINTERS[kind]("snippet", snippet)
        if len(got) != want:
            print("platform_lint self-test: %d findings, wanted %d, in:\n%s%s" % (len(got), want, snippet, got))
            bad = 1
    return bad


def main():
    if sys.argv[1:] == ["--self-test"]:
        bad = self_test()
        print("platform_lint: self-test %s (%d snippets)" % ("FAILED" if bad else "ok", len(SELF_TESTS)))
        return bad
    if len(sys.argv) != 2:
        print(__doc__.strip().split("\n\n")[-1])
        return 2
    src = sys.argv[1]
    if self_test():
        return 1
    findings, n = [], 0
    for kind, rel in tree_files(src):
        n += 1
        text = open(os.path.join(src, rel), errors="replace").read()
        findings += LINTERS[kind](rel, text)
    for f in findings:
        print(f)
    print("platform_lint: %d files, %d findings" % (n, len(findings)))
    if n < 50:
        print("platform_lint: too few files: wrong source directory?")
        return 1
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
