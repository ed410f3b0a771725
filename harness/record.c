/* record.c: one case's result, and the table of its fields.
 *
 * ab_record_fields below is the only place a record field is named for a
 * file: the JSON writer and reader (record_json.c) and the CSV writer and
 * reader (record_csv.c) walk it. Each field is documented, with its unit,
 * in results/README.md (and typed in results/schema.json). Conventions
 * shared by both forms: a double that is NaN (not measured) is null / an
 * empty field; an optional text field that is "" is null / an empty field;
 * booleans are true / false; verify_pass -1 (not checked) is null / empty. */
#include "harness/record.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
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

uint64_t ab_key_hash(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

void summary_nan(ab_summary *s)
{
    memset(s, 0, sizeof *s);
    s->min = s->median = s->mean = s->stddev = s->p90 = s->p99 = NAN;
    s->max = s->mad = s->ci_low = s->ci_high = NAN;
}

/* The one "" every empty text field points at (never freed). */
static const char no_text[] = "";

int record_set_text(const char **field, const char *s)
{
    if (*field && *field != no_text)
        free((char *)*field);
    *field = no_text;
    if (!s || !s[0])
        return AB_OK;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p)
        return AB_EFAIL;
    memcpy(p, s, n);
    *field = p;
    return AB_OK;
}

int record_printf(const char **field, const char *fmt, ...)
{
    char buf[AB_REASON_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return record_set_text(field, buf);
}

void record_init(ab_record *r, const ab_case *c)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < ab_record_nfields; i++) /* every owned text: "" */
        if (ab_record_fields[i].type == RF_TEXT)
            *(const char **)(void *)((char *)r + ab_record_fields[i].off) = no_text;
    if (c) {
        char key[AB_KEY_MAX];
        r->params = *c;
        case_key(c, key, sizeof key);
        record_set_text(&r->key, key);
    }
    r->status = AB_ST_SKIPPED;
    r->compile_ms = r->load_ms = r->first_eval_ms = r->unload_ms = r->reload_ms = NAN;
    summary_nan(&r->eval);
    summary_nan(&r->hw);
    summary_nan(&r->stats_wall);
    r->err_code = NAN;
    r->flops = r->bytes = r->gflops_wall = r->gflops_hw = NAN;
    r->verify_pass = -1;
    r->max_abs_err = r->tolerance = NAN;
    r->wall_s = NAN;
    r->phase_repeats = 1;
    r->load_avg = r->cpu_per_wall = NAN;
    r->contended = -1;
    r->round = c && c->round > 1 ? c->round : 1;
    for (int i = 0; i < AB_NRSUM; i++)
        r->round_lo[i] = r->round_hi[i] = NAN;
}

void record_free(ab_record *r)
{
    if (!r)
        return;
    free(r->eval_samples);
    free(r->hw_samples);
    for (size_t i = 0; i < ab_record_nfields; i++) /* every owned text */
        if (ab_record_fields[i].type == RF_TEXT)
            record_set_text((const char **)(void *)((char *)r + ab_record_fields[i].off), NULL);
    r->eval_samples = r->hw_samples = NULL;
    r->n_eval_samples = r->n_hw_samples = 0;
    if (r->ph)
        for (int i = 0; i < AB_NPHASES; i++)
            free(r->ph->samples[i]);
    free(r->ph);
    r->ph = NULL;
}

static void phases_none(ab_phases *p)
{
    memset(p, 0, sizeof *p);
    for (int i = 0; i < AB_NPHASES; i++)
        summary_nan(&p->st[i]);
}

ab_phases *record_phases(ab_record *r)
{
    if (!r->ph && (r->ph = malloc(sizeof *r->ph)) != NULL)
        phases_none(r->ph);
    return r->ph;
}

/* What a record without a phase block reads as: nothing measured. */
// clang-format off
#define NO_SUMMARY {0, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN}
static const ab_phases no_phases = {{NO_SUMMARY, NO_SUMMARY, NO_SUMMARY, NO_SUMMARY, NO_SUMMARY}, {NULL}, {0}};
// clang-format on

const void *record_field_cbase(const ab_record *r, const ab_field *f)
{
    if (!(f->flags & RF_PHASE))
        return r;
    return r->ph ? (const void *)r->ph : (const void *)&no_phases;
}

void *record_field_base(ab_record *r, const ab_field *f)
{
    return f->flags & RF_PHASE ? (void *)record_phases(r) : (void *)r;
}

int record_field_absent(const ab_record *r, const ab_field *f)
{
    return (f->flags & RF_PHASE) && !r->ph;
}

int record_hw_whatif(const ab_record *r)
{
    return r->has_hw && (!strcmp(r->hw_source, "what-if") || (!r->hw_source[0] && r->simulated));
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
        record_set_text(&r->hw_reason, NULL);
    /* A simulator's hwExecutionTime is modelled: the seed never read a
     * populated figure from a device (ANE-NOTES), so it is a what-if. */
    snprintf(r->hw_source, sizeof r->hw_source, "%s", !r->has_hw ? "" : r->simulated ? "what-if" : "device");
    r->gflops_hw = gflops(r->flops, &r->hw);
}

