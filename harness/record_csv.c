/* record_csv.c: a record's CSV form (one row of cases.csv), written and
 * read by walking the field table ab_record_fields (record.c) and, for the
 * parameter columns, the axis table (axis.c): no column is named here.
 *
 * Columns, in table order: a field's own column; RF_PARAMS: one per axis
 * (those marked csv_last at the very end);
 * RF_SUMMARY: <prefix>_n and <prefix>_<stat>_ns for each statistic; RF_RUN:
 * the run's column. RF_SAMPLES have none (raw samples are in the JSON). */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/record.h"

/* A field's value: in the record, or in its phase block (RF_PHASE). SLOT
 * is used only once the block is known to exist (col_from_text). */
#define SLOT(r, f, type) ((type *)((char *)record_field_base(r, f) + (f)->off))
#define CSLOT(r, f, type) ((const type *)((const char *)record_field_cbase(r, f) + (f)->off))

/* One CSV column: field, and which part of it (an axis, a statistic). */
typedef struct csv_col {
    const ab_field *f;
    int part; /* RF_PARAMS: the axis; RF_SUMMARY: -1 for n, else the statistic */
} csv_col;

enum { MAX_COLUMNS = 256 };
static const char *col_names[MAX_COLUMNS + 1];
static char col_store[MAX_COLUMNS][48];
static csv_col cols[MAX_COLUMNS];
static size_t ncols;
static pthread_once_t cols_once = PTHREAD_ONCE_INIT;

static void add_col(const char *name, const ab_field *f, int part)
{
    if (ncols >= MAX_COLUMNS)
        return; /* a table this large is a programming error; the test counts */
    ab_strlcpy(col_store[ncols], name, sizeof col_store[ncols]);
    col_names[ncols] = col_store[ncols];
    cols[ncols].f = f;
    cols[ncols].part = part;
    ncols++;
}

static void build_columns(void)
{
    for (size_t i = 0; i < ab_record_nfields; i++) {
        const ab_field *f = &ab_record_fields[i];
        if (!f->csv || f->type == RF_SAMPLES)
            continue;
        if (f->type == RF_PARAMS) {
            for (int a = 0; a < AX_COUNT; a++)
                if (!ab_axes[a].csv_last)
                    add_col(ab_axes[a].name, f, a);
        } else if (f->type == RF_SUMMARY) {
            char name[48];
            snprintf(name, sizeof name, "%s_n", f->csv);
            add_col(name, f, -1);
            for (int s = 0; s < AB_N_SUMMARY_STATS; s++) {
                snprintf(name, sizeof name, "%s_%s_%s", f->csv, ab_summary_stats[s], f->unit);
                add_col(name, f, s);
            }
        } else {
            add_col(f->csv, f, 0);
        }
    }
    /* axes added later (axis.h csv_last): after every other column */
    for (size_t i = 0; i < ab_record_nfields; i++)
        if (ab_record_fields[i].type == RF_PARAMS && ab_record_fields[i].csv)
            for (int a = 0; a < AX_COUNT; a++)
                if (ab_axes[a].csv_last)
                    add_col(ab_axes[a].name, &ab_record_fields[i], a);
    col_names[ncols] = NULL;
}

const char *const *record_csv_columns(void)
{
    pthread_once(&cols_once, build_columns);
    return col_names;
}

size_t record_csv_ncolumns(void)
{
    pthread_once(&cols_once, build_columns);
    return ncols;
}

static int gate_open(const ab_record *r, const ab_field *f)
{
    return f->gate < 0 || *(const bool *)((const char *)r + f->gate);
}

/* ---------------------------------------------------------------- writing */

static char *dup_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static char *fmt_double(double v)
{
    char buf[40];
    if (isnan(v))
        return dup_text("");
    snprintf(buf, sizeof buf, "%.17g", v);
    return dup_text(buf);
}

static char *fmt_long(long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    return dup_text(buf);
}

static char *fmt_bool(int v)
{
    return dup_text(v ? "true" : "false");
}

