/* probe_compare.c: capability diff of two probe reports (see probe_compare.h). */
#include "harness/probe_compare.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/record.h"

int probe_is_report(const void *json)
{
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(json, "kind");
    return cJSON_IsObject((const cJSON *)json) && cJSON_IsString(kind) &&
           !strcmp(kind->valuestring, "anebench-probe");
}

int probe_check(const void *json, const char *origin, ab_err *e)
{
    if (!probe_is_report(json))
        return ab_errf(e, AB_EUSAGE, "%s: not a probe report (kind is not anebench-probe)", origin);
    const cJSON *sv = cJSON_GetObjectItemCaseSensitive(json, "schema_version");
    if (!cJSON_IsNumber(sv))
        return ab_errf(e, AB_EUSAGE, "%s: probe report without a numeric schema_version", origin);
    if (sv->valuedouble != AB_SCHEMA_VERSION)
        return ab_errf(e, AB_EUSAGE, "%s: schema_version %g, this build reads %d", origin, sv->valuedouble,
                       AB_SCHEMA_VERSION);
    const cJSON *probes = cJSON_GetObjectItemCaseSensitive(json, "probes");
    if (!cJSON_IsArray(probes))
        return ab_errf(e, AB_EUSAGE, "%s: probe report without a \"probes\" array", origin);
    int i = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, probes)
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");
        if (!cJSON_IsString(name))
            return ab_errf(e, AB_EUSAGE, "%s: probes[%d] has no name", origin, i);
        i++;
    }
    return AB_OK;
}

/* A JSON value as text: strings as they are, numbers as %g, else compact JSON. */
static void value_text(const cJSON *v, char *buf, size_t n)
{
    buf[0] = '\0';
    if (!v)
        return;
    if (cJSON_IsString(v)) {
        ab_strlcpy(buf, v->valuestring, n);
    } else if (cJSON_IsNumber(v)) {
        snprintf(buf, n, "%.6g", v->valuedouble);
    } else {
        char *s = cJSON_PrintUnformatted(v);
        ab_strlcpy(buf, s ? s : "?", n);
        cJSON_free(s);
    }
}

/* The same, whole and malloc'd (a figure may be a table of rows; a finding
 * a paragraph): NULL only when out of memory. */
static char *value_dup(const cJSON *v)
{
    char num[32];
    const char *s = "";
    char *json = NULL;
    if (cJSON_IsString(v)) {
        s = v->valuestring;
    } else if (cJSON_IsNumber(v)) {
        value_text(v, num, sizeof num);
        s = num;
    } else if (v && !cJSON_IsNull(v)) {
        json = cJSON_PrintUnformatted(v);
        s = json ? json : "?";
    }
    size_t n = strlen(s) + 1;
    char *out = malloc(n);
    if (out)
        memcpy(out, s, n);
    cJSON_free(json);
    return out;
}

static void str_field(const cJSON *o, const char *key, char *buf, size_t n)
{
    value_text(cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL, buf, n);
    if (!strcmp(buf, "null"))
        buf[0] = '\0';
}

static const cJSON *find_probe(const cJSON *report, const char *name)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(report, "probes"))
    {
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(p, "name");
        if (cJSON_IsString(nm) && !strcmp(nm->valuestring, name))
            return p;
    }
    return NULL;
}

static int add_fig(ab_probe_row *r, const char *name, const cJSON *bv, const cJSON *ov)
{
    for (size_t i = 0; i < r->nfigs; i++)
        if (!strcmp(r->figs[i].name, name))
            return AB_OK;
    ab_probe_fig *f = realloc(r->figs, (r->nfigs + 1) * sizeof *f);
    if (!f)
        return AB_EFAIL;
    r->figs = f;
    f = &r->figs[r->nfigs++];
    memset(f, 0, sizeof *f);
    ab_strlcpy(f->name, name, sizeof f->name);
    f->base = value_dup(bv);
    f->other = value_dup(ov);
    if (!f->base || !f->other)
        return AB_EFAIL;
    if (cJSON_IsNumber(bv) && cJSON_IsNumber(ov))
        f->differs = fabs(bv->valuedouble - ov->valuedouble) >
                     1e-9 * fmax(fabs(bv->valuedouble), fabs(ov->valuedouble));
    else
        f->differs = strcmp(f->base, f->other) != 0 || !bv != !ov;
    r->nfigs_differ += (size_t)f->differs;
    return AB_OK;
}

static int fill_row(ab_probe_row *r, const char *name, const cJSON *bp, const cJSON *op)
{
    memset(r, 0, sizeof *r);
    ab_strlcpy(r->name, name, sizeof r->name);
    str_field(bp, "result", r->base_result, sizeof r->base_result);
    str_field(op, "result", r->other_result, sizeof r->other_result);
    r->base_finding = value_dup(bp ? cJSON_GetObjectItemCaseSensitive(bp, "finding") : NULL);
    r->other_finding = value_dup(op ? cJSON_GetObjectItemCaseSensitive(op, "finding") : NULL);
    if (!r->base_finding || !r->other_finding)
        return AB_EFAIL;
    r->differs = !bp || !op || strcmp(r->base_result, r->other_result) != 0;
    const cJSON *bf = bp ? cJSON_GetObjectItemCaseSensitive(bp, "figures") : NULL;
    const cJSON *of = op ? cJSON_GetObjectItemCaseSensitive(op, "figures") : NULL;
    if (!cJSON_IsObject(bf))
        bf = NULL;
    if (!cJSON_IsObject(of))
        of = NULL;
    const cJSON *x;
    cJSON_ArrayForEach(x, bf)
    {
        if (add_fig(r, x->string, x, of ? cJSON_GetObjectItemCaseSensitive(of, x->string) : NULL))
            return AB_EFAIL;
    }
    cJSON_ArrayForEach(x, of)
    {
        if (add_fig(r, x->string, NULL, x))
            return AB_EFAIL;
    }
    return AB_OK;
}

