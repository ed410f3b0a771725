/* settings.c: the one table of measurement and run settings (fio's
 * options.c). Parsing of flags and sweep-file "settings", --help text,
 * range checks and the echo into run.json all read this table. */
#include "harness/settings.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OFF(f) offsetof(ab_settings, f)
/* Largest integer a double (and so JSON) carries exactly. */
#define EXACT_MAX 9007199254740991.0

const ab_setting_def ab_setting_defs[] = {
    {"warmup", SET_INT, OFF(warmup), "20", 0, 1e6, "N",
     "evals at most dropped as warm-up from the samples' start, while slower than the settled ones "
     "(0: none)"},
    {"min_samples", SET_INT, OFF(min_samples), "10", 1, 1e7, "N", "steady-state samples at least"},
    {"max_samples", SET_INT, OFF(max_samples), "10000", 1, 1e7, "N", "steady-state samples at most"},
    {"min_time", SET_DOUBLE, OFF(min_time), "0.1", 0, 86400, "S", "seconds of sampling at least"},
    {"max_time", SET_DOUBLE, OFF(max_time), "2.0", 0.001, 86400, "S", "seconds of sampling at most"},
    {"noise", SET_DOUBLE, OFF(noise), "1.0", 0, 100, "PCT",
     "stop once the median's 95% CI half-width is under PCT % of it"},
    {"timeout", SET_DOUBLE, OFF(timeout), "120", 0.001, 86400, "S",
     "seconds per case before its worker is killed"},
    {"phase_repeats", SET_INT, OFF(phase_repeats), "5", 1, 64, "N",
     "measure compile, load, first eval, unload and reload N times a case (each compile cold: "
     "weights of its own), within the process's compile budget"},
    {"cooldown", SET_DOUBLE, OFF(cooldown), "0", 0, 3600, "S",
     "seconds at most to wait between cases while the machine reports heat (thermal state above "
     "nominal; on Linux from its thermal zones' trip points)"},
    {"cooldown_fixed", SET_BOOL, OFF(cooldown_fixed), "0", 0, 1, NULL,
     "wait the whole --cooldown between every two cases, whatever the machine reports"},
    {"shuffle", SET_LONG, OFF(shuffle), "-1", -1, EXACT_MAX, "SEED",
     "run cases in an order shuffled by SEED (-1: enumeration order)"},
    {"isolate", SET_NEGBOOL, OFF(isolate), "1", 0, 1, NULL,
     "run cases in the harness process instead of worker processes"},
    {"retries", SET_INT, OFF(retries), "0", 0, 10, "N", "re-runs of a crashed or timed-out case"},
    {"compiles_per_worker", SET_INT, OFF(compiles_per_worker), "100", 1, 1e6, "N",
     "replace a worker after this many compiles"},
    {"wait_nominal", SET_BOOL, OFF(wait_nominal), "0", 0, 1, NULL,
     "wait for a nominal thermal state before each case"},
    {"wait_nominal_max", SET_DOUBLE, OFF(wait_nominal_max), "300", 0, 86400, "S",
     "seconds at most of that wait"},
    {"seed", SET_LONG, OFF(seed), "1", 0, EXACT_MAX, "N", "seed of the weights and inputs"},
    {"repeat", SET_INT, OFF(repeat), "1", 1, 1000, "N",
     "rounds of the whole sweep, interleaved (round 1 of every case, then round 2, ...), so drift "
     "and contention show as spread between rounds; readers take the median of the rounds' medians"},
    {"weights_layout", SET_ENUM, OFF(weights_layout), "single", 0, 1, "single|per-file",
     "ane engines: every layer's weights in one weights/weight.bin at BLOBFILE offsets, or a file "
     "per layer (weights/w0.bin ...; the layout M1 compiled where the single file failed)"},
};
const size_t ab_nsetting_defs = sizeof ab_setting_defs / sizeof ab_setting_defs[0];
_Static_assert(sizeof ab_setting_defs / sizeof ab_setting_defs[0] <= SETTINGS_MAX, "raise SETTINGS_MAX");

const char *settings_flag(const ab_setting_def *d, char *buf, size_t n)
{
    size_t pos = 0;
    const char *prefix = d->type == SET_NEGBOOL ? "--no-" : "--";
    for (const char *p = prefix; *p && pos + 1 < n; p++)
        buf[pos++] = *p;
    for (const char *p = d->name; *p && pos + 1 < n; p++)
        buf[pos++] = *p == '_' ? '-' : *p;
    if (n)
        buf[pos < n ? pos : n - 1] = '\0';
    return buf;
}