static char *col_to_text(const ab_record *r, const ab_runcols *run, const csv_col *c)
{
    const ab_field *f = c->f;
    switch (f->type) {
    case RF_TEXT:
        return dup_text(*CSLOT(r, f, char *));
    case RF_CHARS:
        return dup_text(CSLOT(r, f, char));
    case RF_NUM:
        return fmt_double(*CSLOT(r, f, double));
    case RF_INT:
        return fmt_long(*CSLOT(r, f, int));
    case RF_COUNT:
        return fmt_long((long long)*CSLOT(r, f, size_t));
    case RF_BOOL:
        return fmt_bool(*CSLOT(r, f, bool));
    case RF_TRIBOOL: {
        int v = *CSLOT(r, f, int);
        return v < 0 ? dup_text("") : fmt_bool(v);
    }
    case RF_STATUS:
        return dup_text(status_name(*CSLOT(r, f, ab_status)));
    case RF_PARAMS: {
        char buf[64];
        const ab_axis_def *a = &ab_axes[c->part];
        long v = CSLOT(r, f, ab_case)->v[c->part];
        if (a->kind == AXIS_ENUM)
            axis_format_value(a, v, buf, sizeof buf);
        else
            snprintf(buf, sizeof buf, "%ld", v);
        return dup_text(buf);
    }
    case RF_SUMMARY: {
        ab_summary s = *CSLOT(r, f, ab_summary);
        int present = gate_open(r, f);
        if (c->part < 0)
            return present ? fmt_long((long long)s.n) : dup_text("");
        return present && s.n > 0 ? fmt_double(*summary_stat(&s, c->part)) : dup_text("");
    }
    case RF_RUN:
        return dup_text(run ? (const char *)run + f->off : "");
    case RF_SAMPLES:
        break;
    }
    return dup_text("");
}

char **record_to_csv_fields(const ab_record *r, const ab_runcols *run)
{
    size_t n = record_csv_ncolumns();
    char **out = calloc(n, sizeof *out);
    if (!out)
        return NULL;
    int ok = 1;
    for (size_t i = 0; i < n; i++)
        ok = (out[i] = col_to_text(r, run, &cols[i])) != NULL && ok;
    if (!ok) {
        for (size_t i = 0; i < n; i++)
            free(out[i]);
        free(out);
        return NULL;
    }
    return out;
}

/* ---------------------------------------------------------------- reading */