static const char *const meta_names[PROBE_META_FIELDS] = {
    "backend", "simulated", "chip", "family", "subtype", "cores", "os build", "profile", "started"};

static void fill_meta(const cJSON *rep, char out[PROBE_META_FIELDS][128])
{
    const cJSON *dev = cJSON_GetObjectItemCaseSensitive(rep, "device");
    str_field(rep, "backend", out[0], 128);
    str_field(rep, "simulated", out[1], 128);
    if (!strcmp(out[1], "true"))
        ab_strlcpy(out[1], "yes", 128);
    else if (!strcmp(out[1], "false"))
        ab_strlcpy(out[1], "no", 128);
    static const char *const dk[] = {"chip", "family", "subtype", "cores", "os_build", "profile"};
    for (int i = 0; i < 6; i++)
        str_field(dev, dk[i], out[2 + i], 128);
    str_field(rep, "started", out[8], 128);
}

int probe_compare(const void *base, const void *other, ab_probe_cmp *out, ab_err *e)
{
    memset(out, 0, sizeof *out);
    char bm[PROBE_META_FIELDS][128], om[PROBE_META_FIELDS][128];
    fill_meta(base, bm);
    fill_meta(other, om);
    for (int i = 0; i < PROBE_META_FIELDS; i++) {
        out->f[i].name = meta_names[i];
        ab_strlcpy(out->f[i].base, bm[i], sizeof out->f[i].base);
        ab_strlcpy(out->f[i].other, om[i], sizeof out->f[i].other);
        out->f[i].differs = strcmp(bm[i], om[i]) != 0;
    }
    out->any_simulated = !strcmp(bm[1], "yes") || !strcmp(om[1], "yes");
    out->simulated_mix = out->f[1].differs && bm[1][0] && om[1][0];

    size_t cap = (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(base, "probes")) +
                 (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(other, "probes"));
    out->rows = calloc(cap ? cap : 1, sizeof *out->rows);
    if (!out->rows)
        return ab_errf(
            e, AB_EUSAGE,
            "out of memory comparing probe reports (more than this machine, or its ulimit -v, allows)");
    const cJSON *reports[2] = {base, other};
    for (int side = 0; side < 2; side++) {
        const cJSON *p;
        cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(reports[side], "probes"))
        {
            const char *name = cJSON_GetObjectItemCaseSensitive(p, "name")->valuestring;
            if (side == 1 && find_probe(base, name))
                continue; /* already paired */
            int seen = 0;
            for (size_t i = 0; i < out->nrows; i++)
                seen |= !strcmp(out->rows[i].name, name);
            if (seen)
                continue; /* a name repeated within one report: first one counts */
            ab_probe_row *r = &out->rows[out->nrows++];
            if (fill_row(r, name, find_probe(base, name), find_probe(other, name)) != AB_OK) {
                probe_compare_free(out);
                return ab_errf(e, AB_EUSAGE,
                               "out of memory comparing probe reports (more than this machine, or its ulimit "
                               "-v, allows)");
            }
            out->ndiffer += (size_t)r->differs;
        }
    }
    return AB_OK;
}

void probe_compare_free(ab_probe_cmp *c)
{
    for (size_t i = 0; i < c->nrows; i++) {
        ab_probe_row *r = &c->rows[i];
        for (size_t k = 0; k < r->nfigs; k++) {
            free(r->figs[k].base);
            free(r->figs[k].other);
        }
        free(r->figs);
        free(r->base_finding);
        free(r->other_finding);
    }
    free(c->rows);
    memset(c, 0, sizeof *c);
}

static void add_str_or_null(cJSON *o, const char *k, const char *v)
{
    if (v[0])
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

void *probe_compare_to_json(const ab_probe_cmp *c, const char *base_name, const char *other_name)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "base", base_name);
    cJSON_AddStringToObject(o, "other", other_name);
    cJSON *dev = cJSON_AddArrayToObject(o, "device");
    for (int i = 0; i < PROBE_META_FIELDS; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "name", c->f[i].name);
        add_str_or_null(f, "base", c->f[i].base);
        add_str_or_null(f, "other", c->f[i].other);
        cJSON_AddBoolToObject(f, "differs", c->f[i].differs);
        cJSON_AddItemToArray(dev, f);
    }
    cJSON_AddBoolToObject(o, "simulated_vs_real", c->simulated_mix);
    cJSON_AddNumberToObject(o, "probes_differ", (double)c->ndiffer);
    cJSON *rows = cJSON_AddArrayToObject(o, "probes");
    for (size_t i = 0; i < c->nrows; i++) {
        const ab_probe_row *r = &c->rows[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", r->name);
        add_str_or_null(x, "base_result", r->base_result);
        add_str_or_null(x, "other_result", r->other_result);
        cJSON_AddBoolToObject(x, "differs", r->differs);
        add_str_or_null(x, "base_finding", r->base_finding);
        add_str_or_null(x, "other_finding", r->other_finding);
        cJSON *figs = cJSON_AddArrayToObject(x, "figures");
        for (size_t k = 0; k < r->nfigs; k++) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddStringToObject(f, "name", r->figs[k].name);
            add_str_or_null(f, "base", r->figs[k].base);
            add_str_or_null(f, "other", r->figs[k].other);
            cJSON_AddBoolToObject(f, "differs", r->figs[k].differs);
            cJSON_AddItemToArray(figs, f);
        }
        cJSON_AddItemToArray(rows, x);
    }
    return o;
}
