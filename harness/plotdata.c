/* plotdata.c: the chart list and the tidy .dat writer: the top of the plot
 * files. It calls the chart builders (plotcharts.h: plotcharts.c for one
 * run, plotcompare.c for several), which build on plottable.c and
 * plotrun.c; none of those calls back into this file. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/outfile.h"
#include "harness/plotcharts.h"
#include "harness/plotdata.h"
#include "harness/plotrun.h"
#include "harness/plottable.h"

/* ---- gnuplot commands ---- */

/* Appends printf text to buf (n bytes); cut where buf ends. */
static void append(char *buf, size_t n, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 1 >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, n - len, fmt, ap);
    va_end(ap);
}

/* The path p as seen from any folder: p itself when absolute, else
 * prefixed with the working directory. */
static void abs_path(const char *p, char *buf, size_t n)
{
    char cwd[PATH_MAX];
    if (p[0] == '/' || !getcwd(cwd, sizeof cwd)) {
        ab_strlcpy(buf, p, n);
        return;
    }
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    snprintf(buf, n, "%s/%s", cwd, p);
}

int plot_render_cmd(const ab_chart *c, const char *fmt, const char *plots, char *buf, size_t n)
{
    char dat[PATH_MAX + 16], out[PATH_MAX + 16], script[PATH_MAX + 64];
    abs_path(c->dat, dat, sizeof dat);
    abs_path(c->base, out, sizeof out - 8);
    append(out, sizeof out, ".%s", fmt);
    snprintf(script, sizeof script, "%s/%s.gp", plots ? plots : "plots", c->script);
    buf[0] = '\0';
    /* -c: gnuplot takes the words after the script as values (ARG1...),
     * never as commands; ab_shell_word keeps them from the shell (and keeps
     * the line one line whatever a path holds). */
    append(buf, n, "gnuplot -c ");
    ab_shell_word(buf, n, script, 1);
    const char *args[] = {dat, out, fmt};
    for (size_t i = 0; i < 3; i++) {
        append(buf, n, " ");
        ab_shell_word(buf, n, args[i], 1);
    }
    return 0;
}

/* ---- the .dat writer ---- */

static void put_title(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++)
        fputc(*s == '"' ? '\'' : *s, f);
    fputc('"', f);
}

/* A "# var NAME "VALUE"" header line: a setting the plots/ scripts read
 * from the file itself, so a chart drawn by hand is titled (and marked
 * SIMULATED) as anebench draws it. One line each: a newline becomes the
 * two characters \n (the scripts turn them back), '"' becomes '\''. */
static void put_var(FILE *f, const char *name, const char *val)
{
    fprintf(f, "# var %s \"", name);
    for (; *val; val++)
        if (*val == '\n')
            fputs("\\n", f);
        else
            fputc(*val == '"' ? '\'' : (unsigned char)*val < 0x20 ? ' ' : *val, f);
    fputs("\"\n", f);
}

static void put_vars(FILE *f, const ab_chart *c)
{
    char num[32];
    put_var(f, "title", c->title);
    put_var(f, "note", c->note);
    put_var(f, "simulated", c->simulated ? "1" : "0");
    if (isfinite(c->peak)) {
        snprintf(num, sizeof num, "%g", c->peak);
        put_var(f, "peak", num);
    }
    if (c->nser > 0) {
        snprintf(num, sizeof num, "%d", c->nser);
        put_var(f, "nser", num);
        put_var(f, "peaks", c->peaks);
        put_var(f, "runs", c->runs);
        put_var(f, "series", c->series);
    }
}

