/* compare_json.c: the JSON form of one comparison (anebench compare
 * --format json wraps one of these per OTHER run). */
#include "harness/compare.h"

#include <cjson/cJSON.h>
#include <math.h>

#include "harness/axis.h"

static void add_num(cJSON *o, const char *name, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, name, v);
    else
        cJSON_AddNullToObject(o, name);
}

static cJSON *context_json(const ab_cmp_context *ctx)
{
    cJSON *c = cJSON_CreateObject();
    cJSON *fields = cJSON_AddArrayToObject(c, "fields");
    for (int i = 0; i < CMP_META_FIELDS; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "name", ctx->f[i].name);
        if (ctx->f[i].base[0])
            cJSON_AddStringToObject(f, "base", ctx->f[i].base);
        else
            cJSON_AddNullToObject(f, "base");
        if (ctx->f[i].other[0])
            cJSON_AddStringToObject(f, "other", ctx->f[i].other);
        else
            cJSON_AddNullToObject(f, "other");
        cJSON_AddBoolToObject(f, "differs", ctx->f[i].differs);
        cJSON_AddItemToArray(fields, f);
    }
    cJSON_AddBoolToObject(c, "simulated_vs_real", ctx->simulated_mix);
    cJSON_AddBoolToObject(c, "backends_differ", ctx->backends_differ);
    cJSON_AddBoolToObject(c, "engines_differ", ctx->engines_differ);
    cJSON *notes = cJSON_AddArrayToObject(c, "notes");
    for (int i = 0; i < 3; i++)
        if (ctx->note[i][0])
            cJSON_AddItemToArray(notes, cJSON_CreateString(ctx->note[i]));
    return c;
}

static cJSON *summary_json(const ab_cmp *c)
{
    cJSON *s = cJSON_CreateObject();
    cJSON_AddNumberToObject(s, "joined", (double)compare_joined(c));
    cJSON_AddNumberToObject(s, "compared", (double)c->nrows);
    cJSON *counts = cJSON_AddObjectToObject(s, "counts");
    for (int k = 0; k < CMP_CLASS_COUNT; k++)
        cJSON_AddNumberToObject(counts, cmp_class_name((ab_cmp_class)k), (double)c->counts[k]);
    add_num(s, "geomean_ratio", c->geomean);
    cJSON *by = cJSON_AddArrayToObject(s, "by_axis");
    for (size_t i = 0; i < c->ngroups; i++) {
        const ab_cmp_group *g = &c->groups[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "axis", ab_axes[g->axis].name);
        cJSON_AddStringToObject(o, "value", g->label);
        cJSON_AddNumberToObject(o, "n", (double)g->n);
        add_num(o, "geomean_ratio", g->geomean);
        cJSON_AddItemToArray(by, o);
    }
    cJSON_AddNumberToObject(s, "contended", (double)c->ncontended);
    cJSON_AddNumberToObject(s, "rounds_base", (double)c->rounds_base);
    cJSON_AddNumberToObject(s, "rounds_other", (double)c->rounds_other);
    cJSON_AddNumberToObject(s, "rounds_overlap", (double)c->nrounds_overlap);
    cJSON_AddNumberToObject(s, "whatif", (double)c->nwhatif);
    cJSON_AddNumberToObject(s, "status_differs", (double)c->ndiffers);
    cJSON_AddNumberToObject(s, "uncompared", (double)c->nuncompared);
    cJSON_AddNumberToObject(s, "base_only", (double)c->nbase_only);
    cJSON_AddNumberToObject(s, "other_only", (double)c->nother_only);
    cJSON_AddNumberToObject(s, "duplicate_keys_base", (double)c->dup_base);
    cJSON_AddNumberToObject(s, "duplicate_keys_other", (double)c->dup_other);
    return s;
}

static cJSON *pairs_json(const ab_cmp_pair *p, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "key", p[i].base->key);
        cJSON_AddStringToObject(o, "why", p[i].why);
        cJSON_AddStringToObject(o, "base_status", status_name(p[i].base->status));
        cJSON_AddStringToObject(o, "other_status", status_name(p[i].other->status));
        cJSON_AddStringToObject(o, "base_reason", p[i].base->reason);
        cJSON_AddStringToObject(o, "other_reason", p[i].other->reason);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static cJSON *keys_json(const ab_record *const *r, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(r[i]->key));
    return a;
}

void *compare_to_json(const ab_cmp *c, const ab_cmp_context *ctx, const char *base_name,
                      const char *other_name)
{
    const ab_cmp_metric_def *m = &ab_cmp_metrics[c->opts.metric];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "base", base_name);
    cJSON_AddStringToObject(o, "other", other_name);
    cJSON_AddStringToObject(o, "metric", m->name);
    cJSON_AddStringToObject(o, "unit", m->unit);
    cJSON_AddBoolToObject(o, "higher_is_better", m->higher_is_better);
    cJSON_AddNumberToObject(o, "threshold_pct", c->opts.threshold_pct);
    cJSON_AddNumberToObject(o, "alpha", c->opts.alpha);
    if (ctx)
        cJSON_AddItemToObject(o, "context", context_json(ctx));
    cJSON_AddItemToObject(o, "summary", summary_json(c));
    cJSON *rows = cJSON_AddArrayToObject(o, "cases");
    for (size_t i = 0; i < c->nrows; i++) {
        const ab_cmp_row *r = &c->rows[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "key", r->base->key);
        add_num(x, "base", r->vbase);
        add_num(x, "other", r->vother);
        add_num(x, "ratio", r->ratio);
        add_num(x, "change_pct", r->change_pct);
        cJSON_AddStringToObject(x, "class", cmp_class_name(r->cls));
        cJSON_AddStringToObject(x, "test", cmp_test_name(r->test));
        cJSON_AddBoolToObject(x, "contended", r->contended);
        cJSON_AddNumberToObject(x, "rounds_base", r->rounds_base);
        cJSON_AddNumberToObject(x, "rounds_other", r->rounds_other);
        add_num(x, "round_spread_base_pct", r->spread_base_pct);
        add_num(x, "round_spread_other_pct", r->spread_other_pct);
        cJSON_AddBoolToObject(x, "rounds_overlap", r->rounds_overlap);
        cJSON_AddBoolToObject(x, "whatif", r->whatif);
        add_num(x, "p", r->p);
        cJSON_AddItemToArray(rows, x);
    }
    cJSON_AddItemToObject(o, "status_differs", pairs_json(c->differs, c->ndiffers));
    cJSON_AddItemToObject(o, "uncompared", pairs_json(c->uncompared, c->nuncompared));
    cJSON_AddItemToObject(o, "base_only", keys_json(c->base_only, c->nbase_only));
    cJSON_AddItemToObject(o, "other_only", keys_json(c->other_only, c->nother_only));
    return o;
}
