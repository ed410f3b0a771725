/* runinfo.c: run.json, typed (see runinfo.h). The table below is the only
 * place a run.json member is named for reading or writing the typed
 * fields; adding one is a member of ab_runinfo and one row. */
#include "harness/runinfo.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/jsoncheck.h"
#include "harness/reader.h"

typedef enum { RI_TEXT, RI_NUM, RI_BOOL } ri_type;

typedef struct ri_field {
    const char *obj;  /* the member's object ("host"), NULL: top level */
    const char *name; /* the member */
    ri_type type;
    size_t off, size;
} ri_field;

#define T(obj, name, f)                                                                                      \
    {                                                                                                        \
        obj, name, RI_TEXT, offsetof(ab_runinfo, f), sizeof(((ab_runinfo *)0)->f)                            \
    }
#define N(obj, name, f)                                                                                      \
    {                                                                                                        \
        obj, name, RI_NUM, offsetof(ab_runinfo, f), 0                                                        \
    }

static const ri_field fields[] = {
    T(NULL, "run_id", run_id),
    T(NULL, "started", started),
    T(NULL, "finished", finished),
    T(NULL, "interrupted", interrupted),
    N(NULL, "case_count", case_count),
    T("tool", "version", tool_version),
    T("tool", "git", tool_git),
    T("host", "hostname", hostname),
    T("host", "os", os),
    T("host", "os_build", os_build),
    T("host", "cpu_model", cpu_model),
    T("host", "chip", chip),
    N("host", "cores", cores),
    N("host", "mem_bytes", mem_bytes),
    T("host", "ane_family", ane_family),
    T("host", "ane_subtype", ane_subtype),
    T("backend", "name", backend),
    T("backend", "engine", engine),
    T("backend", "profile", profile),
    {"backend", "simulated", RI_BOOL, offsetof(ab_runinfo, simulated), 0},
    T("backend", "chip", backend_chip),
    T("backend", "family", backend_family),
    T("backend", "subtype", backend_subtype),
    N("backend", "peak_gflops", peak_gflops),
    N("backend", "sim_scale", sim_scale),
};
enum { NFIELDS = sizeof fields / sizeof fields[0] };

void runinfo_init(ab_runinfo *ri)
{
    memset(ri, 0, sizeof *ri);
    ri->schema_version = AB_SCHEMA_VERSION;
    for (size_t i = 0; i < NFIELDS; i++) {
        if (fields[i].type == RI_NUM)
            *(double *)((char *)ri + fields[i].off) = NAN;
        else if (fields[i].type == RI_BOOL)
            *(int *)((char *)ri + fields[i].off) = -1;
    }
}

void runinfo_free(ab_runinfo *ri)
{
    if (ri && ri->doc) {
        cJSON_Delete(ri->doc);
        ri->doc = NULL;
    }
}

static int bad(ab_err *e, const char *where, const ri_field *f, const char *what)
{
    return ab_errf(e, AB_EUSAGE, "%s: \"%s%s%s\": %s", where, f->obj ? f->obj : "", f->obj ? "." : "",
                   f->name, what);
}

/* One typed field from the document; a missing member or null is unknown. */
static int read_field(const cJSON *doc, const ri_field *f, const char *where, ab_runinfo *ri, ab_err *e)
{
    const cJSON *o = f->obj ? cJSON_GetObjectItemCaseSensitive(doc, f->obj) : doc;
    const cJSON *it = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, f->name) : NULL;
    if (!it || cJSON_IsNull(it))
        return 0;
    void *slot = (char *)ri + f->off;
    switch (f->type) {
    case RI_TEXT:
        if (cJSON_IsString(it) && it->valuestring) {
            ab_strlcpy(slot, it->valuestring, f->size);
            return 0;
        }
        if (cJSON_IsNumber(it)) { /* a number where text is kept (an id): its text */
            snprintf(slot, f->size, "%.17g", it->valuedouble);
            return 0;
        }
        return bad(e, where, f, "expected a string or null");
    case RI_NUM:
        if (!cJSON_IsNumber(it))
            return bad(e, where, f, "expected a number or null");
        *(double *)slot = it->valuedouble;
        return 0;
    case RI_BOOL:
        if (!cJSON_IsBool(it))
            return bad(e, where, f, "expected true, false or null");
        *(int *)slot = cJSON_IsTrue(it) ? 1 : 0;
        return 0;
    }
    return 0;
}

int runinfo_kind_known(const char *kind)
{
    /* an export (anebench export) is a run's results.json, redacted */
    return kind && (!strcmp(kind, "anebench-run") || !strcmp(kind, "anebench-export"));
}