const ab_setting_def *settings_find(const char *flag_or_name)
{
    if (!flag_or_name)
        return NULL;
    char flag[64];
    for (size_t i = 0; i < ab_nsetting_defs; i++) {
        const ab_setting_def *d = &ab_setting_defs[i];
        if (!strcmp(d->name, flag_or_name) || !strcmp(settings_flag(d, flag, sizeof flag), flag_or_name))
            return d;
    }
    return NULL;
}

/* Stores v (already range-checked) into the field of d. */
static void store(ab_settings *s, const ab_setting_def *d, double v)
{
    char *base = (char *)s + d->offset;
    switch (d->type) {
    case SET_INT:
    case SET_BOOL:
    case SET_NEGBOOL:
    case SET_ENUM:
        *(int *)(void *)base = (int)v;
        break;
    case SET_LONG:
        *(long *)(void *)base = (long)v;
        break;
    case SET_DOUBLE:
        *(double *)(void *)base = v;
        break;
    }
}

static double load(const ab_settings *s, const ab_setting_def *d)
{
    const char *base = (const char *)s + d->offset;
    switch (d->type) {
    case SET_LONG:
        return (double)*(const long *)(const void *)base;
    case SET_DOUBLE:
        return *(const double *)(const void *)base;
    default:
        return (double)*(const int *)(const void *)base;
    }
}

/* A setting's range as people write it: "0..1000000", "at least -1" (for
 * an integer whose top is only the largest exact double). */
static void range_text(const ab_setting_def *d, char *buf, size_t n)
{
    if (d->max >= EXACT_MAX)
        snprintf(buf, n, "at least %.15g", d->min);
    else
        snprintf(buf, n, "%.15g..%.15g", d->min, d->max);
}

/* SET_ENUM: index of name among the '|'-separated names of d's metavar, or -1. */
static int enum_index(const ab_setting_def *d, const char *name)
{
    const char *p = d->metavar;
    size_t len = strlen(name);
    for (int i = 0; p && *p; i++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && !strncmp(p, name, n))
            return i;
        p = bar ? bar + 1 : NULL;
    }
    return -1;
}

const char *settings_enum_name(const ab_setting_def *d, int v, char *buf, size_t n)
{
    const char *p = d->metavar;
    if (n)
        buf[0] = '\0';
    for (int i = 0; p && *p; i++) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (i == v) {
            snprintf(buf, n, "%.*s", (int)len, p);
            break;
        }
        p = bar ? bar + 1 : NULL;
    }
    return buf;
}

static int check_range(const ab_setting_def *d, double v, const char *label, const char *tok, ab_err *e)
{
    char range[64];
    range_text(d, range, sizeof range);
    if (!(v >= d->min && v <= d->max))
        return ab_errf(e, AB_EUSAGE, "%s: value %s out of range (%s)", label, tok, range);
    return 0;
}

/* Parses text for d; label names the flag or file key in messages. */
static int set_text(ab_settings *s, const ab_setting_def *d, const char *value, const char *label, ab_err *e)
{
    if (d->type == SET_BOOL || d->type == SET_NEGBOOL) {
        if (!value) {
            store(s, d, d->type == SET_BOOL ? 1 : 0);
            return 0;
        }
        if (!strcmp(value, "true") || !strcmp(value, "1"))
            store(s, d, 1);
        else if (!strcmp(value, "false") || !strcmp(value, "0"))
            store(s, d, 0);
        else
            return ab_errf(e, AB_EUSAGE, "%s: value '%.40s' is not true or false", label, value);
        return 0;
    }
    if (!value || !*value)
        return ab_errf(e, AB_EUSAGE, "%s: missing value", label);
    if (d->type == SET_ENUM) {
        int i = enum_index(d, value);
        if (i < 0)
            return ab_errf(e, AB_EUSAGE, "%s: value '%.40s' is not one of %s", label, value, d->metavar);
        store(s, d, i);
        return 0;
    }
    if (isspace((unsigned char)value[0]))
        return ab_errf(e, AB_EUSAGE, "%s: value '%.40s' is not a number", label, value);
    errno = 0;
    char *end;
    double v;
    if (d->type == SET_DOUBLE) {
        v = strtod(value, &end);
        if (*end || end == value || errno || !isfinite(v))
            return ab_errf(e, AB_EUSAGE, "%s: value '%.40s' is not a number", label, value);
    } else {
        long long iv = strtoll(value, &end, 10);
        if (*end || end == value || errno)
            return ab_errf(e, AB_EUSAGE, "%s: value '%.40s' is not an integer", label, value);
        v = (double)iv;
    }
    if (check_range(d, v, label, value, e))
        return AB_EUSAGE;
    store(s, d, v);
    return 0;
}

int settings_set(ab_settings *s, const ab_setting_def *d, const char *value, ab_err *e)
{
    char flag[64];
    return set_text(s, d, value, settings_flag(d, flag, sizeof flag), e);
}

