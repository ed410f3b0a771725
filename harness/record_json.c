/* record_json.c: a record's JSON form (one line of cases.jsonl, one element
 * of results.json's "cases"), written and read by walking the field table
 * ab_record_fields (record.c): no field is named here. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/record.h"

/* A field's value: in the record, or in its phase block (RF_PHASE). SLOT
 * is used only once the block is known to exist (field_from_json). */
#define SLOT(r, f, type) ((type *)((char *)record_field_base(r, f) + (f)->off))
#define CSLOT(r, f, type) ((const type *)((const char *)record_field_cbase(r, f) + (f)->off))
#define AUX(r, f) ((size_t *)((char *)record_field_base(r, f) + (f)->aux))
#define CAUX(r, f) ((const size_t *)((const char *)record_field_cbase(r, f) + (f)->aux))

/* The field's value exists (its gate, if any, is true). */
static int gate_open(const ab_record *r, const ab_field *f)
{
    return f->gate < 0 || *(const bool *)((const char *)r + f->gate);
}

/* ---------------------------------------------------------------- writing */

/* cJSON prints numbers with 15 significant digits when that is within an
 * epsilon of the value, which loses the last bit; records must round-trip
 * exactly, so doubles go out as raw text: the shortest of %.15g..%.17g that
 * reads back to the same double. Non-finite values are null. */
static cJSON *num_or_null(double v)
{
    if (!isfinite(v))
        return cJSON_CreateNull();
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return cJSON_CreateRaw(buf);
}

static cJSON *summary_to_json(const ab_summary *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "n", (double)s->n);
    ab_summary copy = *s;
    for (int i = 0; i < AB_N_SUMMARY_STATS; i++)
        cJSON_AddItemToObject(o, ab_summary_stats[i], num_or_null(*summary_stat(&copy, i)));
    return o;
}

static cJSON *samples_to_json(const double *x, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, num_or_null(x[i]));
    return a;
}

static cJSON *params_to_json(const ab_case *c)
{
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; i < AX_COUNT; i++) {
        const ab_axis_def *a = &ab_axes[i];
        if (a->kind == AXIS_ENUM) {
            char buf[64];
            axis_format_value(a, c->v[i], buf, sizeof buf);
            cJSON_AddStringToObject(o, a->name, buf);
        } else {
            cJSON_AddNumberToObject(o, a->name, (double)c->v[i]);
        }
    }
    return o;
}

/* One field's JSON value; NULL when the field has none in this form. */
static cJSON *field_to_json(const ab_record *r, const ab_field *f, int with_samples)
{
    switch (f->type) {
    case RF_TEXT:
    case RF_CHARS: {
        const char *s = f->type == RF_TEXT ? *CSLOT(r, f, char *) : CSLOT(r, f, char);
        return s[0] || (f->flags & RF_STRING) ? cJSON_CreateString(s) : cJSON_CreateNull();
    }
    case RF_NUM:
        return num_or_null(*CSLOT(r, f, double));
    case RF_INT:
        return cJSON_CreateNumber(*CSLOT(r, f, int));
    case RF_COUNT:
        return cJSON_CreateNumber((double)*CSLOT(r, f, size_t));
    case RF_BOOL:
        return cJSON_CreateBool(*CSLOT(r, f, bool));
    case RF_TRIBOOL: {
        int v = *CSLOT(r, f, int);
        return v < 0 ? cJSON_CreateNull() : cJSON_CreateBool(v != 0);
    }
    case RF_STATUS:
        return cJSON_CreateString(status_name(*CSLOT(r, f, ab_status)));
    case RF_PARAMS:
        return params_to_json(CSLOT(r, f, ab_case));
    case RF_SUMMARY: {
        const ab_summary *s = CSLOT(r, f, ab_summary);
        return gate_open(r, f) && s->n > 0 ? summary_to_json(s) : cJSON_CreateNull();
    }
    case RF_SAMPLES:
        if (!with_samples || !gate_open(r, f))
            return NULL;
        return samples_to_json(*CSLOT(r, f, double *), *CAUX(r, f));
    case RF_RUN:
        return NULL;
    }
    return NULL;
}