void record_set_phase_samples(ab_record *r, int phase, const double *ns, size_t n)
{
    double *ms[AB_NPHASES] = {&r->compile_ms, &r->load_ms, &r->first_eval_ms, &r->unload_ms, &r->reload_ms};
    if (phase < 0 || phase >= AB_NPHASES)
        return;
    ab_phases *p = record_phases(r);
    if (!p)
        return; /* out of memory: the phase stays not measured */
    set_samples(&p->samples[phase], &p->n_samples[phase], &p->st[phase], ns, n);
    *ms[phase] = p->st[phase].n ? p->st[phase].median / 1e6 : NAN;
}

/* ------------------------------------------------------------ field table */

const char *const ab_summary_stats[AB_N_SUMMARY_STATS] = {
    "min", "median", "mean", "stddev", "p90", "p99", "max", "mad", "ci_low", "ci_high",
};

double *summary_stat(ab_summary *s, int i)
{
    double *slots[AB_N_SUMMARY_STATS] = {&s->min, &s->median, &s->mean, &s->stddev, &s->p90,
                                         &s->p99, &s->max,    &s->mad,  &s->ci_low, &s->ci_high};
    return slots[i];
}

// clang-format off
#define AT(f) offsetof(ab_record, f)
#define TEXT(name, max, flags) {#name, RF_TEXT, NULL, #name, AT(name), max, -1, 0, 0, flags}
#define CHARS(name) {#name, RF_CHARS, NULL, #name, AT(name), sizeof(((ab_record *)0)->name), -1, 0, 0, 0}
#define NUM(name, unit) {#name, RF_NUM, unit, #name, AT(name), 0, -1, 0, 0, 0}
#define INT(name, def) {#name, RF_INT, NULL, #name, AT(name), 0, -1, 0, def, 0}
#define RUNCOL(name) {#name, RF_RUN, NULL, #name, offsetof(ab_runcols, name), sizeof(((ab_runcols *)0)->name), -1, 0, 0, 0}
// clang-format on

/* HOW TO ADD A FIELD: add the member to ab_record (record.h), give it its
 * "not measured" value in record_init if that is not zero, and add ONE row
 * here, where it should appear in the JSON object and the CSV row (new
 * fields go last so that existing CSV columns keep their places). Then
 * document it in results/README.md and results/schema.json (the schema
 * test checks both against a real run). Nothing else changes: the writers,
 * the readers, resume, results.json and every reader of a run walk this.
 * Older files without the field read back as its default (missing = null). */
