/* record.c: one case's result, and its JSON and CSV forms.
 *
 * The JSON form is the only place record field names are spelled for JSON;
 * the CSV column table below the only place they are spelled for CSV. Both
 * are documented, with units, in results/README.md. Conventions shared by
 * both forms: a double that is NaN (not measured) is null / an empty field;
 * an optional text field that is "" is null / an empty field; booleans are
 * true / false; verify_pass -1 (not checked) is null / empty. */
#include "harness/record.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[AB_ST_COUNT] = {
    "ok", "skipped", "failed", "crashed", "timeout", "wrong-output",
};

const char *status_name(ab_status st)
{
    return (unsigned)st < AB_ST_COUNT ? status_names[st] : "unknown";
}

int status_parse(const char *s)
{
    for (int i = 0; s && i < AB_ST_COUNT; i++)
        if (strcmp(s, status_names[i]) == 0)
            return i;
    return -1;
}

static void summary_nan(ab_summary *s)
{
    memset(s, 0, sizeof *s);
    s->min = s->median = s->mean = s->stddev = s->p90 = s->p99 = NAN;
    s->max = s->mad = s->ci_low = s->ci_high = NAN;
}

void record_init(ab_record *r, const ab_case *c)
{
    memset(r, 0, sizeof *r);
    if (c) {
        r->params = *c;
        case_key(c, r->key, sizeof r->key);
    }
    r->status = AB_ST_SKIPPED;
    r->compile_ms = r->load_ms = r->first_eval_ms = r->unload_ms = r->reload_ms = NAN;
    summary_nan(&r->eval);
    summary_nan(&r->hw);
    r->flops = r->bytes = r->gflops_wall = r->gflops_hw = NAN;
    r->verify_pass = -1;
    r->max_abs_err = r->tolerance = NAN;
    r->wall_s = NAN;
}

void record_free(ab_record *r)
{
    if (!r)
        return;
    free(r->eval_samples);
    free(r->hw_samples);
    r->eval_samples = r->hw_samples = NULL;
    r->n_eval_samples = r->n_hw_samples = 0;
}

/* Copies n samples into *dst and summarises them; returns -1 on no memory. */
static int set_samples(double **dst, size_t *ndst, ab_summary *sum, const double *ns, size_t n)
{
    free(*dst);
    *dst = NULL;
    *ndst = 0;
    summary_nan(sum);
    if (n == 0 || !ns)
        return 0;
    double *copy = malloc(n * sizeof *copy);
    if (!copy)
        return -1;
    memcpy(copy, ns, n * sizeof *copy);
    *dst = copy;
    *ndst = n;
    stats_summarize(copy, n, sum);
    return 0;
}

/* flops per ns = GFLOP/s. */
static double gflops(double flops, const ab_summary *s)
{
    if (s->n == 0 || !(s->median > 0.0) || isnan(flops))
        return NAN;
    return flops / s->median;
}

void record_set_eval_samples(ab_record *r, const double *ns, size_t n)
{
    set_samples(&r->eval_samples, &r->n_eval_samples, &r->eval, ns, n);
    r->gflops_wall = gflops(r->flops, &r->eval);
}

void record_set_hw_samples(ab_record *r, const double *ns, size_t n)
{
    set_samples(&r->hw_samples, &r->n_hw_samples, &r->hw, ns, n);
    r->has_hw = r->hw.n > 0;
    if (r->has_hw)
        r->hw_reason[0] = '\0';
    r->gflops_hw = gflops(r->flops, &r->hw);
}

/* ---------------------------------------------------------------- JSON */

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

static void add_num(cJSON *o, const char *name, double v)
{
    cJSON_AddItemToObject(o, name, num_or_null(v));
}

static void add_text(cJSON *o, const char *name, const char *s)
{
    if (s[0])
        cJSON_AddStringToObject(o, name, s);
    else
        cJSON_AddNullToObject(o, name);
}

static const char *const summary_fields[] = {
    "min", "median", "mean", "stddev", "p90", "p99", "max", "mad", "ci_low", "ci_high",
};
enum { N_SUMMARY_FIELDS = 10 };

