/* fault.c: the `fault:SPEC` engine, for reliability tests. It runs every
 * case on the cpu engine and, on the cases its rules match, misbehaves the
 * way a private driver can: crashes, aborts, hangs, fails, returns a wrong
 * answer or runs out of compile budget. Grammar (docs/fault.md):
 *
 *   SPEC  := RULE[,RULE...]
 *   RULE  := KIND[@COND[+COND...]] | budget@N
 *   KIND  := segv | abort | hang | error | wrong
 *   COND  := AXIS=VALUE        (the case's axis has that value, e.g. cin=128, io=fp16)
 *          | phase=PHASE       (where it strikes: prepare, compile (default),
 *                               load, eval, unload; `wrong` always corrupts the output)
 *
 * A rule without conditions matches every case. budget@N lets each process
 * compile N times; later compiles fail and compile_budget_left reports the
 * rest, so a scheduler that honours it never hits the wall. */
#include "backends/backend.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

typedef enum { FK_SEGV, FK_ABORT, FK_HANG, FK_ERROR, FK_WRONG, FK_COUNT } fault_kind;
static const char *const fault_kind_names[FK_COUNT] = {"segv", "abort", "hang", "error", "wrong"};

typedef enum { PH_PREPARE, PH_COMPILE, PH_LOAD, PH_EVAL, PH_UNLOAD, PH_COUNT } fault_phase;
static const char *const fault_phase_names[PH_COUNT] = {"prepare", "compile", "load", "eval", "unload"};

#define FAULT_MAX_RULES 32

typedef struct fault_rule {
    fault_kind kind;
    fault_phase phase;
    int phase_given;
    int has[AX_COUNT]; /* axis constrained */
    long want[AX_COUNT];
    char text[96]; /* the rule as written, for messages */
} fault_rule;

typedef struct fault_state {
    ab_backend inner; /* the cpu engine doing the real work */
    fault_rule rules[FAULT_MAX_RULES];
    size_t nrules;
    long budget; /* compiles per process; -1 = none */
    long compiles;
} fault_state;

typedef struct fault_inst {
    void *inner;
    size_t n_out;                    /* output elements */
    const fault_rule *hit[FK_COUNT]; /* first matching rule of each kind */
} fault_inst;

/* One condition of rule r (text: the whole rule, for messages). A second
 * condition on the same axis or phase could never hold with the first:
 * refused rather than one of them silently kept. */
static int parse_cond(fault_rule *r, const char *cond, const char *text, ab_err *e)
{
    const char *eq = strchr(cond, '=');
    if (!eq || eq == cond || !eq[1])
        return ab_errf(e, AB_EUSAGE, "fault: bad condition '%s' (want AXIS=VALUE or phase=PHASE)", cond);
    char name[32];
    size_t nl = (size_t)(eq - cond);
    if (nl >= sizeof name)
        return ab_errf(e, AB_EUSAGE, "fault: bad condition '%s'", cond);
    memcpy(name, cond, nl);
    name[nl] = '\0';
    if (!strcmp(name, "phase")) {
        if (r->phase_given)
            return ab_errf(e, AB_EUSAGE,
                           "fault: phase given twice in '%s' (a rule's conditions must all hold; one rule per phase)",
                           text);
        r->phase_given = 1;
        for (int p = 0; p < PH_COUNT; p++)
            if (!strcmp(eq + 1, fault_phase_names[p])) {
                r->phase = (fault_phase)p;
                return AB_OK;
            }
        return ab_errf(e, AB_EUSAGE, "fault: unknown phase '%s'", eq + 1);
    }
    int ax = axis_find(name);
    if (ax < 0)
        return ab_errf(e, AB_EUSAGE, "fault: unknown axis '%s'", name);
    if (r->has[ax])
        return ab_errf(e, AB_EUSAGE,
                       "fault: '%s' given twice in '%s' (a rule's conditions must all hold; one rule per value)",
                       name, text);
    long *vals = NULL;
    size_t nv = 0;
    ab_err sub;
    if (axis_parse_values(&ab_axes[ax], eq + 1, &vals, &nv, &sub) != AB_OK || nv != 1) {
        free(vals);
        return ab_errf(e, AB_EUSAGE, "fault: bad value in '%s' (one value per condition)", cond);
    }
    r->has[ax] = 1;
    r->want[ax] = vals[0];
    free(vals);
    return AB_OK;
}