// clang-format off
const ab_field ab_record_fields[] = {
    TEXT(key, AB_KEY_MAX, RF_REQUIRED | RF_STRING),
    {"params", RF_PARAMS, NULL, "", AT(params), 0, -1, 0, 0, 0},
    {"index", RF_COUNT, NULL, "index", AT(params.index), 0, -1, 0, 0, 0},
    TEXT(backend, AB_SPEC_MAX, RF_STRING),
    {"simulated", RF_BOOL, NULL, "simulated", AT(simulated), 0, -1, 0, 0, 0},
    {"status", RF_STATUS, NULL, "status", AT(status), 0, -1, 0, 0, RF_REQUIRED},
    TEXT(reason, AB_REASON_MAX, 0),
    NUM(compile_ms, "ms"),
    NUM(load_ms, "ms"),
    NUM(first_eval_ms, "ms"),
    NUM(unload_ms, "ms"),
    NUM(reload_ms, "ms"),
    INT(warmup, 0),
    {"eval_ns", RF_SUMMARY, "ns", "eval", AT(eval), 0, -1, 0, 0, 0},
    {"has_hw", RF_BOOL, NULL, "has_hw", AT(has_hw), 0, -1, 0, 0, 0},
    {"hw_ns", RF_SUMMARY, "ns", "hw", AT(hw), 0, (long)AT(has_hw), 0, 0, 0},
    TEXT(hw_reason, AB_REASON_MAX, 0),
    CHARS(eval_path),
    NUM(flops, "FLOP"),
    NUM(bytes, "B"),
    NUM(gflops_wall, "GFLOP/s"),
    NUM(gflops_hw, "GFLOP/s"),
    {"verify_pass", RF_TRIBOOL, NULL, "verify_pass", AT(verify_pass), 0, -1, 0, 0, 0},
    NUM(max_abs_err, NULL),
    NUM(tolerance, NULL),
    {"verify_checked", RF_COUNT, NULL, "verify_checked", AT(verify_checked), 0, -1, 0, 0, 0},
    CHARS(stop_reason),
    CHARS(compile_cache),
    CHARS(thermal_state),
    CHARS(power_source),
    INT(worker, 0),
    INT(attempt, 1),
    CHARS(started),
    NUM(wall_s, "s"),
    /* issue 10: the eval path's note, the stats batch's wall time, the
     * strides used and where they came from, the failing stage and the
     * framework's error domain and code. */
    TEXT(path_note, AB_REASON_MAX, 0),
    {"stats_wall_ns", RF_SUMMARY, "ns", "stats_wall", AT(stats_wall), 0, -1, 0, 0, 0},
    {"in_row_stride", RF_COUNT, "B", "in_row_stride", AT(in_row_stride), 0, -1, 0, 0, 0},
    {"in_plane_stride", RF_COUNT, "B", "in_plane_stride", AT(in_plane_stride), 0, -1, 0, 0, 0},
    {"out_row_stride", RF_COUNT, "B", "out_row_stride", AT(out_row_stride), 0, -1, 0, 0, 0},
    {"out_plane_stride", RF_COUNT, "B", "out_plane_stride", AT(out_plane_stride), 0, -1, 0, 0, 0},
    CHARS(layout),
    TEXT(layout_note, AB_REASON_MAX, 0),
    CHARS(fail_stage),
    TEXT(err_domain, AB_REASON_MAX, 0),
    NUM(err_code, NULL),
    {"eval_samples_ns", RF_SAMPLES, "ns", NULL, AT(eval_samples), 0, -1, AT(n_eval_samples), 0, 0},
    {"hw_samples_ns", RF_SAMPLES, "ns", NULL, AT(hw_samples), 0, (long)AT(has_hw), AT(n_hw_samples), 0, 0},
    /* The run's own facts, on every CSV row (not in the JSON record: the
     * run's run.json holds them once). */
    RUNCOL(run_id),
    RUNCOL(chip),
    RUNCOL(ane_subtype),
    RUNCOL(os_build),
    /* Added after the run columns, so older columns keep their places. */
    INT(phase_repeats, 1),
#define PH(f) offsetof(ab_phases, f)
    {"compile_ns", RF_SUMMARY, "ns", "compile", PH(st[AB_PH_COMPILE]), 0, -1, 0, 0, RF_PHASE},
    {"load_ns", RF_SUMMARY, "ns", "load", PH(st[AB_PH_LOAD]), 0, -1, 0, 0, RF_PHASE},
    {"first_eval_ns", RF_SUMMARY, "ns", "first_eval", PH(st[AB_PH_FIRST_EVAL]), 0, -1, 0, 0, RF_PHASE},
    {"unload_ns", RF_SUMMARY, "ns", "unload", PH(st[AB_PH_UNLOAD]), 0, -1, 0, 0, RF_PHASE},
    {"reload_ns", RF_SUMMARY, "ns", "reload", PH(st[AB_PH_RELOAD]), 0, -1, 0, 0, RF_PHASE},
    NUM(load_avg, NULL),
    NUM(cpu_per_wall, NULL),
    {"ctx_invol", RF_COUNT, NULL, "ctx_invol", AT(ctx_invol), 0, -1, 0, 0, 0},
    {"contended", RF_TRIBOOL, NULL, "contended", AT(contended), 0, -1, 0, 0, 0},
    TEXT(contention, 160, 0),
    NUM(cooldown_s, "s"),
    TEXT(cooldown_why, 64, 0),
    {"compile_samples_ns", RF_SAMPLES, "ns", NULL, PH(samples[AB_PH_COMPILE]), 0, -1,
     PH(n_samples[AB_PH_COMPILE]), 0, RF_PHASE},
    {"load_samples_ns", RF_SAMPLES, "ns", NULL, PH(samples[AB_PH_LOAD]), 0, -1, PH(n_samples[AB_PH_LOAD]), 0,
     RF_PHASE},
    {"first_eval_samples_ns", RF_SAMPLES, "ns", NULL, PH(samples[AB_PH_FIRST_EVAL]), 0, -1,
     PH(n_samples[AB_PH_FIRST_EVAL]), 0, RF_PHASE},
    {"unload_samples_ns", RF_SAMPLES, "ns", NULL, PH(samples[AB_PH_UNLOAD]), 0, -1, PH(n_samples[AB_PH_UNLOAD]),
     0, RF_PHASE},
    {"reload_samples_ns", RF_SAMPLES, "ns", NULL, PH(samples[AB_PH_RELOAD]), 0, -1, PH(n_samples[AB_PH_RELOAD]),
     0, RF_PHASE},
    /* --repeat: the round of the sweep (older files: 1). Records of one key
     * in several rounds are all kept; a key is (key, round) to the reader. */
    INT(round, 1),
    /* Where hw figures come from: "device", "what-if" (a simulator's). */
    CHARS(hw_source),
};
// clang-format on
const size_t ab_record_nfields = sizeof ab_record_fields / sizeof ab_record_fields[0];

int record_one_line(int rc, ab_err *e)
{
    if (rc && e)
        for (char *p = e->msg; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
    return rc;
}