/* Field parsers: "" is null. Each names the column on error. */
static int csv_double(const char *col, const char *s, double *out, ab_err *e)
{
    if (!s[0]) {
        *out = NAN;
        return 0;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
        return ab_errf(e, AB_EUSAGE, "column \"%s\": \"%.40s\" is not a number", col, s);
    *out = v;
    return 0;
}

static int csv_int(const char *col, const char *s, double lo, double hi, double *out, ab_err *e)
{
    double v = 0;
    if (!s[0])
        return ab_errf(e, AB_EUSAGE, "column \"%s\": empty, expected an integer", col);
    if (csv_double(col, s, &v, e))
        return AB_EUSAGE;
    if (!(v >= lo && v <= hi) || v != floor(v))
        return ab_errf(e, AB_EUSAGE, "column \"%s\": \"%.40s\" is not an integer in range", col, s);
    *out = v;
    return 0;
}

static int csv_bool(const char *col, const char *s, int *out, ab_err *e)
{
    if (!s[0])
        *out = -1;
    else if (strcmp(s, "true") == 0)
        *out = 1;
    else if (strcmp(s, "false") == 0)
        *out = 0;
    else
        return ab_errf(e, AB_EUSAGE, "column \"%s\": \"%.40s\" is not true or false", col, s);
    return 0;
}

static int csv_text(const char *col, const char *s, char *buf, size_t n, ab_err *e)
{
    if (strlen(s) >= n)
        return ab_errf(e, AB_EUSAGE, "column \"%s\": value too long", col);
    ab_strlcpy(buf, s, n);
    return 0;
}

static int csv_param(const ab_axis_def *a, const char *s, long *v, ab_err *e)
{
    if (a->kind == AXIS_ENUM) {
        for (long i = 0; a->names && a->names[i]; i++) {
            if (strcmp(a->names[i], s) == 0) {
                *v = i;
                return 0;
            }
        }
        return ab_errf(e, AB_EUSAGE, "column \"%s\": unknown value \"%.40s\"", a->name, s);
    }
    double d = 0;
    if (csv_int(a->name, s, (double)a->min, (double)a->max, &d, e))
        return AB_EUSAGE;
    *v = (long)d;
    return 0;
}

/* Sets column c (index into the columns) of r, or of run, from text s. */
static int col_from_text(ab_record *r, ab_runcols *run, size_t ci, const char *s, ab_err *e)
{
    const csv_col *c = &cols[ci];
    const ab_field *f = c->f;
    const char *col = col_names[ci];
    double d = 0;
    int b = 0;
    if (record_field_absent(r, f)) {
        if (!s[0] || (f->type == RF_SUMMARY && c->part < 0 && !strcmp(s, "0")))
            return 0; /* nothing measured: what a record without its phase block reads as */
        if (!record_phases(r))
            return ab_errf(e, AB_EFAIL, "column \"%s\": out of memory", col);
    }
    switch (f->type) {
    case RF_CHARS:
        return csv_text(col, s, SLOT(r, f, char), f->size, e);
    case RF_TEXT:
        if (strlen(s) >= f->size)
            return ab_errf(e, AB_EUSAGE, "column \"%s\": value too long", col);
        if (record_set_text(SLOT(r, f, const char *), s) != AB_OK)
            return ab_errf(e, AB_EFAIL, "column \"%s\": out of memory", col);
        return 0;
    case RF_NUM:
        return csv_double(col, s, SLOT(r, f, double), e);
    case RF_INT:
    case RF_COUNT:
        d = f->def;
        if (s[0] && csv_int(col, s, 0, f->type == RF_INT ? 2147483647.0 : AB_MAX_EXACT_INT, &d, e))
            return AB_EUSAGE;
        if (f->type == RF_INT)
            *SLOT(r, f, int) = (int)d;
        else
            *SLOT(r, f, size_t) = (size_t)d;
        return 0;
    case RF_BOOL:
        if (csv_bool(col, s, &b, e))
            return AB_EUSAGE;
        *SLOT(r, f, bool) = b == 1;
        return 0;
    case RF_TRIBOOL:
        return csv_bool(col, s, SLOT(r, f, int), e);
    case RF_STATUS: {
        int st = status_parse(s);
        if (st < 0)
            return ab_errf(e, AB_EUSAGE, "column \"%s\": unknown status \"%.40s\"", col, s);
        *SLOT(r, f, ab_status) = (ab_status)st;
        return 0;
    }
    case RF_PARAMS:
        return csv_param(&ab_axes[c->part], s, &SLOT(r, f, ab_case)->v[c->part], e);
    case RF_SUMMARY: {
        ab_summary *sum = SLOT(r, f, ab_summary);
        if (c->part >= 0)
            return csv_double(col, s, summary_stat(sum, c->part), e);
        if (s[0] && csv_int(col, s, 0, AB_MAX_EXACT_INT, &d, e))
            return AB_EUSAGE;
        sum->n = (size_t)d;
        return 0;
    }
    case RF_RUN:
        return run ? csv_text(col, s, (char *)run + f->off, f->size, e) : 0;
    case RF_SAMPLES:
        break;
    }
    return 0;
}

int *record_csv_map(char *const *header, size_t n)
{
    size_t nc = record_csv_ncolumns();
    int *map = malloc((n ? n : 1) * sizeof *map);
    for (size_t i = 0; map && i < n; i++) {
        map[i] = -1;
        for (size_t c = 0; header[i] && c < nc; c++)
            if (strcmp(header[i], col_names[c]) == 0) {
                map[i] = (int)c;
                break;
            }
    }
    return map;
}

static int record_from_csv_impl(const int *map, char *const *fields, size_t n, ab_record *r, ab_runcols *run,
                                ab_err *e)
{
    record_init(r, NULL);
    case_default(&r->params);
    r->attempt = 1;
    if (run)
        memset(run, 0, sizeof *run);
    int seen_key = 0, seen_status = 0, seen_params = 0;
    for (size_t i = 0; i < n; i++) {
        if (map[i] < 0)
            continue;
        size_t c = (size_t)map[i];
        if (col_from_text(r, run, c, fields[i] ? fields[i] : "", e))
            return AB_EUSAGE;
        const ab_field *f = cols[c].f;
        seen_key |= (f->type == RF_TEXT || f->type == RF_CHARS) && (f->flags & RF_REQUIRED);
        seen_status |= f->type == RF_STATUS;
        seen_params |= f->type == RF_PARAMS;
    }
    if (!seen_key || !r->key[0])
        return ab_errf(e, AB_EUSAGE, "column \"key\": missing or empty");
    if (!seen_status)
        return ab_errf(e, AB_EUSAGE, "column \"status\": missing");
    if (!seen_params) {
        size_t index = r->params.index;
        ab_err ke;
        ab_err_clear(&ke);
        if (case_from_key(r->key, &r->params, &ke) != AB_OK)
            return ab_errf(e, AB_EUSAGE, "column \"key\": %s", ke.msg);
        r->params.index = index;
    }
    /* A statistic with no summary (n = 0, or its gate false) is not measured. */
    for (size_t i = 0; i < ab_record_nfields; i++) {
        const ab_field *f = &ab_record_fields[i];
        if (f->type == RF_SUMMARY && !record_field_absent(r, f) &&
            (SLOT(r, f, ab_summary)->n == 0 || !gate_open(r, f)))
            summary_nan(SLOT(r, f, ab_summary));
    }
    return AB_OK;
}

int record_from_csv_mapped(const int *map, char *const *fields, size_t n, ab_record *r, ab_runcols *run,
                           ab_err *e)
{
    int rc = record_one_line(record_from_csv_impl(map, fields, n, r, run, e), e);
    if (rc)
        record_free(r);
    return rc;
}

int record_from_csv_fields(char *const *header, char *const *fields, size_t n, ab_record *r, ab_runcols *run,
                           ab_err *e)
{
    int *map = record_csv_map(header, n);
    if (!map) {
        record_init(r, NULL);
        return ab_errf(e, AB_EFAIL, "out of memory reading a CSV row");
    }
    int rc = record_from_csv_mapped(map, fields, n, r, run, e);
    free(map);
    return rc;
}