static int parse_rule(fault_state *st, char *rule, ab_err *e)
{
    char *at = strchr(rule, '@');
    char *conds = NULL;
    if (at) {
        *at = '\0';
        conds = at + 1;
    }
    if (!strcmp(rule, "budget")) {
        char *end = NULL;
        long n = conds ? strtol(conds, &end, 10) : -1;
        if (!conds || end == conds || *end || n < 1 || n > 1000000)
            return ab_errf(e, AB_EUSAGE, "fault: bad budget '%s' (want budget@N, N >= 1)",
                           conds ? conds : "");
        if (st->budget >= 0)
            return ab_errf(e, AB_EUSAGE, "fault: budget given twice ('budget@%ld' and 'budget@%s')", st->budget,
                           conds);
        st->budget = n;
        return AB_OK;
    }
    if (st->nrules == FAULT_MAX_RULES)
        return ab_errf(e, AB_EUSAGE, "fault: more than %d rules (at '%s')", FAULT_MAX_RULES, rule);
    fault_rule *r = &st->rules[st->nrules];
    memset(r, 0, sizeof *r);
    r->phase = PH_COMPILE;
    int kind = -1;
    for (int k = 0; k < FK_COUNT; k++)
        if (!strcmp(rule, fault_kind_names[k]))
            kind = k;
    if (kind < 0)
        return ab_errf(e, AB_EUSAGE, "fault: unknown kind '%s' (segv, abort, hang, error, wrong, budget)",
                       rule);
    r->kind = (fault_kind)kind;
    snprintf(r->text, sizeof r->text, "%s%s%s", rule, conds ? "@" : "", conds ? conds : "");
    if (conds) {
        if (!*conds)
            return ab_errf(e, AB_EUSAGE, "fault: empty condition in '%s'", r->text);
        for (char *c = conds, *plus; c; c = plus ? plus + 1 : NULL) {
            if ((plus = strchr(c, '+')) != NULL)
                *plus = '\0';
            if (!*c)
                return ab_errf(e, AB_EUSAGE, "fault: empty condition in '%s'", r->text);
            if (parse_cond(r, c, r->text, e) != AB_OK)
                return e ? e->code : AB_EUSAGE;
        }
    }
    st->nrules++;
    return AB_OK;
}

static int fault_parse(fault_state *st, const char *spec, ab_err *e)
{
    st->budget = -1;
    if (!spec || !*spec)
        return ab_errf(e, AB_EUSAGE, "fault: needs a SPEC, e.g. fault:segv@cin=128 (see docs/fault.md)");
    char *copy = strdup(spec);
    if (!copy)
        return ab_errf(e, AB_EFAIL, "out of memory");
    int rc = AB_OK;
    char *p = copy;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (!*p) {
            rc = ab_errf(e, AB_EUSAGE, "fault: empty rule in '%s'", spec);
            break;
        }
        if ((rc = parse_rule(st, p, e)) != AB_OK)
            break;
        if (!comma)
            break;
        p = comma + 1;
    }
    free(copy);
    return rc;
}

/* ---- misbehaving ---------------------------------------------------------- */

static int strike(const fault_inst *fi, fault_phase ph, ab_err *e)
{
    for (int k = 0; k < FK_COUNT; k++) {
        const fault_rule *r = fi->hit[k];
        if (!r || r->phase != ph || r->kind == FK_WRONG)
            continue;
        switch (r->kind) {
        case FK_SEGV: {
            struct rlimit none = {0, 0};
            setrlimit(RLIMIT_CORE, &none); /* no core files from planned crashes */
            raise(SIGSEGV);
            abort(); /* SIGSEGV ignored or handled: still die */
        }
        case FK_ABORT: {
            struct rlimit none = {0, 0};
            setrlimit(RLIMIT_CORE, &none);
            abort();
        }
        case FK_HANG:
            for (;;)
                sleep(1);
        case FK_ERROR:
            return ab_errf(e, AB_EFAIL, "fault: injected error in %s (%s)", fault_phase_names[ph], r->text);
        default:
            break;
        }
    }
    return AB_OK;
}

static int rule_matches(const fault_rule *r, const ab_case *c)
{
    for (int a = 0; a < AX_COUNT; a++)
        if (r->has[a] && c->v[a] != r->want[a])
            return 0;
    return 1;
}

/* ---- ops ------------------------------------------------------------------ */

static int fault_open(ab_backend *b, const char *arg, ab_err *e)
{
    fault_state *st = calloc(1, sizeof *st);
    if (!st)
        return ab_errf(e, AB_EFAIL, "out of memory");
    int rc = fault_parse(st, arg, e);
    if (rc == AB_OK) {
        st->inner.ops = &ab_backend_cpu;
        ab_strlcpy(st->inner.spec, "cpu", sizeof st->inner.spec);
        rc = ab_backend_cpu.open(&st->inner, NULL, e);
    }
    if (rc != AB_OK) {
        free(st);
        return rc;
    }
    b->simulated = st->inner.simulated;
    b->fp16_compute = st->inner.fp16_compute;
    b->priv = st;
    return AB_OK;
}

static void fault_close(ab_backend *b)
{
    fault_state *st = b->priv;
    if (!st)
        return;
    if (st->inner.ops->close)
        st->inner.ops->close(&st->inner);
    free(st);
    b->priv = NULL;
}

static int fault_probe(ab_backend *b, ab_err *why)
{
    fault_state *st = b->priv;
    return st->inner.ops->probe ? st->inner.ops->probe(&st->inner, why) : AB_OK;
}

static int fault_supports(ab_backend *b, const ab_case *c, char *why, size_t n)
{
    fault_state *st = b->priv;
    return st->inner.ops->supports ? st->inner.ops->supports(&st->inner, c, why, n) : 1;
}