static double *summary_slot(ab_summary *s, int i)
{
    double *slots[N_SUMMARY_FIELDS] = {&s->min, &s->median, &s->mean, &s->stddev, &s->p90,
                                       &s->p99, &s->max,    &s->mad,  &s->ci_low, &s->ci_high};
    return slots[i];
}

static cJSON *summary_to_json(const ab_summary *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "n", (double)s->n);
    ab_summary copy = *s;
    for (int i = 0; i < N_SUMMARY_FIELDS; i++)
        add_num(o, summary_fields[i], *summary_slot(&copy, i));
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

void *record_to_json(const ab_record *r, int with_samples)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "key", r->key);
    cJSON_AddItemToObject(o, "params", params_to_json(&r->params));
    cJSON_AddNumberToObject(o, "index", (double)r->params.index);
    cJSON_AddStringToObject(o, "backend", r->backend);
    cJSON_AddBoolToObject(o, "simulated", r->simulated);
    cJSON_AddStringToObject(o, "status", status_name(r->status));
    add_text(o, "reason", r->reason);

    add_num(o, "compile_ms", r->compile_ms);
    add_num(o, "load_ms", r->load_ms);
    add_num(o, "first_eval_ms", r->first_eval_ms);
    add_num(o, "unload_ms", r->unload_ms);
    add_num(o, "reload_ms", r->reload_ms);
    cJSON_AddNumberToObject(o, "warmup", r->warmup);

    if (r->eval.n > 0)
        cJSON_AddItemToObject(o, "eval_ns", summary_to_json(&r->eval));
    else
        cJSON_AddNullToObject(o, "eval_ns");
    cJSON_AddBoolToObject(o, "has_hw", r->has_hw);
    if (r->has_hw && r->hw.n > 0)
        cJSON_AddItemToObject(o, "hw_ns", summary_to_json(&r->hw));
    else
        cJSON_AddNullToObject(o, "hw_ns");
    add_text(o, "hw_reason", r->hw_reason);

    add_text(o, "eval_path", r->eval_path);
    add_num(o, "flops", r->flops);
    add_num(o, "bytes", r->bytes);
    add_num(o, "gflops_wall", r->gflops_wall);
    add_num(o, "gflops_hw", r->gflops_hw);

    if (r->verify_pass < 0)
        cJSON_AddNullToObject(o, "verify_pass");
    else
        cJSON_AddBoolToObject(o, "verify_pass", r->verify_pass != 0);
    add_num(o, "max_abs_err", r->max_abs_err);
    add_num(o, "tolerance", r->tolerance);
    cJSON_AddNumberToObject(o, "verify_checked", (double)r->verify_checked);

    add_text(o, "stop_reason", r->stop_reason);
    add_text(o, "compile_cache", r->compile_cache);
    add_text(o, "thermal_state", r->thermal_state);
    add_text(o, "power_source", r->power_source);
    cJSON_AddNumberToObject(o, "worker", r->worker);
    cJSON_AddNumberToObject(o, "attempt", r->attempt);
    add_text(o, "started", r->started);
    add_num(o, "wall_s", r->wall_s);

    if (with_samples) {
        cJSON_AddItemToObject(o, "eval_samples_ns", samples_to_json(r->eval_samples, r->n_eval_samples));
        if (r->has_hw)
            cJSON_AddItemToObject(o, "hw_samples_ns", samples_to_json(r->hw_samples, r->n_hw_samples));
    }
    return o;
}

/* Largest integer a double holds exactly; counts beyond it are refused. */
#define MAX_EXACT_INT 9007199254740992.0

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
} json_fields;

static json_fields fields_of(const cJSON *o)
{
    json_fields f = {o, o->child};
    return f;
}

static const cJSON *member(json_fields *f, const char *name)
{
    for (int pass = 0; pass < 2; pass++) {
        const cJSON *from = pass ? f->obj->child : f->next, *to = pass ? f->next : NULL;
        for (const cJSON *it = from; it != to; it = it->next)
            if (it->string && strcmp(it->string, name) == 0) {
                f->next = it->next;
                return it;
            }
    }
    return NULL;
}

