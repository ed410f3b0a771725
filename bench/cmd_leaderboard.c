/* cmd_leaderboard.c: `anebench leaderboard FILE... [--format md|csv|json]
 * [-o FILE]`: submissions of many machines as one table per preset
 * (harness/leaderboard.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/commands.h"
#include "bench/share_out.h"
#include "harness/leaderboard.h"
#include "harness/reader.h"
#include "harness/rounds.h"

static const char usage_text[] =
    "usage: anebench leaderboard FILE [FILE...] [--format md|csv|json] [-o FILE]\n"
    "\n"
    "Aggregates submissions (anebench export files; run directories and results.json\n"
    "work too) of many machines into one table per preset: one row per machine (its\n"
    "hardware hash and backend; the newest of its submissions), ranked by peak GFLOPS,\n"
    "with the case of the peak, its share of the device's peak, the dispatch floor and the\n"
    "compile and load medians. Simulated runs are in tables of their own, marked\n"
    "SIMULATED. The same files give the same bytes, in any order.\n"
    "\n"
    "  FILE         an export (anebench export RUN -o FILE.json) or any run\n"
    "  --format F   md (default, GitHub markdown), csv, json\n"
    "  -o FILE      write to FILE (replaced whole) instead of standard output\n"
    "  --help       this text\n"
    "\n"
    "exit codes: 0 done; 2 bad usage or input\n";

int cmd_leaderboard(int argc, char **argv)
{
    const char **files = calloc((size_t)argc, sizeof *files);
    ab_run *runs = calloc((size_t)argc, sizeof *runs);
    const char *out = NULL;
    lb_format fmt = LB_MD;
    int nfiles = 0, rc = 0;
    ab_err e;
    ab_err_clear(&e);
    if (!files || !runs) {
        free(files);
        free(runs);
        return ab_report(AB_EFAIL, "out of memory");
    }
    for (int i = 1; i < argc && !rc; i++) {
        const char *s = argv[i], *val = NULL;
        if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
            fputs(usage_text, stdout);
            free(files);
            free(runs);
            return 0;
        }
        if (!strcmp(s, "-o") || !strcmp(s, "--format")) {
            if (i + 1 >= argc || !*argv[i + 1]) {
                rc = ab_errf(&e, AB_EUSAGE, "leaderboard: option '%s' needs a value", s);
                break;
            }
            val = argv[++i];
        } else if (!strncmp(s, "--format=", 9)) {
            val = s + 9;
        } else if (s[0] == '-' && s[1]) {
            rc = ab_errf(&e, AB_EUSAGE, "leaderboard: unknown option '%s' (see anebench leaderboard --help)",
                         s);
            break;
        } else {
            files[nfiles++] = s;
            continue;
        }
        if (!strcmp(s, "-o"))
            out = val;
        else if (!strcmp(val, "md"))
            fmt = LB_MD;
        else if (!strcmp(val, "csv"))
            fmt = LB_CSV;
        else if (!strcmp(val, "json"))
            fmt = LB_JSON;
        else
            rc = ab_errf(&e, AB_EUSAGE, "leaderboard: --format '%s' is not one of md, csv, json", val);
    }
    if (!rc && nfiles == 0)
        rc = ab_errf(&e, AB_EUSAGE, "leaderboard needs at least one FILE (see anebench leaderboard --help)");
    int loaded = 0;
    if (!rc) {
        /* shown: no control sequence from a file reaches a terminal */
        if (run_load_all_merged(runs, (const char *const *)files, (size_t)nfiles, 1, &e) != 0)
            rc = e.code ? e.code : AB_EUSAGE;
        else
            loaded = nfiles;
    }
    if (!rc) {
        size_t len = 0;
        char *text = leaderboard_render(runs, (size_t)nfiles, fmt, &len, &e);
        if (!text || share_write_output(out, text, len, &e) != 0)
            rc = e.code;
        free(text);
    }
    if (rc)
        ab_report(rc, e.msg);
    for (int i = 0; i < loaded; i++)
        run_free(&runs[i]);
    free(runs);
    free(files);
    return rc;
}
