/* plotdata.c: the chart list, run titles, and the tidy .dat writer.
 * What each chart selects from the records lives in plotcharts.c. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "harness/outfile.h"
#include "harness/plotdata.h"
#include "harness/plotdata_int.h"

/* ---- tables ---- */

void pd_table_init(pd_table *t, size_t ncol, int has_label, const char *colnames, const char *coldoc)
{
    memset(t, 0, sizeof *t);
    t->ncol = ncol;
    t->has_label = has_label;
    t->colnames = colnames;
    t->coldoc = coldoc;
}

static void series_free(pd_series *s)
{
    free(s->v);
    free(s->lab);
}

void pd_table_free(pd_table *t)
{
    for (size_t i = 0; i < t->ns; i++)
        series_free(&t->s[i]);
    free(t->s);
    t->s = NULL;
    t->ns = t->cap = 0;
}

pd_series *pd_table_series(pd_table *t, const long *key, const char *title)
{
    for (size_t i = 0; i < t->ns; i++)
        if (!memcmp(t->s[i].key, key, sizeof t->s[i].key))
            return &t->s[i];
    if (t->ns == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 8;
        pd_series *s = realloc(t->s, cap * sizeof *s);
        if (!s)
            return NULL;
        t->s = s;
        t->cap = cap;
    }
    pd_series *s = &t->s[t->ns++];
    memset(s, 0, sizeof *s);
    memcpy(s->key, key, sizeof s->key);
    ab_strlcpy(s->title, title, sizeof s->title);
    return s;
}

int pd_series_add(pd_table *t, pd_series *s, const double *row, const char *label)
{
    if (s->rows == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        double *v = realloc(s->v, cap * t->ncol * sizeof *v);
        if (!v)
            return -1;
        s->v = v;
        if (t->has_label) {
            char(*lab)[64] = realloc(s->lab, cap * sizeof *lab);
            if (!lab)
                return -1;
            s->lab = lab;
        }
        s->cap = cap;
    }
    memcpy(s->v + s->rows * t->ncol, row, t->ncol * sizeof *row);
    if (t->has_label)
        ab_strlcpy(s->lab[s->rows], label ? label : "", sizeof s->lab[0]);
    s->rows++;
    return 0;
}

/* Row a before row b, comparing columns from col on (NaN last). */
static int row_before(const double *a, const double *b, size_t col, size_t ncol)
{
    for (size_t c = col; c < ncol; c++) {
        if (a[c] == b[c] || (isnan(a[c]) && isnan(b[c])))
            continue;
        if (isnan(a[c]))
            return 0;
        if (isnan(b[c]))
            return 1;
        return a[c] < b[c];
    }
    return 0;
}

/* Insertion sort: series are short (a sweep's worth of rows), and the
 * rows travel with their labels. */
void pd_table_sort_rows(pd_table *t, size_t col)
{
    size_t nc = t->ncol;
    double *tmp = malloc(nc * sizeof *tmp);
    if (!tmp)
        return;
    for (size_t k = 0; k < t->ns; k++) {
        pd_series *s = &t->s[k];
        for (size_t i = 1; i < s->rows; i++) {
            char lab[64] = "";
            memcpy(tmp, s->v + i * nc, nc * sizeof *tmp);
            if (s->lab)
                memcpy(lab, s->lab[i], sizeof lab);
            size_t j = i;
            while (j > 0 && row_before(tmp, s->v + (j - 1) * nc, col, nc)) {
                memcpy(s->v + j * nc, s->v + (j - 1) * nc, nc * sizeof *tmp);
                if (s->lab)
                    memcpy(s->lab[j], s->lab[j - 1], sizeof lab);
                j--;
            }
            memcpy(s->v + j * nc, tmp, nc * sizeof *tmp);
            if (s->lab)
                memcpy(s->lab[j], lab, sizeof lab);
        }
    }
    free(tmp);
}

static size_t series_distinct(const pd_table *t, const pd_series *s, size_t col)
{
    size_t n = 0;
    for (size_t i = 0; i < s->rows; i++) {
        double x = s->v[i * t->ncol + col];
        size_t j = 0;
        while (j < i && s->v[j * t->ncol + col] != x)
            j++;
        n += (j == i && !isnan(x));
    }
    return n;
}

void pd_table_drop_short(pd_table *t, size_t col, size_t min_distinct)
{
    size_t w = 0;
    for (size_t i = 0; i < t->ns; i++) {
        if (series_distinct(t, &t->s[i], col) >= min_distinct)
            t->s[w++] = t->s[i];
        else
            series_free(&t->s[i]);
    }
    t->ns = w;
}

size_t pd_table_distinct(const pd_table *t, size_t col)
{
    size_t n = 0;
    for (size_t k = 0; k < t->ns; k++)
        for (size_t i = 0; i < t->s[k].rows; i++) {
            double x = t->s[k].v[i * t->ncol + col];
            int seen = isnan(x);
            for (size_t k2 = 0; k2 <= k && !seen; k2++)
                for (size_t i2 = 0; i2 < (k2 == k ? i : t->s[k2].rows) && !seen; i2++)
                    seen = t->s[k2].v[i2 * t->ncol + col] == x;
            n += !seen;
        }
    return n;
}

