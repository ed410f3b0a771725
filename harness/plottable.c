/* plottable.c: the tables behind the .dat files (series of rows, grouped
 * by a key of the case's parameters), and the record and key helpers the
 * chart builders share. The bottom layer of the plot files: it calls none
 * of them (see plottable.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/plottable.h"

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