void settings_default(ab_settings *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < ab_nsetting_defs; i++) {
        const ab_setting_def *d = &ab_setting_defs[i];
        store(s, d, d->type == SET_ENUM ? enum_index(d, d->def) : strtod(d->def, NULL));
    }
}

int settings_match(int argc, char **argv, int *i, const ab_setting_def **dp, const char **vp, ab_err *e)
{
    const char *arg = argv[*i];
    if (strncmp(arg, "--", 2) != 0)
        return 0;
    char flag[64];
    const char *eq = strchr(arg, '=');
    size_t flen = eq ? (size_t)(eq - arg) : strlen(arg);
    if (flen >= sizeof flag)
        return 0;
    memcpy(flag, arg, flen);
    flag[flen] = '\0';
    const ab_setting_def *d = settings_find(flag);
    if (!d)
        return 0;
    const char *value = eq ? eq + 1 : NULL;
    if (!eq && d->type != SET_BOOL && d->type != SET_NEGBOOL) {
        if (*i + 1 >= argc) {
            ab_errf(e, AB_EUSAGE, "%s: missing value", flag);
            return -AB_EUSAGE;
        }
        value = argv[++*i];
    }
    /* "--no-isolate=true" would read as isolation on: a negated flag takes no value. */
    if (eq && d->type == SET_NEGBOOL) {
        ab_errf(e, AB_EUSAGE, "%s takes no value", flag);
        return -AB_EUSAGE;
    }
    ab_settings scratch; /* the value checked now, applied later by the caller */
    settings_default(&scratch);
    if (set_text(&scratch, d, value, flag, e))
        return -AB_EUSAGE;
    *dp = d;
    *vp = value;
    return 1;
}

int settings_consume(ab_settings *s, int argc, char **argv, int *i, ab_err *e)
{
    const ab_setting_def *d;
    const char *value;
    int rc = settings_match(argc, argv, i, &d, &value, e);
    if (rc <= 0)
        return rc;
    return settings_set(s, d, value, e) ? -AB_EUSAGE : 1;
}

static size_t def_index(const ab_setting_def *d)
{
    return (size_t)(d - ab_setting_defs);
}

void settings_from_set(ab_settings_from *f, const ab_setting_def *d, const char *label)
{
    if (f && d && def_index(d) < SETTINGS_MAX)
        ab_strlcpy(f->from[def_index(d)], label, sizeof f->from[0]);
}

void settings_from_json(ab_settings_from *f, const void *json_obj, const char *label)
{
    const cJSON *obj = json_obj;
    for (const cJSON *it = cJSON_IsObject(obj) ? obj->child : NULL; it; it = it->next)
        settings_from_set(f, settings_find(it->string), label);
}

/* "--max-time 0.3 from preset quick", "--max-time 2 (the default)", "--max-time 2". */
static void describe_value(const ab_settings *s, const ab_settings_from *f, const ab_setting_def *d, char *buf,
                           size_t n)
{
    char flag[64];
    const char *from = f ? f->from[def_index(d)] : "";
    settings_flag(d, flag, sizeof flag);
    if (!from[0])
        snprintf(buf, n, "%s %.15g (the default)", flag, load(s, d));
    else if (!strcmp(from, SETTINGS_FROM_FLAG))
        snprintf(buf, n, "%s %.15g", flag, load(s, d));
    else
        snprintf(buf, n, "%s %.15g from %s", flag, load(s, d), from);
}

int settings_reconcile(ab_settings *s, const ab_settings_from *f, char *notes, size_t n, ab_err *e)
{
    static const char *const pairs[][2] = {{"min_samples", "max_samples"}, {"min_time", "max_time"}};
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        const ab_setting_def *lo = settings_find(pairs[k][0]), *hi = settings_find(pairs[k][1]);
        if (load(s, lo) <= load(s, hi))
            continue;
        int lo_flag = f && !strcmp(f->from[def_index(lo)], SETTINGS_FROM_FLAG);
        int hi_flag = f && !strcmp(f->from[def_index(hi)], SETTINGS_FROM_FLAG);
        char a[224], b[224];
        describe_value(s, f, lo, a, sizeof a);
        describe_value(s, f, hi, b, sizeof b);
        if (lo_flag == hi_flag)
            return ab_errf(e, AB_EUSAGE, "%s is greater than %s", a, b);
        /* The command line gave one half: it wins, the other half meets it. */
        const ab_setting_def *moved = lo_flag ? hi : lo, *kept = lo_flag ? lo : hi;
        char kflag[64];
        store(s, moved, load(s, kept));
        size_t used = notes ? strlen(notes) : 0;
        if (notes && used < n)
            snprintf(notes + used, n - used, "%s %s to %.15g to meet %s %.15g\n", lo_flag ? b : a,
                     lo_flag ? "raised" : "lowered", load(s, kept), settings_flag(kept, kflag, sizeof kflag),
                     load(s, kept));
    }
    return settings_validate(s, e);
}

