/* report_sweeps.c: the report's one compact table per sweep.
 *
 * Records do not say which sub-sweep of a preset they came from, so a
 * "sweep" is read off the cases themselves: cases of one kernel family
 * that set the same axes apart from their defaults (cin, spatial and io
 * always vary; cout counts when it differs from cin) form one group, in
 * the order the groups first appear. A group's table is pivoted: the axis
 * with the most values gives the rows, another with few enough values
 * the columns, any further varying axes prefix the rows. A cell is the
 * case's throughput (GFLOPS, TOPS for integer families) or its status
 * when it has none. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/report_int.h"

#define PIVOT_MAX_COLS 12

typedef struct group {
    char family[32];
    unsigned sig; /* bit per axis set apart from its default */
    size_t *rec;  /* indices into the view */
    size_t n, cap;
} group;

static int is_primary(int a)
{
    return a == AX_CIN || a == AX_SPATIAL || a == AX_IO;
}

static unsigned signature(const ab_record *r)
{
    ab_case d;
    case_default(&d);
    unsigned sig = 0;
    for (int a = 0; a < AX_COUNT; a++) {
        if (is_primary(a))
            continue;
        long want = a == AX_COUT ? r->params.v[AX_CIN] : d.v[a];
        if (r->params.v[a] != want)
            sig |= 1u << a;
    }
    return sig;
}

static group *find_group(group **gs, size_t *ng, const char *fam, unsigned sig)
{
    for (size_t i = 0; i < *ng; i++)
        if ((*gs)[i].sig == sig && !strcmp((*gs)[i].family, fam))
            return &(*gs)[i];
    group *g = realloc(*gs, (*ng + 1) * sizeof **gs);
    if (!g)
        return NULL;
    *gs = g;
    g = &(*gs)[(*ng)++];
    memset(g, 0, sizeof *g);
    ab_strlcpy(g->family, fam, sizeof g->family);
    g->sig = sig;
    return g;
}

static int add_rec(group *g, size_t i)
{
    if (g->n == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 32;
        size_t *r = realloc(g->rec, cap * sizeof *r);
        if (!r)
            return -1;
        g->rec = r;
        g->cap = cap;
    }
    g->rec[g->n++] = i;
    return 0;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Distinct values of axis a among the group's records, sorted (malloc'd). */
static size_t distinct(const ab_recview *v, const group *g, int a, long **out)
{
    long *vals = malloc((g->n ? g->n : 1) * sizeof *vals);
    *out = vals;
    if (!vals)
        return 0;
    for (size_t i = 0; i < g->n; i++)
        vals[i] = v->recs[g->rec[i]]->params.v[a];
    qsort(vals, g->n, sizeof *vals, cmp_long);
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++)
        if (!k || vals[i] != vals[k - 1])
            vals[k++] = vals[i];
    return k;
}

static size_t index_of(const long *vals, size_t n, long x)
{
    const long *p = bsearch(&x, vals, n, sizeof *vals, cmp_long);
    return p ? (size_t)(p - vals) : 0;
}

/* The pivot of one group: which axis gives rows, which columns, which prefix rows. */
typedef struct pivot {
    int vary[AX_COUNT];
    int row, col; /* axis ids; col -1: one value column */
    long *val[AX_COUNT];
    size_t nval[AX_COUNT];
} pivot;

static void pivot_plan(const ab_recview *v, const group *g, pivot *p)
{
    memset(p, 0, sizeof *p);
    p->row = p->col = -1;
    for (int a = 0; a < AX_COUNT; a++) {
        p->nval[a] = distinct(v, g, a, &p->val[a]);
        /* cout tied to cin is not an axis of its own here */
        p->vary[a] = p->nval[a] > 1 && !(a == AX_COUT && !(g->sig & (1u << AX_COUT)));
    }
    for (int a = 0; a < AX_COUNT; a++)
        if (p->vary[a] && (p->row < 0 || p->nval[a] > p->nval[p->row]))
            p->row = a;
    for (int a = 0; a < AX_COUNT; a++)
        if (p->vary[a] && a != p->row && p->nval[a] <= PIVOT_MAX_COLS &&
            (p->col < 0 || p->nval[a] > p->nval[p->col]))
            p->col = a;
}