void *record_to_json(const ab_record *r, int with_samples)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    for (size_t i = 0; i < ab_record_nfields; i++) {
        const ab_field *f = &ab_record_fields[i];
        cJSON *v = field_to_json(r, f, with_samples);
        if (v)
            cJSON_AddItemToObject(o, f->name, v);
    }
    return o;
}

/* ---------------------------------------------------------------- reading */

/* A number item, or a raw numeric item as num_or_null makes (so a tree from
 * record_to_json reads back without being printed first). */
static int json_number(const cJSON *it, double *out)
{
    if (cJSON_IsNumber(it)) {
        *out = it->valuedouble;
        return 1;
    }
    if (cJSON_IsRaw(it) && it->valuestring) {
        char *end;
        double v = strtod(it->valuestring, &end);
        if (end != it->valuestring && *end == '\0') {
            *out = v;
            return 1;
        }
    }
    return 0;
}

static int bad_field(ab_err *e, const char *name, const char *what)
{
    return ab_errf(e, AB_EUSAGE, "record field \"%s\": %s", name, what);
}

/* Members of one JSON object, looked up by name. Records are read in the
 * order they are written, so a search starts after the member found last
 * and wraps around: about one comparison a lookup, not a scan of ~60. */
typedef struct json_fields {
    const cJSON *obj;
    const cJSON *next;
    size_t found; /* lookups that found a member */
} json_fields;

static json_fields fields_of(const cJSON *o)
{
    json_fields f = {o, o->child, 0};
    return f;
}

/* Whether every member of the object was found by a lookup: the names
 * looked up differ and a lookup finds a name's first member, so then no
 * key is given twice in it (the reader's duplicate-key check, proven as a
 * side effect of reading; harness/jsoncheck.h words a duplicate). */
static int all_found(const json_fields *f)
{
    size_t n = 0;
    for (const cJSON *it = f->obj->child; it; it = it->next)
        n++;
    return n == f->found;
}

/* What reading one record learns on the way: whether a params object was
 * there, and whether every object read was shown to hold distinct keys. */
typedef struct read_ctx {
    int seen_params;
    int distinct;
} read_ctx;

static const cJSON *member(json_fields *f, const char *name)
{
    for (int pass = 0; pass < 2; pass++) {
        const cJSON *from = pass ? f->obj->child : f->next, *to = pass ? f->next : NULL;
        for (const cJSON *it = from; it != to; it = it->next)
            if (it->string && it->string[0] == name[0] && strcmp(it->string, name) == 0) {
                f->next = it->next;
                f->found++;
                return it;
            }
    }
    return NULL;
}

/* An integer in [lo, hi]. */
static int int_value(const cJSON *it, const char *name, double lo, double hi, double *out, ab_err *e)
{
    if (!cJSON_IsNumber(it))
        return bad_field(e, name, "expected an integer");
    double v = it->valuedouble;
    if (!(v >= lo && v <= hi) || v != floor(v))
        return bad_field(e, name, "integer out of range");
    *out = v;
    return 0;
}

static int summary_from_json(const cJSON *it, const char *name, ab_summary *s, read_ctx *cx, ab_err *e)
{
    if (!cJSON_IsObject(it))
        return bad_field(e, name, "expected an object or null");
    json_fields sf = fields_of(it);
    const cJSON *n = member(&sf, "n");
    double d = 0;
    if (n && int_value(n, "n", 0, AB_MAX_EXACT_INT, &d, e))
        return AB_EUSAGE;
    s->n = (size_t)d;
    for (int i = 0; i < AB_N_SUMMARY_STATS; i++) {
        const cJSON *v = member(&sf, ab_summary_stats[i]);
        if (v && !cJSON_IsNull(v) && !json_number(v, summary_stat(s, i)))
            return ab_errf(e, AB_EUSAGE, "record field \"%s.%s\": expected a number or null", name,
                           ab_summary_stats[i]);
    }
    cx->distinct &= all_found(&sf);
    return 0;
}

