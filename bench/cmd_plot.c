/* cmd_plot.c: `anebench plot RUN... [-o DIR] [--format png|svg]`.
 *
 * Loads the runs, writes the tidy .dat files (harness/plotdata.c), then
 * renders each chart that has data with gnuplot, which is found at run
 * time (ANEBENCH_GNUPLOT, else PATH) and run on plots/<chart>.gp with its
 * stderr captured: anything gnuplot says is reported as a warning. Files
 * are made in a private folder and moved in only over names an earlier
 * plot wrote (bench/plot_files.h). Without gnuplot the .dat files are still
 * written and the exact commands that would render them are printed; the
 * exit code is then 3. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/commands.h"
#include "bench/plot_files.h"
#include "harness/outfile.h"
#include "harness/platform.h"
#include "harness/plotdata.h"
#include "harness/reader.h"
#include "harness/runview.h"
#include "harness/rounds.h"

extern char **environ;

static const char usage_text[] =
    "usage: anebench plot RUN [RUN...] [-o DIR] [--format png|svg]\n"
    "\n"
    "Writes tidy .dat files and renders, with gnuplot, every chart the runs have data for:\n"
    "GFLOPS vs channels and vs spatial size, phase times vs kernel size, QoS, procedure\n"
    "index, real-time vs normal path, wall vs hardware time, roofline, GFLOPS vs weight\n"
    "size per kernel family (SRAM cliff; knees where the data shows one); with two or more\n"
    "runs also the GFLOPS curves of each run overlaid and the per-case time ratio\n"
    "OTHER/BASE (the first RUN is BASE). Charts without data are not produced.\n"
    "\n"
    "  RUN            a run directory, results.json, cases.jsonl or cases.csv\n"
    "  --where AXIS=VALUES  draw only the cases whose AXIS takes one of VALUES\n"
    "                 (repeatable; VALUES as --axis: kernel=matmul, io=fp16,\n"
    "                 data=zeros,random, depth=1..8): picks the variant (family,\n"
    "                 io, data pattern, depth...) a chart draws instead of the\n"
    "                 most common one\n"
    "  -o DIR         where to write (default: RUN/plots for one run directory,\n"
    "                 else ./anebench-plots)\n"
    "  --format F     png (default) or svg; 1280x800 either way\n"
    "  --help         this text\n"
    "\n"
    "environment: ANEBENCH_GNUPLOT (gnuplot program, else gnuplot on PATH),\n"
    "             ANEBENCH_PLOTS (folder of the .gp scripts)\n"
    "exit codes: 0 done (also when no chart has data: it says so, and why);\n"
    "            1 gnuplot failed on a chart; 2 bad usage or input;\n"
    "            3 gnuplot not found (.dat files written, commands printed)\n";

/* ---- finding things ---- */

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* gnuplot: $ANEBENCH_GNUPLOT (a path, or a name looked up on PATH), else
 * "gnuplot" on PATH. 0 and buf filled, or -1. */
static int find_gnuplot(char *buf, size_t n)
{
    const char *want = getenv("ANEBENCH_GNUPLOT");
    if (!want || !*want)
        want = "gnuplot";
    if (strchr(want, '/')) {
        ab_strlcpy(buf, want, n);
        return access(buf, X_OK) == 0 && is_file(buf) ? 0 : -1;
    }
    const char *path = getenv("PATH");
    if (!path)
        return -1;
    while (*path) {
        size_t l = strcspn(path, ":");
        int w = snprintf(buf, n, "%.*s/%s", (int)l, l ? path : ".", want);
        if (w > 0 && (size_t)w < n && access(buf, X_OK) == 0 && is_file(buf))
            return 0;
        path += l + (path[l] == ':');
    }
    return -1;
}