int runinfo_from_json(const void *json, const char *where, ab_runinfo *ri, ab_err *e)
{
    const cJSON *doc = json;
    runinfo_init(ri);
    if (!cJSON_IsObject(doc))
        return ab_errf(e, AB_EUSAGE, "%s: not a JSON object", where);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "schema_version");
    if (!v)
        return ab_errf(e, AB_EUSAGE, "%s: no \"schema_version\" (not an anebench results file)", where);
    if (!cJSON_IsNumber(v) || v->valuedouble != AB_SCHEMA_VERSION) {
        if (cJSON_IsNumber(v))
            return ab_errf(e, AB_EUSAGE, "%s: schema_version %.17g is not supported (this anebench reads %d)",
                           where, v->valuedouble, AB_SCHEMA_VERSION);
        return ab_errf(e, AB_EUSAGE, "%s: \"schema_version\" is not a number", where);
    }
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(doc, "kind");
    if (!cJSON_IsString(k) || !k->valuestring)
        return ab_errf(e, AB_EUSAGE, "%s: no \"kind\" (expected \"anebench-run\")", where);
    if (!runinfo_kind_known(k->valuestring))
        return ab_errf(e, AB_EUSAGE,
                       "%s: kind \"%.64s\" is not an anebench run (expected \"anebench-run\" or \"anebench-export\")",
                       where, k->valuestring);
    for (size_t i = 0; i < NFIELDS; i++)
        if (read_field(doc, &fields[i], where, ri, e))
            return AB_EUSAGE;
    /* Everything but the cases: they are records, read by the reader. */
    cJSON *copy = cJSON_CreateObject();
    const cJSON *it;
    cJSON_ArrayForEach(it, doc)
    {
        if (it->string && strcmp(it->string, "cases") != 0)
            cJSON_AddItemToObject(copy, it->string, cJSON_Duplicate(it, 1));
    }
    ri->doc = copy;
    return copy ? AB_OK
                : ab_errf(e, AB_EUSAGE,
                          "%s: out of memory (more than this machine, or its ulimit -v, allows)", where);
}

int runinfo_read(const char *path, ab_runinfo *ri, ab_err *e)
{
    runinfo_init(ri);
    size_t len = 0;
    char *text = ab_read_file(path, &len, e);
    if (!text)
        return e ? e->code : AB_EUSAGE;
    cJSON *doc = ab_json_parse_doc(path, text, len, e);
    free(text);
    if (!doc)
        return e ? e->code : AB_EUSAGE;
    int rc = runinfo_from_json(doc, path, ri, e);
    cJSON_Delete(doc);
    return rc;
}

/* Sets member name of o to v, in its place when it is there already. */
static void put(cJSON *o, const char *name, cJSON *v)
{
    if (cJSON_GetObjectItemCaseSensitive(o, name))
        cJSON_ReplaceItemInObjectCaseSensitive(o, name, v);
    else
        cJSON_AddItemToObject(o, name, v);
}

void *runinfo_to_json(const ab_runinfo *ri)
{
    cJSON *doc = ri->doc ? cJSON_Duplicate(ri->doc, 1) : cJSON_CreateObject();
    if (!doc)
        return NULL;
    put(doc, "schema_version", cJSON_CreateNumber(AB_SCHEMA_VERSION));
    put(doc, "kind", cJSON_CreateString("anebench-run"));
    for (size_t i = 0; i < NFIELDS; i++) {
        const ri_field *f = &fields[i];
        cJSON *o = doc;
        if (f->obj) {
            o = cJSON_GetObjectItemCaseSensitive(doc, f->obj);
            if (!cJSON_IsObject(o)) {
                o = cJSON_CreateObject();
                put(doc, f->obj, o);
            }
        }
        const void *slot = (const char *)ri + f->off;
        cJSON *v = NULL;
        int present = cJSON_GetObjectItemCaseSensitive(o, f->name) != NULL;
        switch (f->type) {
        case RI_TEXT:
            if (((const char *)slot)[0])
                v = cJSON_CreateString(slot);
            break;
        case RI_NUM:
            if (isfinite(*(const double *)slot))
                v = cJSON_CreateNumber(*(const double *)slot);
            break;
        case RI_BOOL:
            if (*(const int *)slot >= 0)
                v = cJSON_CreateBool(*(const int *)slot);
            break;
        }
        /* unknown: null where the document has the member, else left out */
        if (v)
            put(o, f->name, v);
        else if (present)
            put(o, f->name, cJSON_CreateNull());
    }
    return doc;
}

int runinfo_copy(ab_runinfo *dst, const ab_runinfo *src)
{
    *dst = *src;
    dst->doc = src->doc ? cJSON_Duplicate(src->doc, 1) : NULL;
    return src->doc && !dst->doc ? AB_EFAIL : AB_OK;
}

const char *runinfo_chip(const ab_runinfo *ri)
{
    if (ri->simulated == 1 && ri->backend_chip[0])
        return ri->backend_chip;
    if (ri->chip[0])
        return ri->chip;
    if (ri->backend_chip[0] && ri->simulated == 0)
        return ri->backend_chip;
    return ri->cpu_model;
}

void runinfo_cols(const ab_runinfo *ri, ab_runcols *c)
{
    memset(c, 0, sizeof *c);
    ab_strlcpy(c->run_id, ri->run_id, sizeof c->run_id);
    ab_strlcpy(c->chip, runinfo_chip(ri), sizeof c->chip);
    const char *sub = ri->simulated == 1 && ri->backend_subtype[0] ? ri->backend_subtype
                      : ri->ane_subtype[0]                         ? ri->ane_subtype
                                                                   : ri->backend_subtype;
    ab_strlcpy(c->ane_subtype, sub, sizeof c->ane_subtype);
    ab_strlcpy(c->os_build, ri->os_build, sizeof c->os_build);
}