static int samples_from_json(const cJSON *it, const char *name, double **dst, size_t *n, ab_err *e)
{
    if (!cJSON_IsArray(it))
        return bad_field(e, name, "expected an array of numbers");
    int count = cJSON_GetArraySize(it);
    if (count <= 0)
        return 0;
    double *x = malloc((size_t)count * sizeof *x);
    if (!x)
        return ab_errf(e, AB_EFAIL, "out of memory reading \"%s\"", name);
    size_t k = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, it)
    {
        if (k >= (size_t)count)
            break;
        if (cJSON_IsNull(v)) {
            x[k++] = NAN;
        } else if (json_number(v, &x[k])) {
            k++;
        } else {
            free(x);
            return bad_field(e, name, "expected an array of numbers");
        }
    }
    *dst = x;
    *n = k;
    return 0;
}

/* Parameter value for axis a from JSON (number, or a name for enum axes). */
static int param_from_json(const ab_axis_def *a, const cJSON *it, long *v, ab_err *e)
{
    if (a->kind == AXIS_ENUM && cJSON_IsString(it) && it->valuestring) {
        for (long i = 0; a->names && a->names[i]; i++) {
            if (strcmp(a->names[i], it->valuestring) == 0) {
                *v = i;
                return 0;
            }
        }
        return ab_errf(e, AB_EUSAGE, "record field \"params.%s\": unknown value \"%.64s\"", a->name,
                       it->valuestring);
    }
    if (!cJSON_IsNumber(it))
        return ab_errf(e, AB_EUSAGE, "record field \"params.%s\": expected %s", a->name,
                       a->kind == AXIS_ENUM ? "a name" : "an integer");
    double d = it->valuedouble;
    if (!(d >= (double)a->min && d <= (double)a->max) || d != floor(d))
        return ab_errf(e, AB_EUSAGE, "record field \"params.%s\": %g is out of range", a->name, d);
    *v = (long)d;
    return 0;
}

/* The axes of params (the case's index is a field of its own). */
static int params_from_json(const cJSON *p, ab_case *out, read_ctx *cx, ab_err *e)
{
    if (!cJSON_IsObject(p))
        return bad_field(e, "params", "expected an object");
    ab_case c;
    case_default(&c);
    json_fields pf = fields_of(p);
    for (int i = 0; i < AX_COUNT; i++) {
        const cJSON *it = member(&pf, ab_axes[i].name);
        if (!it)
            continue; /* an axis added later: its default */
        if (param_from_json(&ab_axes[i], it, &c.v[i], e))
            return AB_EUSAGE;
    }
    memcpy(out->v, c.v, sizeof c.v);
    cx->distinct &= all_found(&pf);
    return 0;
}

/* Sets field f of r from JSON item it (NULL: the member is missing).
 * Notes in cx a params object, and an object not shown to hold distinct
 * keys. */