int settings_validate(const ab_settings *s, ab_err *e)
{
    if (s->min_samples > s->max_samples)
        return ab_errf(e, AB_EUSAGE, "--min-samples %d is greater than --max-samples %d", s->min_samples,
                       s->max_samples);
    if (s->min_time > s->max_time)
        return ab_errf(e, AB_EUSAGE, "--min-time %g is greater than --max-time %g", s->min_time, s->max_time);
    return 0;
}

int settings_apply_json(ab_settings *s, const void *json_obj, const char *origin, ab_err *e)
{
    const cJSON *obj = json_obj;
    if (!obj)
        return 0;
    if (!cJSON_IsObject(obj))
        return ab_errf(e, AB_EUSAGE, "%s: \"settings\" is not an object", origin);
    for (const cJSON *it = obj->child; it; it = it->next) {
        char label[160];
        snprintf(label, sizeof label, "%s: settings.%.60s", origin, it->string ? it->string : "");
        const ab_setting_def *d = settings_find(it->string);
        if (!d || strcmp(d->name, it->string) != 0)
            return ab_errf(e, AB_EUSAGE, "%s: unknown setting", label);
        if (d->type == SET_BOOL || d->type == SET_NEGBOOL) {
            if (!cJSON_IsBool(it))
                return ab_errf(e, AB_EUSAGE, "%s: expected true or false", label);
            store(s, d, cJSON_IsTrue(it) ? 1 : 0);
            continue;
        }
        if (d->type == SET_ENUM) {
            if (!cJSON_IsString(it))
                return ab_errf(e, AB_EUSAGE, "%s: expected one of %s", label, d->metavar);
            if (set_text(s, d, it->valuestring, label, e))
                return AB_EUSAGE;
            continue;
        }
        if (!cJSON_IsNumber(it))
            return ab_errf(e, AB_EUSAGE, "%s: expected a number", label);
        double v = it->valuedouble;
        char tok[40];
        snprintf(tok, sizeof tok, "%.17g", v);
        if (d->type != SET_DOUBLE && v != floor(v))
            return ab_errf(e, AB_EUSAGE, "%s: value %s is not an integer", label, tok);
        if (check_range(d, v, label, tok, e))
            return AB_EUSAGE;
        store(s, d, v);
    }
    /* A pair the file sets both halves of is the file's mistake: say so
     * (settings_validate, run later, names the flags). */
    const cJSON *mins = cJSON_GetObjectItemCaseSensitive(obj, "min_samples");
    const cJSON *maxs = cJSON_GetObjectItemCaseSensitive(obj, "max_samples");
    if (mins && maxs && s->min_samples > s->max_samples)
        return ab_errf(e, AB_EUSAGE, "%s: min_samples %d is greater than max_samples %d", origin,
                       s->min_samples, s->max_samples);
    const cJSON *mint = cJSON_GetObjectItemCaseSensitive(obj, "min_time");
    const cJSON *maxt = cJSON_GetObjectItemCaseSensitive(obj, "max_time");
    if (mint && maxt && s->min_time > s->max_time)
        return ab_errf(e, AB_EUSAGE, "%s: min_time %g is greater than max_time %g", origin, s->min_time,
                       s->max_time);
    return 0;
}

void settings_help(FILE *f)
{
    char flag[64], left[96];
    for (size_t i = 0; i < ab_nsetting_defs; i++) {
        const ab_setting_def *d = &ab_setting_defs[i];
        settings_flag(d, flag, sizeof flag);
        if (d->metavar)
            snprintf(left, sizeof left, "%s %s", flag, d->metavar);
        else
            snprintf(left, sizeof left, "%s", flag);
        if (d->type == SET_BOOL || d->type == SET_NEGBOOL)
            fprintf(f, "  %-26s %s\n", left, d->help);
        else if (d->type == SET_ENUM)
            fprintf(f, "  %-26s %s (default %s)\n", left, d->help, d->def);
        else {
            char range[64];
            range_text(d, range, sizeof range);
            fprintf(f, "  %-26s %s (default %s; %s)\n", left, d->help, d->def, range);
        }
    }
}

void *settings_to_json(const ab_settings *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    for (size_t i = 0; i < ab_nsetting_defs; i++) {
        const ab_setting_def *d = &ab_setting_defs[i];
        double v = load(s, d);
        char name[64];
        if (d->type == SET_BOOL || d->type == SET_NEGBOOL)
            cJSON_AddBoolToObject(o, d->name, v != 0);
        else if (d->type == SET_ENUM)
            cJSON_AddStringToObject(o, d->name, settings_enum_name(d, (int)v, name, sizeof name));
        else
            cJSON_AddNumberToObject(o, d->name, v);
    }
    return o;
}
