/* plotrun.c: how a chart names a run: its title line, its legend label,
 * its chip's peak, all from the typed run info (or, for a bare journal or
 * CSV, from its records and file name). Calls no other plot file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/plotrun.h"
#include "harness/rounds.h"

/* ---- run titles ---- */

/* A typed run.json text, NULL when unknown. */
static const char *info_str(const ab_run *run, const char *v)
{
    return run->has_info && v[0] ? v : NULL;
}

int plot_run_simulated(const ab_run *run)
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
    if (bchip && plot_run_simulated(run))
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
    char rounds[64] = ""; /* --repeat: points are medians of rounds, bars span every round's interval */
    if (rounds_most(run) > 1)
        snprintf(rounds, sizeof rounds, " | %d rounds (median of medians)", rounds_most(run));
    snprintf(buf, n, "%s | %s%s%s%s%s%s", where, run_backend(run),
             plot_run_simulated(run) ? " | SIMULATED" : "", scale, rounds, date[0] ? " | " : "", date);
}

void plot_run_label(const ab_run *run, char *buf, size_t n)
{
    const char *chip = info_str(run, run->info.chip);
    buf[0] = '\0';
    if (chip && !plot_run_simulated(run) && snprintf(buf, n, "%s ", chip) >= (int)n)
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
