/* plotcompare.c: the charts of two or more runs (the first is BASE): the
 * GFLOPS-vs-channels curves of every run overlaid, and the per-case eval
 * time ratio OTHER/BASE through the join of `anebench compare`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/compare.h"
#include "harness/plotcharts.h"
#include "harness/plotrun.h"
#include "harness/plottable.h"

/* The series of `want` in table t, or NULL. */
static const pd_series *find_series(const pd_table *t, const long *want)
{
    for (size_t j = 0; j < t->ns; j++)
        if (!memcmp(t->s[j].key, want, sizeof t->s[j].key))
            return &t->s[j];
    return NULL;
}

/* Appends 'word' to a gnuplot word list (quotes in it become `). */
static void add_word(char *list, size_t n, const char *word)
{
    size_t len = strlen(list);
    if (len + 4 >= n)
        return;
    if (len)
        list[len++] = ' ';
    list[len++] = '\'';
    for (; *word && len + 2 < n; word++)
        list[len++] = (*word == '\'' || *word == '"') ? '`' : *word;
    list[len++] = '\'';
    list[len] = '\0';
}

/* The runs' peaks in run order, "nan" where unknown (gnuplot `peaks`). */
static void peak_list(const ab_run *runs, size_t nruns, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t r = 0; r < nruns && len < n; r++) {
        double pk = plot_run_peak(&runs[r]);
        int w = isnan(pk) ? snprintf(buf + len, n - len, "%snan", r ? " " : "")
                          : snprintf(buf + len, n - len, "%s%g", r ? " " : "", pk);
        len += w > 0 ? (size_t)w : 0;
    }
}

/* Keeps in base the series every other run has too, titled among
 * themselves; returns how many. */
static size_t keep_common(pd_table *per, size_t nruns)
{
    size_t w = 0;
    for (size_t k = 0; k < per[0].ns; k++) {
        int everywhere = 1;
        for (size_t r = 1; r < nruns && everywhere; r++)
            everywhere = find_series(&per[r], per[0].s[k].key) != NULL;
        if (everywhere) {
            pd_series tmp = per[0].s[w];
            per[0].s[w++] = per[0].s[k];
            per[0].s[k] = tmp;
        }
    }
    for (size_t k = w; k < per[0].ns; k++)
        per[0].s[k].rows = 0;
    pd_table_drop_short(&per[0], 1, 1);
    pd_table_relabel(&per[0], pd_curve_series_axes(AX_CIN), PD_BIT(AX_CIN));
    return per[0].ns;
}

void pd_build_overlay(const ab_run *runs, size_t nruns, const char *labels, pd_table *t, ab_chart *c)
{
    pd_table_init(t, 8, 0, "cin cout gflops gflops_lo gflops_hi median_ms mflop", pd_curve_doc);
    pd_table *per = calloc(nruns, sizeof *per);
    if (!per)
        return;
    for (size_t r = 0; r < nruns; r++) {
        pd_table_init(&per[r], 8, 0, t->colnames, pd_curve_doc);
        pd_curve_table(&runs[r], AX_CIN, &per[r], NULL, 0);
    }
    c->nser = (int)keep_common(per, nruns);
    for (size_t k = 0; k < per[0].ns; k++)
        add_word(c->series, sizeof c->series, per[0].s[k].title);
    peak_list(runs, nruns, c->peaks, sizeof c->peaks);

    /* Blocks run after run, the same series in the same order in each. */
    for (size_t r = 0; r < nruns && c->nser; r++) {
        const char *label = labels + r * PLOT_LABEL_MAX;
        add_word(c->runs, sizeof c->runs, label);
        for (size_t k = 0; k < per[0].ns; k++) {
            const pd_series *mine = find_series(&per[r], per[0].s[k].key);
            long key[AX_COUNT] = {0};
            key[0] = (long)(r * per[0].ns + k); /* one block per run and series */
            char title[160];
            snprintf(title, sizeof title, "%.95s %.63s", label, per[0].s[k].title);
            pd_series *s = pd_table_series(t, key, title);
            for (size_t i = 0; s && mine && i < mine->rows; i++)
                if (pd_series_add(t, s, mine->v + i * t->ncol, NULL))
                    break;
        }
    }
    for (size_t r = 0; r < nruns; r++)
        pd_table_free(&per[r]);
    free(per);
    if (!c->nser) {
        pd_table_free(t);
        ab_strlcpy(c->why, "the runs share no GFLOPS-vs-channels curve (same spatial size, two or more cin)",
                   sizeof c->why);
    }
}

void pd_build_ratio(const ab_run *runs, size_t nruns, const char *labels, pd_table *t, ab_chart *c)
{
    pd_table_init(t, 7, 0, "ratio ratio_lo ratio_hi cin cout spatial",
                  "1 work per eval (MFLOP)  2 median eval time OTHER / BASE (below 1: OTHER is faster)\n"
                  "3 low  4 high (OTHER's CI bounds over BASE's opposite bounds: a conservative range)\n"
                  "5 cin  6 cout  7 spatial");
    const ab_run *base = &runs[0];
    ab_cmp_opts o;
    cmp_opts_default(&o);
    o.metric = CMP_M_EVAL;
    for (size_t r = 1; r < nruns; r++) {
        char title[160];
        snprintf(title, sizeof title, "%.76s / %.76s", labels + r * PLOT_LABEL_MAX, labels);
        long key[AX_COUNT] = {0};
        key[0] = (long)r;
        pd_series *s = pd_table_series(t, key, title);
        /* The join of `anebench compare`: on the case key, both sides ok. */
        ab_cmp cmp;
        ab_err e;
        if (!s || compare_records(base->recs, base->n, runs[r].recs, runs[r].n, &o, &cmp, &e) != 0)
            return;
        for (size_t i = 0; i < cmp.nrows; i++) {
            const ab_cmp_row *w = &cmp.rows[i];
            double blo, bhi, olo, ohi;
            const double *samples;
            size_t nsamples;
            cmp_metric_value(w->base, CMP_M_EVAL, &blo, &bhi, &samples, &nsamples);
            cmp_metric_value(w->other, CMP_M_EVAL, &olo, &ohi, &samples, &nsamples);
            double lo = olo > 0 && bhi > 0 ? olo / bhi : w->ratio;
            double hi = ohi > 0 && blo > 0 ? ohi / blo : w->ratio;
            double row[7] = {pd_rec_flops(w->base) / 1e6,
                             w->ratio,
                             lo,
                             hi,
                             (double)w->base->params.v[AX_CIN],
                             (double)w->base->params.v[AX_COUT],
                             (double)w->base->params.v[AX_SPATIAL]};
            if (pd_series_add(t, s, row, NULL))
                break;
        }
        compare_free(&cmp);
    }
    pd_table_sort_rows(t, 0);
    pd_table_drop_short(t, 0, 1);
    if (pd_table_distinct(t, 0) < 2) {
        pd_table_free(t);
        ab_strlcpy(c->why, "the runs share fewer than two ok cases of different sizes", sizeof c->why);
        return;
    }
    ab_strlcpy(c->note, "cases ok in both runs, joined on the case key (as anebench compare does)",
               sizeof c->note);
}