static int table_write(const pd_table *t, const ab_chart *c, const char *what, const char *runs_text,
                       const char *plots, ab_err *e)
{
    ab_outfile o;
    if (ab_outfile_open(&o, c->file, AB_OUT_OWN, e) != AB_OK)
        return e->code = AB_EUSAGE; /* the message names the file and why */
    FILE *f = o.f;
    fprintf(f, "# anebench plot data: %s\n", what);
    fprintf(f, "%s", runs_text);
    if (c->note[0])
        fprintf(f, "# selection: %s\n", c->note);
    fprintf(f,
            "# var: chart settings the plots/%s.gp script reads from this header\n"
            "#   (a gnuplot -e NAME=VALUE takes precedence)\n",
            c->script);
    put_vars(f, c);
    fprintf(f,
            "# layout: one block per series, blocks separated by two blank lines; a block's first\n"
            "#   row is a header: the series title, then the names of columns 2..%zu\n"
            "#   (gnuplot: plot for [i=0:*] data index i ... title columnheader(1))\n",
            t->ncol + (size_t)t->has_label);
    fprintf(f, "# columns:\n");
    for (const char *p = t->coldoc; *p;) {
        size_t l = strcspn(p, "\n");
        fprintf(f, "#   %.*s\n", (int)l, p);
        p += l + (p[l] == '\n');
    }
    char cmd[3 * PATH_MAX];
    plot_render_cmd(c, "png", plots, cmd, sizeof cmd);
    fprintf(f, "# render: %s\n", cmd);
    fprintf(f, "#   (%s; for SVG: an .svg OUT and svg as FMT)\n",
            plots ? "from any folder" : "from the anebench source folder: its plots/ scripts were not found");
    for (size_t k = 0; k < t->ns; k++) {
        const pd_series *s = &t->s[k];
        fputs(k ? "\n\n" : "\n", f);
        put_title(f, s->title);
        fprintf(f, " %s\n", t->colnames);
        for (size_t i = 0; i < s->rows; i++) {
            for (size_t j = 0; j < t->ncol; j++) {
                double x = s->v[i * t->ncol + j];
                if (isnan(x))
                    fprintf(f, "%sNaN", j ? " " : "");
                else
                    fprintf(f, "%s%.7g", j ? " " : "", x);
            }
            if (t->has_label) {
                fputc(' ', f);
                put_title(f, s->lab[i]);
            }
            fputc('\n', f);
        }
    }
    if (ab_outfile_commit(&o, e) != AB_OK)
        return e->code = AB_EUSAGE;
    return 0;
}

/* ---- the chart list ---- */

static ab_chart *chart_add(ab_chartlist *l, const char *dir, const char *prefix, const char *script)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        ab_chart *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return NULL;
        l->v = v;
        l->cap = cap;
    }
    ab_chart *c = &l->v[l->n++];
    memset(c, 0, sizeof *c);
    c->peak = NAN;
    ab_strlcpy(c->script, script, sizeof c->script);
    snprintf(c->base, sizeof c->base, "%s/%s%s", dir, prefix, script);
    snprintf(c->dat, sizeof c->dat, "%s.dat", c->base);
    if (l->stage)
        snprintf(c->file, sizeof c->file, "%s/%s%s.dat", l->stage, prefix, script);
    else
        ab_strlcpy(c->file, c->dat, sizeof c->file);
    return c;
}

void chartlist_free(ab_chartlist *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

enum { CH_CHANNELS, CH_SPATIAL, CH_PHASES, CH_QOS, CH_PROCEDURE, CH_RT, CH_WALL_HW, CH_ROOFLINE, CH_SRAM, CH_N1 };

static const struct {
    const char *script, *what;
} one_run_charts[CH_N1] = {
    {"gflops_vs_channels", "GFLOPS vs channels (cin), one series per spatial size"},
    {"gflops_vs_spatial", "GFLOPS vs spatial size, one series per channel count"},
    {"phases", "compile, load, first eval and steady eval time vs kernel size"},
    {"qos", "compile, load and eval time per QoS value"},
    {"procedure", "eval time per procedure index"},
    {"rt_vs_normal", "eval time on the real-time path vs the normal path"},
    {"wall_vs_hw", "wall-clock vs hardware (hwExecutionTime) eval time"},
    {"roofline", "GFLOPS vs arithmetic intensity (FLOPs per byte moved)"},
    {"sram", "GFLOPS vs weight size (MiB) per kernel family, knees where the data shows one"},
};

static void build_one(const ab_run *run, int which, pd_table *t, ab_chart *c)
{
    switch (which) {
    case CH_CHANNELS:
        pd_build_curve(run, AX_CIN, t, c);
        break;
    case CH_SPATIAL:
        pd_build_curve(run, AX_SPATIAL, t, c);
        break;
    case CH_PHASES:
        pd_build_phases(run, t, c);
        break;
    case CH_QOS:
        pd_build_qos(run, t, c);
        break;
    case CH_PROCEDURE:
        pd_build_procedure(run, t, c);
        break;
    case CH_RT:
        pd_build_rt(run, t, c);
        break;
    case CH_WALL_HW:
        pd_build_wall_hw(run, t, c);
        break;
    case CH_SRAM:
        pd_build_sram(run, t, c);
        break;
    default:
        pd_build_roofline(run, t, c);
        break;
    }
}

/* Letters, digits, '.', '-' and '_' survive in file names; the rest become '-'. */
static void file_safe(char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '.' ||
              *s == '-' || *s == '_'))
            *s = '-';
}