static int exe_dir(char *buf, size_t n)
{
    char p[PATH_MAX];
    if (ab_self_exe(p, sizeof p) != 0)
        return -1;
    char *slash = strrchr(p, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    ab_strlcpy(buf, p, n);
    return 0;
}

/* buf = the absolute, resolved form of path (printed commands stay short). */
static int canonical(const char *path, char *buf, size_t n)
{
    char real[PATH_MAX];
    ab_strlcpy(buf, realpath(path, real) ? real : path, n);
    return 0;
}

/* The folder of the .gp scripts: $ANEBENCH_PLOTS, then next to the
 * executable (../plots, ../share/anebench/plots), then the source tree it
 * was built from. 0, or AB_EUSAGE when ANEBENCH_PLOTS is wrong, -1 none. */
static int find_plots(char *buf, size_t n, char *msg, size_t nmsg)
{
    char probe[PATH_MAX + 64], dir[PATH_MAX];
    const char *env = getenv("ANEBENCH_PLOTS");
    if (env && *env) {
        snprintf(probe, sizeof probe, "%s/gflops_vs_channels.gp", env);
        if (!is_file(probe)) {
            snprintf(msg, nmsg, "ANEBENCH_PLOTS='%s' holds no gflops_vs_channels.gp", env);
            return AB_EUSAGE;
        }
        return canonical(env, buf, n);
    }
    static const char *const rel[] = {"/../plots", "/../share/anebench/plots", "/plots"};
    if (exe_dir(dir, sizeof dir) == 0)
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            snprintf(probe, sizeof probe, "%s%s/gflops_vs_channels.gp", dir, rel[i]);
            if (is_file(probe)) {
                snprintf(probe, sizeof probe, "%s%s", dir, rel[i]);
                return canonical(probe, buf, n);
            }
        }
#ifdef ANEBENCH_SOURCE_DIR
    snprintf(probe, sizeof probe, "%s/plots/gflops_vs_channels.gp", ANEBENCH_SOURCE_DIR);
    if (is_file(probe)) {
        snprintf(buf, n, "%s/plots", ANEBENCH_SOURCE_DIR);
        return 0;
    }
#endif
    return -1;
}

/* mkdir -p */
static int make_dirs(const char *path)
{
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s", path) >= (int)sizeof p)
        return -1;
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                return -1;
            *s = '/';
        }
    return mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : (is_dir(p) ? 0 : -1);
}

/* s as it may be printed: control characters (a path from someone else may
 * hold an escape sequence) shown as '?'. Four buffers in turn, so one
 * printf can show a few. */
static const char *shown(const char *s)
{
    static char buf[4][PATH_MAX + 64];
    static int next;
    char *b = buf[next++ % 4];
    ab_strlcpy(b, s, sizeof buf[0]);
    ab_scrub_text(b);
    return b;
}

/* ---- gnuplot ---- */

/* Runs gnuplot -c script data out fmt: -c hands the three words to the
 * script as values (ARG1..ARG3), which gnuplot never parses as commands,
 * whatever a path holds. Its stderr (warnings) into err. Returns its exit
 * status (127: it could not be started). */