void pd_table_relabel(pd_table *t, unsigned always, unsigned never)
{
    unsigned varying = 0;
    for (size_t k = 1; k < t->ns; k++)
        for (int a = 0; a < AX_COUNT; a++)
            if (t->s[k].key[a] != t->s[0].key[a])
                varying |= PD_BIT(a);
    for (size_t k = 0; k < t->ns; k++) {
        pd_key_label(t->s[k].key, (always | varying) & ~never, t->s[k].title, sizeof t->s[k].title);
        if (!t->s[k].title[0])
            ab_strlcpy(t->s[k].title, "all ok cases", sizeof t->s[k].title);
    }
}

static int key_before(const long *a, const long *b, int first)
{
    if (a[first] != b[first])
        return a[first] < b[first];
    for (int i = 0; i < AX_COUNT; i++)
        if (a[i] != b[i])
            return a[i] < b[i];
    return 0;
}

void pd_table_sort_series(pd_table *t, int first)
{
    for (size_t i = 1; i < t->ns; i++) {
        pd_series tmp = t->s[i];
        size_t j = i;
        while (j > 0 && key_before(tmp.key, t->s[j - 1].key, first)) {
            t->s[j] = t->s[j - 1];
            j--;
        }
        t->s[j] = tmp;
    }
}

/* ---- records and keys ---- */

int pd_rec_ok(const ab_record *r)
{
    return r->status == AB_ST_OK && r->eval.n > 0 && r->eval.median > 0;
}

double pd_rec_flops(const ab_record *r)
{
    return isfinite(r->flops) && r->flops > 0 ? r->flops : case_flops(&r->params);
}

double pd_rec_bytes(const ab_record *r)
{
    return isfinite(r->bytes) && r->bytes > 0 ? r->bytes : case_bytes(&r->params);
}

void pd_norm_key(const ab_record *r, unsigned drop_mask, long *key)
{
    for (int a = 0; a < AX_COUNT; a++)
        key[a] = r->params.v[a];
    if (key[AX_COUT] == key[AX_CIN])
        key[AX_COUT] = AB_AXIS_SAME;
    for (int a = 0; a < AX_COUNT; a++)
        if (drop_mask & PD_BIT(a))
            key[a] = 0;
}