static int fault_prepare(ab_backend *b, const ab_kernel *k, void **inst, ab_err *e)
{
    fault_state *st = b->priv;
    fault_inst *fi = calloc(1, sizeof *fi);
    if (!fi)
        return ab_errf(e, AB_EFAIL, "out of memory");
    for (size_t i = 0; i < st->nrules; i++)
        if (!fi->hit[st->rules[i].kind] && rule_matches(&st->rules[i], &k->c))
            fi->hit[st->rules[i].kind] = &st->rules[i];
    fi->n_out = k->out_rows * k->out_cols;
    *inst = fi;
    int rc = strike(fi, PH_PREPARE, e);
    if (rc == AB_OK)
        rc = st->inner.ops->prepare(&st->inner, k, &fi->inner, e);
    if (rc != AB_OK) { /* nothing of a failed prepare is left for release */
        free(fi);
        *inst = NULL;
    }
    return rc;
}

static int fault_compile(ab_backend *b, void *inst, ab_err *e)
{
    fault_state *st = b->priv;
    fault_inst *fi = inst;
    if (st->budget >= 0 && st->compiles >= st->budget)
        return ab_errf(e, AB_EFAIL, "fault: compile budget exhausted (%ld compiles per process)", st->budget);
    int rc = strike(fi, PH_COMPILE, e);
    if (rc != AB_OK)
        return rc;
    st->compiles++;
    return st->inner.ops->compile(&st->inner, fi->inner, e);
}

static int fault_load(ab_backend *b, void *inst, ab_err *e)
{
    fault_state *st = b->priv;
    fault_inst *fi = inst;
    int rc = strike(fi, PH_LOAD, e);
    return rc ? rc : st->inner.ops->load(&st->inner, fi->inner, e);
}

static int fault_eval(ab_backend *b, void *inst, ab_eval_out *out, ab_err *e)
{
    fault_state *st = b->priv;
    fault_inst *fi = inst;
    int rc = strike(fi, PH_EVAL, e);
    return rc ? rc : st->inner.ops->eval(&st->inner, fi->inner, out, e);
}

static int fault_unload(ab_backend *b, void *inst, ab_err *e)
{
    fault_state *st = b->priv;
    fault_inst *fi = inst;
    int rc = strike(fi, PH_UNLOAD, e);
    return rc ? rc : st->inner.ops->unload(&st->inner, fi->inner, e);
}

static int fault_output(ab_backend *b, void *inst, float *out, ab_err *e)
{
    fault_state *st = b->priv;
    fault_inst *fi = inst;
    int rc = st->inner.ops->output(&st->inner, fi->inner, out, e);
    if (rc == AB_OK && fi->hit[FK_WRONG] && out)
        for (size_t i = 0; i < fi->n_out; i++)
            out[i] += 1.0f; /* far beyond any tolerance (outputs are O(1)) */
    return rc;
}

static void fault_release(ab_backend *b, void *inst)
{
    fault_state *st = b->priv;
    fault_inst *fi = inst;
    if (!fi)
        return;
    if (fi->inner && st->inner.ops->release)
        st->inner.ops->release(&st->inner, fi->inner);
    free(fi);
}

static void fault_describe(ab_backend *b, void *json_obj)
{
    fault_state *st = b->priv;
    if (st->inner.ops->describe)
        st->inner.ops->describe(&st->inner, json_obj);
    const char *colon = strchr(b->spec, ':');
    cJSON_AddStringToObject(json_obj, "fault_spec", colon ? colon + 1 : "");
    cJSON_AddStringToObject(json_obj, "wraps", st->inner.ops->name);
}

static const char *fault_compile_cache(ab_backend *b, void *inst)
{
    fault_state *st = b->priv;
    fault_inst *fi = inst;
    return st->inner.ops->compile_cache ? st->inner.ops->compile_cache(&st->inner, fi->inner) : NULL;
}

static int fault_budget_left(ab_backend *b)
{
    fault_state *st = b->priv;
    if (st->budget >= 0)
        return (int)(st->budget > st->compiles ? st->budget - st->compiles : 0);
    return st->inner.ops->compile_budget_left ? st->inner.ops->compile_budget_left(&st->inner) : -1;
}

const ab_backend_ops ab_backend_fault = {
    .name = "fault",
    .help = "fault:SPEC  the cpu engine with injected crashes, hangs, errors, wrong output, "
            "compile budget (e.g. fault:segv@cin=128,hang@spatial=512,budget@3; docs/fault.md)",
    .open = fault_open,
    .close = fault_close,
    .probe = fault_probe,
    .supports = fault_supports,
    .prepare = fault_prepare,
    .compile = fault_compile,
    .load = fault_load,
    .eval = fault_eval,
    .unload = fault_unload,
    .output = fault_output,
    .release = fault_release,
    .describe = fault_describe,
    .compile_cache = fault_compile_cache,
    .compile_budget_left = fault_budget_left,
};