/* Optional double: missing or null -> NAN. */
static int get_num(json_fields *o, const char *name, double *out, ab_err *e)
{
    const cJSON *it = member(o, name);
    if (!it || cJSON_IsNull(it)) {
        *out = NAN;
        return 0;
    }
    if (!json_number(it, out))
        return bad_field(e, name, "expected a number or null");
    return 0;
}

/* Optional integer in [lo, hi]: missing -> def. */
static int get_int(json_fields *o, const char *name, double lo, double hi, double def, double *out, ab_err *e)
{
    const cJSON *it = member(o, name);
    if (!it) {
        *out = def;
        return 0;
    }
    if (!cJSON_IsNumber(it))
        return bad_field(e, name, "expected an integer");
    double v = it->valuedouble;
    if (!(v >= lo && v <= hi) || v != floor(v))
        return bad_field(e, name, "integer out of range");
    *out = v;
    return 0;
}

/* Optional text: missing or null -> "". required: must be a string. */
static int get_text(json_fields *o, const char *name, char *buf, size_t n, int required, ab_err *e)
{
    const cJSON *it = member(o, name);
    buf[0] = '\0';
    if (!it || cJSON_IsNull(it)) {
        if (required)
            return bad_field(e, name, "missing");
        return 0;
    }
    if (!cJSON_IsString(it) || !it->valuestring)
        return bad_field(e, name, "expected a string");
    if (strlen(it->valuestring) >= n)
        return bad_field(e, name, "too long");
    ab_strlcpy(buf, it->valuestring, n);
    return 0;
}

/* Optional boolean: missing or null -> def (-1 means null allowed). */
static int get_bool(json_fields *o, const char *name, int def, int *out, ab_err *e)
{
    const cJSON *it = member(o, name);
    if (!it || cJSON_IsNull(it)) {
        *out = def;
        return 0;
    }
    if (!cJSON_IsBool(it))
        return bad_field(e, name, "expected true, false or null");
    *out = cJSON_IsTrue(it) ? 1 : 0;
    return 0;
}

static int summary_from_json(json_fields *o, const char *name, ab_summary *s, ab_err *e)
{
    const cJSON *it = member(o, name);
    summary_nan(s);
    if (!it || cJSON_IsNull(it))
        return 0;
    if (!cJSON_IsObject(it))
        return bad_field(e, name, "expected an object or null");
    json_fields sf = fields_of(it);
    double n = 0;
    if (get_int(&sf, "n", 0, MAX_EXACT_INT, 0, &n, e))
        return e ? e->code : AB_EUSAGE;
    s->n = (size_t)n;
    for (int i = 0; i < N_SUMMARY_FIELDS; i++) {
        if (get_num(&sf, summary_fields[i], summary_slot(s, i), e))
            return ab_errf(e, AB_EUSAGE, "record field \"%s.%s\": expected a number or null", name,
                           summary_fields[i]);
    }
    return 0;
}