static void pivot_free(pivot *p)
{
    for (int a = 0; a < AX_COUNT; a++)
        free(p->val[a]);
}

/* A row's identity: the values of the varying axes other than the column's. */
static int same_row(const pivot *p, const ab_record *x, const ab_record *y)
{
    for (int a = 0; a < AX_COUNT; a++)
        if (p->vary[a] && a != p->col && x->params.v[a] != y->params.v[a])
            return 0;
    return 1;
}

/* A record with its sort key: the prefix axes in table order, the row
 * axis, the column axis. */
typedef struct keyed {
    long k[AX_COUNT + 2];
    const ab_record *r;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    for (size_t i = 0; i < AX_COUNT + 2; i++)
        if (x->k[i] != y->k[i])
            return x->k[i] < y->k[i] ? -1 : 1;
    return 0;
}

static void sort_key(const pivot *p, const ab_record *r, keyed *out)
{
    size_t n = 0;
    memset(out->k, 0, sizeof out->k);
    for (int a = 0; a < AX_COUNT; a++)
        if (p->vary[a] && a != p->row && a != p->col)
            out->k[n++] = r->params.v[a];
    if (p->row >= 0)
        out->k[n++] = r->params.v[p->row];
    if (p->col >= 0)
        out->k[n++] = r->params.v[p->col];
    out->r = r;
}

static void axis_value(int a, long val, char *buf, size_t n)
{
    axis_format_value(&ab_axes[a], val, buf, n);
}

/* The text of a cell: the throughput, else the status when not ok. */
static void cell_text(const ab_record *r, char *buf, size_t n)
{
    double t = record_throughput(r, NULL);
    if (r->status == AB_ST_OK && isfinite(t))
        rp_num(t, buf, n);
    else
        ab_strlcpy(buf, status_name(r->status), n);
    if (r->contended == 1) /* measured under contention: the headline says so */
        ab_strlcpy(buf + strlen(buf), AB_CONTENDED_MARK, n - strlen(buf));
}

static void group_title(const group *g, const pivot *p, char *title, size_t n, char *what, size_t nw)
{
    snprintf(title, n, "%s", g->family);
    int first = 1;
    for (int a = 0; a < AX_COUNT; a++)
        if (g->sig & (1u << a)) {
            size_t len = strlen(title);
            snprintf(title + len, n - len, "%s%s", first ? ", by " : " and ",
                     a == AX_COUT ? "cout != cin" : ab_axes[a].name);
            first = 0;
        }
    size_t len = 0;
    what[0] = '\0';
    for (int a = 0; a < AX_COUNT; a++)
        if (p->vary[a] && a != p->row && a != p->col)
            len += (size_t)snprintf(what + len, len < nw ? nw - len : 0, "%s, ", ab_axes[a].name);
    if (p->row >= 0 && len < nw)
        len += (size_t)snprintf(what + len, nw - len, "%s", ab_axes[p->row].name);
    if (len >= nw)
        what[nw - 1] = '\0';
}

