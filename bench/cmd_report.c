/* cmd_report.c: `anebench report RUN... [--format md|html|txt] [-o FILE]
 * [--top N] [--all]`: the summary of one run, or one wide table of several
 * (harness/report.c). HTML inlines the charts of `anebench plot`, drawn as
 * SVG by the same gnuplot scripts (bench/report_charts.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/commands.h"
#include "bench/report_charts.h"
#include "bench/share_out.h"
#include "harness/reader.h"
#include "harness/report.h"
#include "harness/rounds.h"

static const char usage_text[] =
    "usage: anebench report RUN [RUN...] [--format md|html|txt] [-o FILE] [--top N] [--all]\n"
    "\n"
    "Summarises a run: its environment (chip, ANE, OS build, backend, simulated or not,\n"
    "tool version), headline figures each with the case it came from (peak GFLOPS and its\n"
    "share of the device's or profile's peak, the dispatch floor, compile/load/first-eval\n"
    "medians, hardware vs wall time), one compact table per sweep and the failures grouped\n"
    "by status, stage and error. Several runs: the same side by side, and the cases joined\n"
    "on their key in one table, one column per run.\n"
    "\n"
    "  RUN          a run directory, results.json, cases.jsonl, cases.csv or an export\n"
    "  --format F   md (default): GitHub markdown that fits in one comment (65,536\n"
    "               characters): long tables fold into <details>, tables are cut to\n"
    "               their top rows until it fits, and it says what it left out;\n"
    "               html: one self-contained page with the charts inline (SVG; needs\n"
    "               gnuplot, else the page says so); txt: plain text\n"
    "  -o FILE      write to FILE (replaced whole) instead of standard output\n"
    "  --top N      at most N rows per table (the best ones; the runs' largest\n"
    "               differences for several runs); default: all (md: all that fit)\n"
    "  --all        every row; md may then be longer than one comment\n"
    "  --help       this text\n"
    "\n"
    "exit codes: 0 done; 2 bad usage or input; 3 (html) gnuplot missing: the page\n"
    "            is written without charts\n";

struct report_args {
    const char **runs;
    int nruns;
    const char *out;
    ab_report_opts o;
};

static int parse_count(const char *s, size_t *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 1 || v > 1000000)
        return -1;
    *out = (size_t)v;
    return 0;
}

static int parse_args(int argc, char **argv, struct report_args *a, int *help, ab_err *e)
{
    memset(&a->o, 0, sizeof a->o);
    a->o.fmt = DOC_MD;
    *help = 0;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *val = NULL;
        if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
            *help = 1;
            return 0;
        }
        if (!strcmp(s, "--all")) {
            a->o.all = 1;
            continue;
        }
        if (!strcmp(s, "-o") || !strcmp(s, "--format") || !strcmp(s, "--top")) {
            if (i + 1 >= argc)
                return ab_errf(e, AB_EUSAGE, "report: option '%s' needs a value", s);
            val = argv[++i];
        } else if (!strncmp(s, "--format=", 9) || !strncmp(s, "--top=", 6)) {
            val = strchr(s, '=') + 1;
        } else if (s[0] == '-' && s[1]) {
            return ab_errf(e, AB_EUSAGE, "report: unknown option '%s' (see anebench report --help)", s);
        } else {
            a->runs[a->nruns++] = s;
            continue;
        }
        if (!strcmp(s, "-o")) {
            if (!*val)
                return ab_errf(e, AB_EUSAGE, "report: option '-o' needs a file name");
            a->out = val;
        } else if (!strncmp(s, "--format", 8)) {
            if (!strcmp(val, "md"))
                a->o.fmt = DOC_MD;
            else if (!strcmp(val, "html"))
                a->o.fmt = DOC_HTML;
            else if (!strcmp(val, "txt"))
                a->o.fmt = DOC_TXT;
            else
                return ab_errf(e, AB_EUSAGE, "report: --format '%s' is not one of md, html, txt", val);
        } else if (parse_count(val, &a->o.top) != 0) {
            return ab_errf(e, AB_EUSAGE, "report: --top '%s' is not a count of rows (1 or more)", val);
        }
    }
    if (a->nruns == 0)
        return ab_errf(e, AB_EUSAGE, "report needs at least one RUN (see anebench report --help)");
    return 0;
}

int cmd_report(int argc, char **argv)
{
    struct report_args a = {0};
    int help;
    ab_err e;
    ab_err_clear(&e);
    a.runs = calloc((size_t)argc, sizeof *a.runs);
    ab_run *runs = calloc((size_t)argc, sizeof *runs);
    if (!a.runs || !runs) {
        free(a.runs);
        free(runs);
        return ab_report(AB_EFAIL, "out of memory");
    }
    int rc = parse_args(argc, argv, &a, &help, &e);
    if (!rc && help)
        fputs(usage_text, stdout);
    int loaded = 0;
    if (!rc && !help) {
        /* shown: no control sequence from a file reaches a terminal */
        if (run_load_all_merged(runs, (const char *const *)a.runs, (size_t)a.nruns, 1, &e) != 0)
            rc = e.code ? e.code : AB_EUSAGE;
        else
            loaded = a.nruns;
    }
    report_charts charts = {0};
    int charts_rc = 0;
    if (!rc && !help && a.o.fmt == DOC_HTML) {
        charts_rc = report_charts_make(a.runs, (size_t)a.nruns, &charts);
        a.o.charts = charts.v;
        a.o.ncharts = charts.n;
        a.o.charts_note = charts.note[0] ? charts.note : NULL;
    }
    if (!rc && !help) {
        a.o.names = a.runs;
        size_t len = 0;
        char *text = report_render(runs, (size_t)a.nruns, &a.o, &len, &e);
        if (!text)
            rc = e.code;
        else if (share_write_output(a.out, text, len, &e) != 0)
            rc = e.code;
        else if (a.o.fmt == DOC_MD && a.o.all && len > AB_GITHUB_COMMENT_MAX)
            fprintf(stderr,
                    "anebench: note: with --all the report is %zu characters, more than one GitHub comment "
                    "holds (%d)\n",
                    len, AB_GITHUB_COMMENT_MAX);
        free(text);
    }
    if (!rc && charts_rc)
        rc = ab_report(charts_rc, charts.note);
    else if (rc)
        ab_report(rc, e.msg);
    report_charts_free(&charts);
    for (int i = 0; i < loaded; i++)
        run_free(&runs[i]);
    free(runs);
    free(a.runs);
    return rc;
}