static int samples_from_json(json_fields *o, const char *name, double **dst, size_t *n, ab_err *e)
{
    const cJSON *it = member(o, name);
    *dst = NULL;
    *n = 0;
    if (!it || cJSON_IsNull(it))
        return 0;
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

static int params_from_json(json_fields *o, ab_record *r, ab_err *e)
{
    const cJSON *p = member(o, "params");
    if (!p || cJSON_IsNull(p)) {
        /* Older or hand-made records: the key says it all. */
        ab_err ke;
        ab_err_clear(&ke);
        if (case_from_key(r->key, &r->params, &ke) != AB_OK)
            return ab_errf(e, AB_EUSAGE, "record field \"key\": %s", ke.msg);
        return 0;
    }
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
    c.index = r->params.index;
    r->params = c;
    return 0;
}

static int record_from_json_impl(const void *json, ab_record *r, ab_err *e)
{
    const cJSON *o = json;
    record_init(r, NULL);
    if (!cJSON_IsObject(o))
        return ab_errf(e, AB_EUSAGE, "record: expected a JSON object");
    json_fields f = fields_of(o);

    char status[32];
    double d = 0;
    int b = 0, rc = 0;
    rc = rc ? rc : get_text(&f, "key", r->key, sizeof r->key, 1, e);
    rc = rc ? rc : get_int(&f, "index", 0, MAX_EXACT_INT, 0, &d, e);
    if (!rc)
        r->params.index = (size_t)d;
    rc = rc ? rc : params_from_json(&f, r, e);
    rc = rc ? rc : get_text(&f, "backend", r->backend, sizeof r->backend, 0, e);
    rc = rc ? rc : get_bool(&f, "simulated", 0, &b, e);
    if (!rc)
        r->simulated = b;
    rc = rc ? rc : get_text(&f, "status", status, sizeof status, 1, e);
    if (!rc) {
        int st = status_parse(status);
        if (st < 0)
            rc = ab_errf(e, AB_EUSAGE, "record field \"status\": unknown status \"%s\"", status);
        else
            r->status = (ab_status)st;
    }
    rc = rc ? rc : get_text(&f, "reason", r->reason, sizeof r->reason, 0, e);

    rc = rc ? rc : get_num(&f, "compile_ms", &r->compile_ms, e);
    rc = rc ? rc : get_num(&f, "load_ms", &r->load_ms, e);
    rc = rc ? rc : get_num(&f, "first_eval_ms", &r->first_eval_ms, e);
    rc = rc ? rc : get_num(&f, "unload_ms", &r->unload_ms, e);
    rc = rc ? rc : get_num(&f, "reload_ms", &r->reload_ms, e);
    rc = rc ? rc : get_int(&f, "warmup", 0, 2147483647.0, 0, &d, e);
    if (!rc)
        r->warmup = (int)d;

    rc = rc ? rc : summary_from_json(&f, "eval_ns", &r->eval, e);
    rc = rc ? rc : get_bool(&f, "has_hw", 0, &b, e);
    if (!rc)
        r->has_hw = b;
    rc = rc ? rc : summary_from_json(&f, "hw_ns", &r->hw, e);
    rc = rc ? rc : get_text(&f, "hw_reason", r->hw_reason, sizeof r->hw_reason, 0, e);

    rc = rc ? rc : get_text(&f, "eval_path", r->eval_path, sizeof r->eval_path, 0, e);
    rc = rc ? rc : get_num(&f, "flops", &r->flops, e);
    rc = rc ? rc : get_num(&f, "bytes", &r->bytes, e);
    rc = rc ? rc : get_num(&f, "gflops_wall", &r->gflops_wall, e);
    rc = rc ? rc : get_num(&f, "gflops_hw", &r->gflops_hw, e);

    rc = rc ? rc : get_bool(&f, "verify_pass", -1, &r->verify_pass, e);
    rc = rc ? rc : get_num(&f, "max_abs_err", &r->max_abs_err, e);
    rc = rc ? rc : get_num(&f, "tolerance", &r->tolerance, e);
    rc = rc ? rc : get_int(&f, "verify_checked", 0, MAX_EXACT_INT, 0, &d, e);
    if (!rc)
        r->verify_checked = (size_t)d;

    rc = rc ? rc : get_text(&f, "stop_reason", r->stop_reason, sizeof r->stop_reason, 0, e);
    rc = rc ? rc : get_text(&f, "compile_cache", r->compile_cache, sizeof r->compile_cache, 0, e);
    rc = rc ? rc : get_text(&f, "thermal_state", r->thermal_state, sizeof r->thermal_state, 0, e);
    rc = rc ? rc : get_text(&f, "power_source", r->power_source, sizeof r->power_source, 0, e);
    rc = rc ? rc : get_int(&f, "worker", 0, 2147483647.0, 0, &d, e);
    if (!rc)
        r->worker = (int)d;
    rc = rc ? rc : get_int(&f, "attempt", 0, 2147483647.0, 1, &d, e);
    if (!rc)
        r->attempt = (int)d;
    rc = rc ? rc : get_text(&f, "started", r->started, sizeof r->started, 0, e);
    rc = rc ? rc : get_num(&f, "wall_s", &r->wall_s, e);

    rc = rc ? rc : samples_from_json(&f, "eval_samples_ns", &r->eval_samples, &r->n_eval_samples, e);
    rc = rc ? rc : samples_from_json(&f, "hw_samples_ns", &r->hw_samples, &r->n_hw_samples, e);
    if (rc) {
        record_free(r);
        return rc;
    }
    return AB_OK;
}

/* ----------------------------------------------------------------- CSV */

/* Every scalar field, in this order; the params columns follow the axis
 * table. Units are in the names; results/README.md documents each one. */
const char *const record_csv_columns[] = {
    "key",
    "cin",
    "cout",
    "spatial",
    "depth",
    "io",
    "qos",
    "procedure",
    "mode",
    "threads",
    "index",
    "backend",
    "simulated",
    "status",
    "reason",
    "compile_ms",
    "load_ms",
    "first_eval_ms",
    "unload_ms",
    "reload_ms",
    "warmup",
    "eval_n",
    "eval_min_ns",
    "eval_median_ns",
    "eval_mean_ns",
    "eval_stddev_ns",
    "eval_p90_ns",
    "eval_p99_ns",
    "eval_max_ns",
    "eval_mad_ns",
    "eval_ci_low_ns",
    "eval_ci_high_ns",
    "has_hw",
    "hw_n",
    "hw_min_ns",
    "hw_median_ns",
    "hw_mean_ns",
    "hw_stddev_ns",
    "hw_p90_ns",
    "hw_p99_ns",
    "hw_max_ns",
    "hw_mad_ns",
    "hw_ci_low_ns",
    "hw_ci_high_ns",
    "hw_reason",
    "eval_path",
    "flops",
    "bytes",
    "gflops_wall",
    "gflops_hw",
    "verify_pass",
    "max_abs_err",
    "tolerance",
    "verify_checked",
    "stop_reason",
    "compile_cache",
    "thermal_state",
    "power_source",
    "worker",
    "attempt",
    "started",
    "wall_s",
    NULL,
};

enum { COL_PARAMS = 1 }; /* the axis columns follow "key" */

size_t record_csv_ncolumns(void)
{
    size_t n = 0;
    while (record_csv_columns[n])
        n++;
    return n;
}

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

/* Appends the summary's n and ten statistics (all empty when absent). */
static void summary_to_fields(char **f, size_t *k, const ab_summary *s, int present)
{
    ab_summary copy = *s;
    f[(*k)++] = present ? fmt_long((long long)s->n) : dup_text("");
    for (int i = 0; i < N_SUMMARY_FIELDS; i++)
        f[(*k)++] = present && s->n > 0 ? fmt_double(*summary_slot(&copy, i)) : dup_text("");
}

char **record_to_csv_fields(const ab_record *r)
{
    size_t n = record_csv_ncolumns();
    char **f = calloc(n, sizeof *f);
    if (!f)
        return NULL;
    size_t k = 0;
    f[k++] = dup_text(r->key);
    for (int i = 0; i < AX_COUNT; i++) {
        char buf[64];
        if (ab_axes[i].kind == AXIS_ENUM)
            axis_format_value(&ab_axes[i], r->params.v[i], buf, sizeof buf);
        else
            snprintf(buf, sizeof buf, "%ld", r->params.v[i]);
        f[k++] = dup_text(buf);
    }
    f[k++] = fmt_long((long long)r->params.index);
    f[k++] = dup_text(r->backend);
    f[k++] = fmt_bool(r->simulated);
    f[k++] = dup_text(status_name(r->status));
    f[k++] = dup_text(r->reason);
    f[k++] = fmt_double(r->compile_ms);
    f[k++] = fmt_double(r->load_ms);
    f[k++] = fmt_double(r->first_eval_ms);
    f[k++] = fmt_double(r->unload_ms);
    f[k++] = fmt_double(r->reload_ms);
    f[k++] = fmt_long(r->warmup);
    summary_to_fields(f, &k, &r->eval, 1);
    f[k++] = fmt_bool(r->has_hw);
    summary_to_fields(f, &k, &r->hw, r->has_hw);
    f[k++] = dup_text(r->hw_reason);
    f[k++] = dup_text(r->eval_path);
    f[k++] = fmt_double(r->flops);
    f[k++] = fmt_double(r->bytes);
    f[k++] = fmt_double(r->gflops_wall);
    f[k++] = fmt_double(r->gflops_hw);
    f[k++] = r->verify_pass < 0 ? dup_text("") : fmt_bool(r->verify_pass);
    f[k++] = fmt_double(r->max_abs_err);
    f[k++] = fmt_double(r->tolerance);
    f[k++] = fmt_long((long long)r->verify_checked);
    f[k++] = dup_text(r->stop_reason);
    f[k++] = dup_text(r->compile_cache);
    f[k++] = dup_text(r->thermal_state);
    f[k++] = dup_text(r->power_source);
    f[k++] = fmt_long(r->worker);
    f[k++] = fmt_long(r->attempt);
    f[k++] = dup_text(r->started);
    f[k++] = fmt_double(r->wall_s);

    int ok = k == n;
    for (size_t i = 0; i < n; i++)
        ok = ok && f[i] != NULL;
    if (!ok) {
        for (size_t i = 0; i < n; i++)
            free(f[i]);
        free(f);
        return NULL;
    }
    return f;
}

/* Field parsers for CSV: "" is null. Each names the column on error. */
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

/* Sets one column c (index into record_csv_columns) of r from text s. */
static int csv_set(ab_record *r, size_t c, const char *s, ab_err *e)
{
    const char *col = record_csv_columns[c];
    double d = 0;
    int b = 0, rc;
    if (c >= COL_PARAMS && c < COL_PARAMS + AX_COUNT)
        return csv_param(&ab_axes[c - COL_PARAMS], s, &r->params.v[c - COL_PARAMS], e);
    /* eval_n, eval_<stat>_ns, hw_n, hw_<stat>_ns */
    ab_summary *sum = strncmp(col, "eval_", 5) == 0 ? &r->eval : strncmp(col, "hw_", 3) == 0 ? &r->hw : NULL;
    if (sum) {
        const char *stat = col + (sum == &r->eval ? 5 : 3);
        if (strcmp(stat, "n") == 0) {
            rc = csv_int(col, s[0] ? s : "0", 0, MAX_EXACT_INT, &d, e);
            sum->n = rc ? 0 : (size_t)d;
            return rc;
        }
        size_t len = strlen(stat);
        for (int i = 0; len > 3 && i < N_SUMMARY_FIELDS; i++)
            if (strlen(summary_fields[i]) == len - 3 && strncmp(stat, summary_fields[i], len - 3) == 0 &&
                strcmp(stat + len - 3, "_ns") == 0)
                return csv_double(col, s, summary_slot(sum, i), e);
    }
    if (strcmp(col, "key") == 0)
        return csv_text(col, s, r->key, sizeof r->key, e);
    if (strcmp(col, "index") == 0) {
        rc = csv_int(col, s[0] ? s : "0", 0, MAX_EXACT_INT, &d, e);
        r->params.index = rc ? 0 : (size_t)d;
        return rc;
    }
    if (strcmp(col, "backend") == 0)
        return csv_text(col, s, r->backend, sizeof r->backend, e);
    if (strcmp(col, "simulated") == 0 || strcmp(col, "has_hw") == 0) {
        if ((rc = csv_bool(col, s, &b, e)))
            return rc;
        if (col[0] == 's')
            r->simulated = b == 1;
        else
            r->has_hw = b == 1;
        return 0;
    }
    if (strcmp(col, "status") == 0) {
        int st = status_parse(s);
        if (st < 0)
            return ab_errf(e, AB_EUSAGE, "column \"status\": unknown status \"%.40s\"", s);
        r->status = (ab_status)st;
        return 0;
    }
    if (strcmp(col, "verify_pass") == 0)
        return csv_bool(col, s, &r->verify_pass, e);

    struct {
        const char *name;
        double *slot;
    } nums[] = {
        {"compile_ms", &r->compile_ms},
        {"load_ms", &r->load_ms},
        {"first_eval_ms", &r->first_eval_ms},
        {"unload_ms", &r->unload_ms},
        {"reload_ms", &r->reload_ms},
        {"flops", &r->flops},
        {"bytes", &r->bytes},
        {"gflops_wall", &r->gflops_wall},
        {"gflops_hw", &r->gflops_hw},
        {"max_abs_err", &r->max_abs_err},
        {"tolerance", &r->tolerance},
        {"wall_s", &r->wall_s},
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        if (strcmp(col, nums[i].name) == 0)
            return csv_double(col, s, nums[i].slot, e);

    struct {
        const char *name;
        char *buf;
        size_t n;
    } texts[] = {
        {"reason", r->reason, sizeof r->reason},
        {"hw_reason", r->hw_reason, sizeof r->hw_reason},
        {"eval_path", r->eval_path, sizeof r->eval_path},
        {"stop_reason", r->stop_reason, sizeof r->stop_reason},
        {"compile_cache", r->compile_cache, sizeof r->compile_cache},
        {"thermal_state", r->thermal_state, sizeof r->thermal_state},
        {"power_source", r->power_source, sizeof r->power_source},
        {"started", r->started, sizeof r->started},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (strcmp(col, texts[i].name) == 0)
            return csv_text(col, s, texts[i].buf, texts[i].n, e);

    struct {
        const char *name;
        int *slot;
        double def;
    } ints[] = {
        {"warmup", &r->warmup, 0},
        {"worker", &r->worker, 0},
        {"attempt", &r->attempt, 1},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        if (strcmp(col, ints[i].name) == 0) {
            if (!s[0]) {
                *ints[i].slot = (int)ints[i].def;
                return 0;
            }
            if ((rc = csv_int(col, s, 0, 2147483647.0, &d, e)))
                return rc;
            *ints[i].slot = (int)d;
            return 0;
        }
    }
    if (strcmp(col, "verify_checked") == 0) {
        rc = csv_int(col, s[0] ? s : "0", 0, MAX_EXACT_INT, &d, e);
        r->verify_checked = rc ? 0 : (size_t)d;
        return rc;
    }
    return 0;
}

static int record_from_csv_impl(char *const *header, char *const *fields, size_t n, ab_record *r, ab_err *e)
{
    record_init(r, NULL);
    case_default(&r->params);
    r->attempt = 1;
    size_t ncol = record_csv_ncolumns();
    int seen_key = 0, seen_status = 0, seen_params = 0;
    for (size_t i = 0; i < n; i++) {
        if (!header[i])
            continue;
        for (size_t c = 0; c < ncol; c++) {
            if (strcmp(header[i], record_csv_columns[c]) != 0)
                continue;
            if (csv_set(r, c, fields[i] ? fields[i] : "", e))
                return AB_EUSAGE;
            seen_key |= c == 0;
            seen_status |= strcmp(header[i], "status") == 0;
            seen_params |= c >= COL_PARAMS && c < COL_PARAMS + AX_COUNT;
            break;
        }
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
    if (r->eval.n == 0)
        summary_nan(&r->eval);
    if (!r->has_hw)
        summary_nan(&r->hw);
    return AB_OK;
}

/* Values echoed into messages may hold control bytes; keep one line. */
static int one_line(int rc, ab_err *e)
{
    if (rc && e)
        for (char *p = e->msg; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
    return rc;
}

int record_from_json(const void *json, ab_record *r, ab_err *e)
{
    return one_line(record_from_json_impl(json, r, e), e);
}

int record_from_csv_fields(char *const *header, char *const *fields, size_t n, ab_record *r, ab_err *e)
{
    int rc = one_line(record_from_csv_impl(header, fields, n, r, e), e);
    if (rc)
        record_free(r);
    return rc;
}