static void sweep_table(rp_ctx *x, const ab_recview *v, const group *g)
{
    pivot p;
    pivot_plan(v, g, &p);
    keyed *ks = malloc((g->n ? g->n : 1) * sizeof *ks);
    const ab_record **rs = malloc((g->n ? g->n : 1) * sizeof *rs);
    doc_table t;
    size_t ncol = 1 + (p.col >= 0 ? p.nval[p.col] : 1);
    if (!ks || !rs || dt_init(&t, ncol) != 0) {
        free(ks);
        free(rs);
        pivot_free(&p);
        return;
    }
    const char *unit = "GFLOPS";
    for (size_t i = 0; i < g->n; i++) {
        sort_key(&p, v->recs[g->rec[i]], &ks[i]);
        record_throughput(v->recs[g->rec[i]], &unit);
    }
    qsort(ks, g->n, sizeof *ks, by_key);
    for (size_t i = 0; i < g->n; i++)
        rs[i] = ks[i].r;
    free(ks);

    char title[160], rowaxes[160], buf[64], head[80];
    group_title(g, &p, title, sizeof title, rowaxes, sizeof rowaxes);
    dt_head(&t, 0, rowaxes[0] ? rowaxes : "case", 'l');
    if (p.col >= 0)
        for (size_t c = 0; c < p.nval[p.col]; c++) {
            axis_value(p.col, p.val[p.col][c], buf, sizeof buf);
            snprintf(head, sizeof head, "%s=%s", ab_axes[p.col].name, buf);
            dt_head(&t, 1 + c, head, 'r');
        }
    else
        dt_head(&t, 1, unit, 'r');

    size_t row = (size_t)-1;
    for (size_t i = 0; i < g->n; i++) {
        const ab_record *r = rs[i];
        if (i == 0 || !same_row(&p, r, rs[i - 1])) {
            if ((row = dt_row(&t)) == (size_t)-1)
                break;
            char label[160] = "";
            size_t len = 0;
            for (int a = 0; a < AX_COUNT; a++) {
                int show = p.vary[a] && a != p.col && a != p.row;
                if (!show)
                    continue;
                axis_value(a, r->params.v[a], buf, sizeof buf);
                len += (size_t)snprintf(label + len, len < sizeof label ? sizeof label - len : 0, "%s=%s ",
                                        ab_axes[a].name, buf);
            }
            if (p.row >= 0) {
                axis_value(p.row, r->params.v[p.row], buf, sizeof buf);
                snprintf(label + (len < sizeof label ? len : sizeof label - 1),
                         len < sizeof label ? sizeof label - len : 1, "%s=%s", ab_axes[p.row].name, buf);
            } else {
                rp_case_label(r, NULL, 0, label, sizeof label);
            }
            dt_set(&t, row, 0, "%s", label);
        }
        size_t c = p.col >= 0 ? 1 + index_of(p.val[p.col], p.nval[p.col], r->params.v[p.col]) : 1;
        cell_text(r, buf, sizeof buf);
        dt_set(&t, row, c, "%s", buf);
        double tp = record_throughput(r, NULL);
        if (r->status == AB_ST_OK && isfinite(tp) && (isnan(t.rank[row]) || tp > t.rank[row]))
            t.rank[row] = tp;
    }

    doc_heading(&x->d, 3, title);
    doc_p(&x->d);
    doc_text(&x->d, "%s (wall clock, from the median eval) of %zu case%s", unit, g->n, g->n == 1 ? "" : "s");
    if (p.row >= 0)
        doc_text(&x->d, "; rows: %s", rowaxes);
    if (p.col >= 0)
        doc_text(&x->d, "; columns: %s", ab_axes[p.col].name);
    doc_text(&x->d, ".");
    doc_p_end(&x->d);
    char summary[200], ranks[64];
    snprintf(summary, sizeof summary, "%s: %zu rows", title, t.nrows);
    snprintf(ranks, sizeof ranks, "highest %s", unit);
    rp_table(x, &t, summary, ranks);
    dt_free(&t);
    free(rs);
    pivot_free(&p);
}

void rp_sweeps(rp_ctx *x, const ab_recview *v)
{
    group *gs = NULL;
    size_t ng = 0;
    char fam[32];
    for (size_t i = 0; i < v->n; i++) {
        record_family(v->recs[i], fam, sizeof fam);
        group *g = find_group(&gs, &ng, fam, signature(v->recs[i]));
        if (!g || add_rec(g, i) != 0)
            break;
    }
    if (ng)
        doc_heading(&x->d, 2, "Sweeps");
    for (size_t i = 0; i < ng; i++) {
        sweep_table(x, v, &gs[i]);
        free(gs[i].rec);
    }
    free(gs);
}