static int run_gnuplot(const char *gnuplot, const char *script, const char *data, const char *out,
                       const char *fmt, char *err, size_t nerr)
{
    int fd[2];
    err[0] = '\0';
    if (pipe(fd) != 0)
        return 127;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", 0, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 2);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    char *argv[] = {(char *)gnuplot, (char *)"-c", (char *)script, (char *)data, (char *)out,
                    (char *)fmt,     NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, gnuplot, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc != 0) {
        close(fd[0]);
        snprintf(err, nerr, "cannot start %s: %s", gnuplot, strerror(rc));
        return 127;
    }
    size_t len = 0;
    char chunk[512];
    ssize_t got;
    while ((got = read(fd[0], chunk, sizeof chunk)) != 0) {
        if (got < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        size_t take = (size_t)got < nerr - 1 - len ? (size_t)got : nerr - 1 - len;
        memcpy(err + len, chunk, take);
        len += take;
    }
    err[len] = '\0';
    close(fd[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return 127;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* Reports each non-empty line gnuplot printed, naming the chart. */
static void report_gnuplot_output(const ab_chart *c, const char *text)
{
    for (const char *p = text; *p;) {
        size_t l = strcspn(p, "\n");
        if (l > 0 && strspn(p, " \t^") < l) {
            char line[1024];
            snprintf(line, sizeof line, "%.*s", (int)l, p);
            fprintf(stderr, "anebench: gnuplot on %s: %s\n", c->script, shown(line));
        }
        p += l + (p[l] == '\n');
    }
}

/* ---- the command ---- */

enum { PLOT_MAX_WHERE = 16 };

struct plot_opts {
    const char *out;
    const char *fmt;
    char **runs;
    int nruns;
    int nwhere;
    int where_axis[PLOT_MAX_WHERE]; /* --where: axis and its allowed values */
    long *where_vals[PLOT_MAX_WHERE];
    size_t where_n[PLOT_MAX_WHERE];
};

/* Parses one --where AXIS=VALUES into o. 0, or AB_EUSAGE reported. */
static int parse_where(struct plot_opts *o, const char *text)
{
    char msg[320], name[32];
    const char *eq = strchr(text, '=');
    size_t nl = eq ? (size_t)(eq - text) : 0;
    if (!eq || nl == 0 || nl >= sizeof name) {
        snprintf(msg, sizeof msg, "--where: '%.60s' is not AXIS=VALUES", text);
        return ab_report(AB_EUSAGE, msg);
    }
    memcpy(name, text, nl);
    name[nl] = '\0';
    int a = axis_find(name);
    if (a < 0) {
        snprintf(msg, sizeof msg, "--where: unknown axis '%s'", name);
        return ab_report(AB_EUSAGE, msg);
    }
    if (o->nwhere >= PLOT_MAX_WHERE)
        return ab_report(AB_EUSAGE, "--where: too many (at most 16)");
    ab_err e;
    ab_err_clear(&e);
    if (axis_parse_values(&ab_axes[a], eq + 1, &o->where_vals[o->nwhere], &o->where_n[o->nwhere], &e))
        return ab_report(AB_EUSAGE, e.msg);
    o->where_axis[o->nwhere++] = a;
    return 0;
}

/* Keeps the records every --where admits (cout given as "same" matches cout = cin). */
static void apply_where(const struct plot_opts *o, ab_run *run)
{
    size_t kept = 0;
    for (size_t i = 0; i < run->n; i++) {
        int ok = 1;
        for (int w = 0; w < o->nwhere && ok; w++) {
            long v = run->recs[i].params.v[o->where_axis[w]];
            if (o->where_axis[w] == AX_COUT && v == run->recs[i].params.v[AX_CIN])
                v = AB_AXIS_SAME;
            ok = 0;
            for (size_t k = 0; k < o->where_n[w] && !ok; k++)
                ok = o->where_vals[w][k] == v || (o->where_axis[w] == AX_COUT && o->where_vals[w][k] == v);
        }
        if (ok) {
            if (run->key_hash)
                run->key_hash[kept] = run->key_hash[i];
            run->recs[kept++] = run->recs[i];
        } else {
            record_free(&run->recs[i]);
        }
    }
    run->n = kept;
}

static int parse_args(int argc, char **argv, struct plot_opts *o, int *help)
{
    char msg[256];
    o->out = NULL;
    o->fmt = "png";
    o->nruns = 0;
    o->nwhere = 0;
    *help = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            *help = 1;
            return 0;
        }
        if (!strcmp(a, "-o") || !strcmp(a, "--format")) {
            if (i + 1 >= argc) {
                snprintf(msg, sizeof msg, "option '%s' needs a value", a);
                return ab_report(AB_EUSAGE, msg);
            }
            if (!strcmp(a, "-o"))
                o->out = argv[++i];
            else
                o->fmt = argv[++i];
        } else if (!strncmp(a, "--format=", 9)) {
            o->fmt = a + 9;
        } else if (!strcmp(a, "--where") || !strncmp(a, "--where=", 8)) {
            if (a[7] == '\0' && i + 1 >= argc)
                return ab_report(AB_EUSAGE, "option '--where' needs a value");
            if (parse_where(o, a[7] ? a + 8 : argv[++i]))
                return AB_EUSAGE;
        } else if (a[0] == '-' && a[1]) {
            snprintf(msg, sizeof msg, "plot: unknown option '%s' (see anebench plot --help)", a);
            return ab_report(AB_EUSAGE, msg);
        } else {
            o->runs[o->nruns++] = argv[i];
        }
    }
    if (strcmp(o->fmt, "png") && strcmp(o->fmt, "svg")) {
        snprintf(msg, sizeof msg, "bad --format '%s' (png or svg)", o->fmt);
        return ab_report(AB_EUSAGE, msg);
    }
    if (o->nruns == 0)
        return ab_report(AB_EUSAGE, "plot needs at least one RUN (see anebench plot --help)");
    if (o->out && !*o->out)
        return ab_report(AB_EUSAGE, "option '-o' needs a folder name");
    return 0;
}

/* Renders every chart with data into the stage (the private folder its
 * .dat is in), marking drawn[i]; returns 0, or 1 when gnuplot failed on
 * one (said on stderr, with why). */
static int render_all(const ab_chartlist *l, const char *gnuplot, const char *plots, const char *fmt,
                      unsigned char *drawn)
{
    int failed = 0;
    char script[PATH_MAX + 64], err[8192], img[1200];
    for (size_t i = 0; i < l->n; i++) {
        const ab_chart *c = &l->v[i];
        if (!c->has_data)
            continue;
        snprintf(script, sizeof script, "%s/%s.gp", plots, c->script);
        /* the stage's x.dat -> the stage's x.png: gnuplot writes only there */
        snprintf(img, sizeof img, "%.*s.%s", (int)(strlen(c->file) - 4), c->file, fmt);
        int rc = run_gnuplot(gnuplot, script, c->file, img, fmt, err, sizeof err);
        report_gnuplot_output(c, err);
        struct stat st;
        int made = stat(img, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
        if (rc != 0 || !made) {
            if (rc != 0)
                fprintf(stderr, "anebench: gnuplot failed on %s (exit %d)\n", c->script, rc);
            else
                fprintf(stderr, "anebench: gnuplot drew no image for %s (it exited 0 but wrote %s)\n",
                        c->script, access(img, F_OK) == 0 ? "an empty file" : "nothing");
            failed = 1;
            continue;
        }
        drawn[i] = 1;
    }
    return failed;
}

/* Lists each chart's image (when drawn) and data file. */
static void list_files(const ab_chartlist *l, const char *fmt, const unsigned char *drawn)
{
    for (size_t i = 0; i < l->n; i++) {
        if (!l->v[i].has_data)
            continue;
        if (drawn[i])
            printf("%s.%s\n", shown(l->v[i].base), fmt);
        printf("%s\n", shown(l->v[i].dat));
    }
}

static void print_commands(const ab_chartlist *l, const char *plots, const char *fmt)
{
    char cmd[3 * PATH_MAX];
    for (size_t i = 0; i < l->n; i++) {
        if (!l->v[i].has_data)
            continue;
        plot_render_cmd(&l->v[i], fmt, plots, cmd, sizeof cmd);
        printf("%s\n", cmd);
    }
}

/* Where the charts go: -o, else RUN/plots for one run directory, else
 * ./anebench-plots; created. 0, or AB_EUSAGE (reported). */
static int output_dir(const struct plot_opts *o, char *dir, size_t n)
{
    if (o->out)
        ab_strlcpy(dir, o->out, n);
    else if (o->nruns == 1 && is_dir(o->runs[0]))
        snprintf(dir, n, "%s/plots", o->runs[0]);
    else
        snprintf(dir, n, "anebench-plots");
    if (make_dirs(dir) == 0)
        return 0;
    int err = errno;
    char msg[PATH_MAX + 128];
    const char *why = ab_not_dir_reason(dir);
    snprintf(msg, sizeof msg, "cannot create folder '%s': %s", dir, *why ? why : strerror(err));
    return ab_report(AB_EUSAGE, msg);
}

/* Says plainly that nothing was drawn, and why: no records, no ok case,
 * or ok cases that vary too little for any chart (the per-chart reasons
 * are printed above it). Not an error: the run is what it is. */
static void say_nothing_drawn(const ab_run *runs, size_t nruns)
{
    size_t n = 0, ok = 0;
    for (size_t r = 0; r < nruns; r++)
        for (size_t i = 0; i < runs[r].n; i++) {
            n++;
            ok += runs[r].recs[i].status == AB_ST_OK;
        }
    if (n == 0)
        fprintf(stderr, "anebench: nothing drawn: the run%s hold%s no case records\n", nruns > 1 ? "s" : "",
                nruns > 1 ? "" : "s");
    else if (ok == 0)
        fprintf(stderr,
                "anebench: nothing drawn: none of the %zu cases has status ok (only ok cases are drawn)\n",
                n);
    else
        fprintf(
            stderr,
            "anebench: nothing drawn: %zu of %zu cases are ok, but no chart has the two or more values of "
            "what it draws that a line needs (reasons above)\n",
            ok, n);
}

/* Renders the charts with data into the stage (or, without gnuplot or
 * the scripts, prints the commands that would), puts the files in dir,
 * then lists those without data and why. Returns the command's exit code. */
static int draw(const ab_chartlist *charts, const char *plots, const char *fmt, const char *dir,
                const ab_run *runs, size_t nruns)
{
    size_t ndata = 0;
    for (size_t i = 0; i < charts->n; i++)
        ndata += charts->v[i].has_data != 0;
    unsigned char *drawn = calloc(charts->n + 1, 1);
    if (!drawn)
        return ab_report(AB_EUSAGE, "out of memory");
    char gnuplot[PATH_MAX];
    const char *missing = NULL; /* why nothing can be rendered here */
    int rc = 0;
    if (ndata > 0 && (!plots || find_gnuplot(gnuplot, sizeof gnuplot) != 0))
        missing = !plots ? "the gnuplot scripts were not found (set ANEBENCH_PLOTS): the .dat files are "
                           "written; render them with the commands above"
                         : "gnuplot not found (install it, or set ANEBENCH_GNUPLOT): the .dat files are "
                           "written; render them with the commands above";
    else if (ndata > 0)
        rc = render_all(charts, gnuplot, plots, fmt, drawn);
    size_t nstale = 0;
    ab_err e;
    ab_err_clear(&e);
    if (plot_files_publish(dir, charts, fmt, drawn, &nstale, &e) != 0) {
        free(drawn);
        return ab_report(e.code ? e.code : AB_EFAIL, e.msg);
    }
    list_files(charts, fmt, drawn);
    if (missing)
        print_commands(charts, plots, fmt);
    free(drawn);
    for (size_t i = 0; i < charts->n; i++)
        if (!charts->v[i].has_data)
            printf("no %s chart: %s\n", strrchr(charts->v[i].base, '/') + 1, charts->v[i].why);
    if (nstale)
        printf("removed %zu file%s of the previous plot in %s that this one does not draw\n", nstale,
               nstale > 1 ? "s" : "", shown(dir));
    if (ndata)
        printf("%zu of %zu charts have data; files in %s\n", ndata, charts->n, shown(dir));
    else
        printf("0 of %zu charts have data: nothing drawn, no file written in %s\n", charts->n, shown(dir));
    fflush(stdout);
    if (ndata == 0)
        say_nothing_drawn(runs, nruns);
    if (missing)
        rc = ab_report(AB_ETOOL, missing);
    return rc;
}

int cmd_plot(int argc, char **argv)
{
    struct plot_opts o;
    int help;
    o.runs = calloc((size_t)argc, sizeof *o.runs);
    if (!o.runs)
        return ab_report(AB_EUSAGE, "out of memory");
    int rc = parse_args(argc, argv, &o, &help);
    if (rc || help) {
        if (help)
            fputs(usage_text, stdout);
        for (int w = 0; w < o.nwhere; w++)
            free(o.where_vals[w]);
        free(o.runs);
        return rc;
    }

    ab_run *runs = calloc((size_t)o.nruns, sizeof *runs);
    if (!runs) {
        free(o.runs);
        return ab_report(AB_EUSAGE, "out of memory");
    }
    ab_err e;
    ab_err_clear(&e);
    int loaded = 0;
    if (!rc) {
        if (run_load_all_merged(runs, (const char *const *)o.runs, (size_t)o.nruns, 0, &e) != 0)
            rc = ab_report(e.code ? e.code : AB_EUSAGE, e.msg);
        else
            loaded = o.nruns;
    }

    for (int i = 0; i < loaded && !rc && o.nwhere; i++)
        apply_where(&o, &runs[i]);
    for (int w = 0; w < o.nwhere; w++)
        free(o.where_vals[w]);

    for (int i = 0; i < loaded && !rc; i++) {
        if (runs[i].truncated_tail)
            printf("note: %s: the journal's last line was incomplete and is left out\n", shown(o.runs[i]));
        /* a case recorded twice (a retried case): its last record is its answer */
        size_t dropped = runs[i].n_superseded;
        if (dropped)
            printf("note: %s: %zu record%s of a case recorded again later left out (the last record of "
                   "each case is drawn)\n",
                   shown(o.runs[i]), dropped, dropped > 1 ? "s" : "");
    }

    /* The scripts first: a wrong ANEBENCH_PLOTS is bad usage, and the .dat
     * files name the scripts that render them. */
    char plots[PATH_MAX], msg[PATH_MAX + 128] = "";
    int prc = rc ? -1 : find_plots(plots, sizeof plots, msg, sizeof msg);
    if (prc == AB_EUSAGE)
        rc = ab_report(AB_EUSAGE, msg);

    char dir[PATH_MAX];
    if (!rc)
        rc = output_dir(&o, dir, sizeof dir);

    /* Everything is made in a private folder, checked against what the
     * output folder holds, then moved in (see plot_files.h). */
    ab_chartlist charts = {0};
    char stage[PATH_MAX + 64] = "";
    if (!rc && ab_private_dir(dir, "anebench-plot", stage, sizeof stage, &e) != 0)
        rc = ab_report(e.code, e.msg);
    if (!rc &&
        plotdata_write_staged(runs, (size_t)o.nruns, dir, stage, prc == 0 ? plots : NULL, &charts, &e) != 0)
        rc = ab_report(e.code, e.msg);
    if (!rc && plot_files_check(dir, &charts, o.fmt, &e) != 0)
        rc = ab_report(e.code, e.msg);
    if (!rc)
        rc = draw(&charts, prc == 0 ? plots : NULL, o.fmt, dir, runs, (size_t)o.nruns);
    if (stage[0])
        plot_stage_remove(stage);

    chartlist_free(&charts);
    for (int i = 0; i < loaded; i++)
        run_free(&runs[i]);
    free(runs);
    free(o.runs);
    return rc;
}