void pd_key_label(const long *key, unsigned mask, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    ab_case c; /* the key's family decides which axes it has */
    case_default(&c);
    for (int a = 0; a < AX_COUNT; a++)
        c.v[a] = key[a];
    for (int a = 0; a < AX_COUNT && len < n; a++) {
        if (!(mask & PD_BIT(a)))
            continue;
        if ((a == AX_COUT && key[a] == AB_AXIS_SAME) || (a == AX_THREADS && key[a] == 0))
            continue;
        if (a == AX_KERNEL ? key[a] == 0 : !case_axis_in_key(&c, a))
            continue; /* kernel named when not the first family (conv1x1) */
        char val[32];
        axis_format_value(&ab_axes[a], key[a], val, sizeof val);
        int w = snprintf(buf + len, n - len, "%s%s=%s", len ? " " : "", ab_axes[a].name, val);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

unsigned pd_varying_axes(const ab_run *run)
{
    unsigned mask = 0;
    long first[AX_COUNT], k[AX_COUNT];
    int have = 0;
    for (size_t i = 0; i < run->n; i++) {
        if (!pd_rec_ok(&run->recs[i]))
            continue;
        pd_norm_key(&run->recs[i], 0, have ? k : first);
        if (!have) {
            have = 1;
            continue;
        }
        for (int a = 0; a < AX_COUNT; a++)
            if (k[a] != first[a])
                mask |= PD_BIT(a);
    }
    return mask;
}

/* ---- run titles ---- */

/* A typed run.json text, NULL when unknown. */
static const char *info_str(const ab_run *run, const char *v)
{
    return run->has_info && v[0] ? v : NULL;
}

static int run_simulated(const ab_run *run)
{
    if (run->has_info && run->info.simulated == 1)
        return 1;
    for (size_t i = 0; i < run->n; i++)
        if (run->recs[i].simulated)
            return 1;
    return 0;
}

static const char *run_backend(const ab_run *run)
{
    const char *b = info_str(run, run->info.backend);
    if (b)
        return b;
    return run->n && run->recs[0].backend[0] ? run->recs[0].backend : "unknown backend";
}

double plot_run_peak(const ab_run *run)
{
    double p = run->has_info ? run->info.peak_gflops : NAN;
    return p > 0 ? p : NAN;
}

static const char *base_name(const char *path)
{
    const char *end = path + strlen(path);
    while (end > path && end[-1] == '/')
        end--;
    const char *s = end;
    while (s > path && s[-1] != '/')
        s--;
    return s;
}

/* A bare journal or CSV is named by its file, or by its run directory
 * when it has a run directory's standard name. */
static void origin_name(const ab_run *run, char *buf, size_t n)
{
    char path[sizeof run->origin];
    ab_strlcpy(path, run->origin, sizeof path);
    const char *b = base_name(path);
    if (b > path &&
        (!strncmp(b, "cases.csv", 9) || !strncmp(b, "cases.jsonl", 11) || !strncmp(b, "results.json", 12))) {
        path[b - path] = '\0';
        b = base_name(path);
    }
    snprintf(buf, n, "%.*s", (int)(strcspn(b, "/")), b);
}

/* The simulator's time scale when it is not 1 (ANEBENCH_SIM_SCALE, for
 * quick tests): every time is that factor of the modelled one, so GFLOPS
 * are 1/scale times the model's; 0 when 1 or unknown. */
static double run_time_scale(const ab_run *run)
{
    double v = run->has_info ? run->info.sim_scale : NAN;
    return v > 0 && v != 1.0 ? v : 0;
}

void plot_run_title(const ab_run *run, char *buf, size_t n)
{
    char where[160], date[16] = "";
    const char *chip = info_str(run, run->info.chip);
    const char *host = info_str(run, run->info.hostname);
    const char *bchip = info_str(run, run->info.backend_chip); /* the chip a backend drives or models */
    if (bchip && run_simulated(run))
        snprintf(where, sizeof where, "%s simulated on host %s", bchip, host ? host : "?");
    else if (chip || bchip)
        ab_strlcpy(where, chip ? chip : bchip, sizeof where);
    else if (host)
        snprintf(where, sizeof where, "host %s", host);
    else
        origin_name(run, where, sizeof where);
    const char *started = info_str(run, run->info.started);
    if (!started && run->n && run->recs[0].started[0])
        started = run->recs[0].started;
    if (started)
        snprintf(date, sizeof date, "%.10s", started);
    char scale[48] = "";
    if (run_time_scale(run) > 0)
        snprintf(scale, sizeof scale, ", time scale %g", run_time_scale(run));
    snprintf(buf, n, "%s | %s%s%s%s%s", where, run_backend(run), run_simulated(run) ? " | SIMULATED" : "",
             scale, date[0] ? " | " : "", date);
}

void plot_run_label(const ab_run *run, char *buf, size_t n)
{
    const char *chip = info_str(run, run->info.chip);
    buf[0] = '\0';
    if (chip && !run_simulated(run) && snprintf(buf, n, "%s ", chip) >= (int)n)
        return; /* a label is cut where the buffer ends */
    size_t len = strlen(buf);
    ab_strlcpy(buf + len, run_backend(run), n - len);
}

/* Whether label i of lab (n bytes each) equals another run's. */
static int label_shared(const char *lab, size_t nruns, size_t n, size_t i)
{
    for (size_t j = 0; j < nruns; j++)
        if (j != i && !strcmp(lab + i * n, lab + j * n))
            return 1;
    return 0;
}

void plot_run_labels(const ab_run *runs, size_t nruns, char *lab, size_t n)
{
    for (size_t i = 0; i < nruns; i++)
        plot_run_label(&runs[i], lab + i * n, n);
    unsigned char *shared = malloc(nruns ? nruns : 1);
    if (!shared)
        return;
    /* Two runs of one backend on one chip: told apart by their folders,
     * and when those are named alike too, by their numbers. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < nruns; i++)
            shared[i] = (unsigned char)label_shared(lab, nruns, n, i);
        for (size_t i = 0; i < nruns; i++) {
            if (!shared[i])
                continue;
            char label[64], name[96];
            plot_run_label(&runs[i], label, sizeof label);
            origin_name(&runs[i], name, sizeof name);
            if (pass == 0)
                snprintf(lab + i * n, n, "%s (%s)", label, name);
            else
                snprintf(lab + i * n, n, "%s (run %zu)", label, i + 1);
        }
    }
    free(shared);
}

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

/* 1 when s holds a control character (a newline would end the # render:
 * comment line, an escape sequence would reach the terminal). */
static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

int plot_render_cmd(const ab_chart *c, const char *fmt, const char *plots, char *buf, size_t n)
{
    char dat[PATH_MAX + 16], out[PATH_MAX + 16], script[PATH_MAX + 64];
    abs_path(c->dat, dat, sizeof dat);
    abs_path(c->base, out, sizeof out - 8);
    append(out, sizeof out, ".%s", fmt);
    snprintf(script, sizeof script, "%s/%s.gp", plots ? plots : "plots", c->script);
    buf[0] = '\0';
    if (has_control(dat) || has_control(script)) {
        append(buf, n, "# (no command: a path holds control characters) gnuplot -c %s.gp %s.dat", c->script,
               c->script);
        return -1;
    }
    /* -c: gnuplot takes the words after the script as values (ARG1...),
     * never as commands; single quotes keep them from the shell. */
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
        c->simulated = run_simulated(&runs[r]);
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
            c->simulated |= run_simulated(&runs[r]);
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