static int field_from_json(ab_record *r, const ab_field *f, const cJSON *it, read_ctx *cx, ab_err *e)
{
    int null = !it || cJSON_IsNull(it);
    double d = 0;
    if (record_field_absent(r, f)) {
        if (null || (f->type == RF_SAMPLES && cJSON_IsArray(it) && !it->child))
            return 0; /* nothing measured: what a record without its phase block reads as */
        if (!record_phases(r))
            return ab_errf(e, AB_EFAIL, "out of memory reading \"%s\"", f->name);
    }
    switch (f->type) {
    case RF_TEXT:
    case RF_CHARS: {
        if (f->type == RF_TEXT)
            record_set_text(SLOT(r, f, const char *), NULL);
        else
            SLOT(r, f, char)[0] = '\0';
        if (null)
            return f->flags & RF_REQUIRED ? bad_field(e, f->name, "missing") : 0;
        if (!cJSON_IsString(it) || !it->valuestring)
            return bad_field(e, f->name, "expected a string");
        if (strlen(it->valuestring) >= f->size)
            return bad_field(e, f->name, "too long");
        if (f->type == RF_CHARS)
            ab_strlcpy(SLOT(r, f, char), it->valuestring, f->size);
        else if (record_set_text(SLOT(r, f, const char *), it->valuestring) != AB_OK)
            return ab_errf(e, AB_EFAIL, "out of memory reading \"%s\"", f->name);
        return 0;
    }
    case RF_NUM:
        *SLOT(r, f, double) = NAN;
        if (!null && !json_number(it, SLOT(r, f, double)))
            return bad_field(e, f->name, "expected a number or null");
        return 0;
    case RF_INT:
    case RF_COUNT:
        d = f->def;
        if (it && int_value(it, f->name, 0, f->type == RF_INT ? 2147483647.0 : AB_MAX_EXACT_INT, &d, e))
            return AB_EUSAGE;
        if (f->type == RF_INT)
            *SLOT(r, f, int) = (int)d;
        else
            *SLOT(r, f, size_t) = (size_t)d;
        return 0;
    case RF_BOOL:
    case RF_TRIBOOL: {
        int v = f->type == RF_BOOL ? 0 : -1;
        if (!null) {
            if (!cJSON_IsBool(it))
                return bad_field(e, f->name, "expected true, false or null");
            v = cJSON_IsTrue(it) ? 1 : 0;
        }
        if (f->type == RF_BOOL)
            *SLOT(r, f, bool) = v == 1;
        else
            *SLOT(r, f, int) = v;
        return 0;
    }
    case RF_STATUS: {
        if (null)
            return bad_field(e, f->name, "missing");
        if (!cJSON_IsString(it) || !it->valuestring)
            return bad_field(e, f->name, "expected a string");
        int st = status_parse(it->valuestring);
        if (st < 0)
            return ab_errf(e, AB_EUSAGE, "record field \"%s\": unknown status \"%.40s\"", f->name,
                           it->valuestring);
        *SLOT(r, f, ab_status) = (ab_status)st;
        return 0;
    }
    case RF_PARAMS:
        if (null)
            return 0; /* older or hand-made records: the key says it all */
        cx->seen_params = 1;
        return params_from_json(it, SLOT(r, f, ab_case), cx, e);
    case RF_SUMMARY:
        summary_nan(SLOT(r, f, ab_summary));
        return null ? 0 : summary_from_json(it, f->name, SLOT(r, f, ab_summary), cx, e);
    case RF_SAMPLES:
        *SLOT(r, f, double *) = NULL;
        *AUX(r, f) = 0;
        return null ? 0 : samples_from_json(it, f->name, SLOT(r, f, double *), AUX(r, f), e);
    case RF_RUN:
        return 0;
    }
    return 0;
}

static int record_from_json_impl(const void *json, ab_record *r, int *distinct, ab_err *e)
{
    const cJSON *o = json;
    record_init(r, NULL);
    if (!cJSON_IsObject(o))
        return ab_errf(e, AB_EUSAGE, "record: expected a JSON object");
    json_fields jf = fields_of(o);
    read_ctx cx = {0, 1};
    for (size_t i = 0; i < ab_record_nfields; i++) {
        const ab_field *f = &ab_record_fields[i];
        if (f->type == RF_RUN)
            continue;
        int rc = field_from_json(r, f, member(&jf, f->name), &cx, e);
        if (rc) {
            record_free(r);
            return rc;
        }
    }
    if (!cx.seen_params) {
        size_t index = r->params.index;
        ab_err ke;
        ab_err_clear(&ke);
        if (case_from_key(r->key, &r->params, &ke) != AB_OK) {
            record_free(r);
            return ab_errf(e, AB_EUSAGE, "record field \"key\": %s", ke.msg);
        }
        r->params.index = index;
    }
    /* Every member was a field read, and so on down (a value of any other
     * kind than a field's is refused above, arrays hold numbers only). */
    *distinct = cx.distinct && all_found(&jf);
    return AB_OK;
}

int record_from_json(const void *json, ab_record *r, ab_err *e)
{
    int distinct;
    return record_one_line(record_from_json_impl(json, r, &distinct, e), e);
}

int record_from_json_distinct(const void *json, ab_record *r, int *distinct, ab_err *e)
{
    *distinct = 0;
    return record_one_line(record_from_json_impl(json, r, distinct, e), e);
}