static void runs_text(const ab_run *runs, size_t nruns, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < nruns && len < n; i++) {
        char title[256];
        plot_run_title(&runs[i], title, sizeof title);
        int w = snprintf(buf + len, n - len, "# run%s: %s (%s)\n", nruns > 1 ? (i ? " OTHER" : " BASE") : "",
                         title, runs[i].origin);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

static int finish_chart(pd_table *t, ab_chart *c, const char *what, const char *rtext, const char *plots,
                        ab_err *e)
{
    if (t->ns == 0) {
        c->has_data = 0;
        if (!c->why[0])
            ab_strlcpy(c->why, "no data", sizeof c->why);
        return 0;
    }
    c->has_data = 1;
    c->why[0] = '\0';
    return table_write(t, c, what, rtext, plots, e);
}

/* The title of a chart of several runs: one line per run, "BASE: <run
 * title>", "OTHER: ..." (numbered past two runs), with the run's legend
 * name ("BASE cpu (run 1): ...") where the title does not hold it. */
static void compare_title(const ab_run *runs, size_t nruns, const char *labels, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t r = 0; r < nruns; r++) {
        char title[256], who[32];
        const char *lab = labels + r * PLOT_LABEL_MAX;
        plot_run_title(&runs[r], title, sizeof title);
        if (r == 0)
            snprintf(who, sizeof who, "BASE");
        else if (nruns == 2)
            snprintf(who, sizeof who, "OTHER");
        else
            snprintf(who, sizeof who, "OTHER %zu", r);
        if (strstr(title, lab))
            append(buf, n, "%s%s: %s", r ? "\n" : "", who, title);
        else
            append(buf, n, "%s%s %s: %s", r ? "\n" : "", who, lab, title);
    }
}

static int write_one_run(const ab_run *runs, size_t nruns, size_t r, const char *dir, const char *plots,
                         char *rtext, ab_chartlist *out, ab_err *e)
{
    char prefix[96] = "";
    if (nruns > 1) {
        char label[64];
        plot_run_label(&runs[r], label, sizeof label);
        file_safe(label);
        snprintf(prefix, sizeof prefix, "run%zu-%s-", r + 1, label);
    }
    runs_text(&runs[r], 1, rtext, 4096);
    for (int k = 0; k < CH_N1; k++) {
        ab_chart *c = chart_add(out, dir, prefix, one_run_charts[k].script);
        if (!c)
            return ab_errf(e, AB_EUSAGE, "out of memory");
        plot_run_title(&runs[r], c->title, sizeof c->title);
        c->simulated = plot_run_simulated(&runs[r]);
        pd_table t;
        pd_table_init(&t, 1, 0, "", "");
        build_one(&runs[r], k, &t, c);
        int rc = finish_chart(&t, c, one_run_charts[k].what, rtext, plots, e);
        pd_table_free(&t);
        if (rc)
            return rc;
    }
    return 0;
}

static int write_compare(const ab_run *runs, size_t nruns, const char *dir, const char *plots, char *rtext,
                         ab_chartlist *out, ab_err *e)
{
    static const char *const what[2] = {"GFLOPS vs channels of each run, overlaid",
                                        "eval time ratio OTHER/BASE per common case"};
    char *labels = malloc(nruns * PLOT_LABEL_MAX);
    if (!labels)
        return ab_errf(e, AB_EUSAGE, "out of memory");
    plot_run_labels(runs, nruns, labels, PLOT_LABEL_MAX);
    runs_text(runs, nruns, rtext, 4096);
    int rc = 0;
    for (int k = 0; k < 2 && !rc; k++) {
        ab_chart *c = chart_add(out, dir, "", k ? "ratio" : "overlay");
        if (!c) {
            rc = ab_errf(e, AB_EUSAGE, "out of memory");
            break;
        }
        compare_title(runs, nruns, labels, c->title, sizeof c->title);
        for (size_t r = 0; r < nruns; r++)
            c->simulated |= plot_run_simulated(&runs[r]);
        pd_table t;
        pd_table_init(&t, 1, 0, "", "");
        if (k)
            pd_build_ratio(runs, nruns, labels, &t, c);
        else
            pd_build_overlay(runs, nruns, labels, &t, c);
        rc = finish_chart(&t, c, what[k], rtext, plots, e);
        pd_table_free(&t);
    }
    free(labels);
    return rc;
}

int plotdata_write_all(const ab_run *runs, size_t nruns, const char *dir, const char *plots,
                       ab_chartlist *out, ab_err *e)
{
    return plotdata_write_staged(runs, nruns, dir, NULL, plots, out, e);
}

int plotdata_write_staged(const ab_run *runs, size_t nruns, const char *dir, const char *stage,
                          const char *plots, ab_chartlist *out, ab_err *e)
{
    memset(out, 0, sizeof *out);
    out->stage = stage;
    char *rtext = malloc(4096);
    if (!rtext)
        return ab_errf(e, AB_EUSAGE, "out of memory");
    int rc = 0;
    for (size_t r = 0; r < nruns && !rc; r++)
        rc = write_one_run(runs, nruns, r, dir, plots, rtext, out, e);
    if (nruns > 1 && !rc)
        rc = write_compare(runs, nruns, dir, plots, rtext, out, e);
    free(rtext);
    if (rc)
        chartlist_free(out);
    return rc;
}
