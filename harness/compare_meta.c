/* compare_meta.c: what differs between two runs' metadata (the header of a
 * comparison), and the checks that a loaded run can be compared at all. */
#include "harness/compare.h"

#include <stdio.h>
#include <string.h>

/* The engine of a backend name: "ane-sim:m5" -> "ane", "cpu" -> "cpu". */
static void engine_of(const char *backend, char *buf, size_t n)
{
    ab_strlcpy(buf, backend, n);
    buf[strcspn(buf, ":")] = '\0';
    char *sim = strstr(buf, "-sim");
    if (sim && sim[4] == '\0')
        *sim = '\0';
}

typedef struct side {
    char f[CMP_META_FIELDS][128];
    char engine[64];
    int simulated; /* 1, 0, -1 unknown */
} side;

static const char *const field_names[CMP_META_FIELDS] = {
    "run", "backend", "simulated", "chip", "os", "os build", "ane family", "harness", "started", "finished",
};

static void read_side(const ab_run *run, side *s)
{
    memset(s, 0, sizeof *s);
    s->simulated = -1;
    if (run->has_info) {
        const ab_runinfo *ri = &run->info;
        ab_strlcpy(s->f[0], ri->run_id, sizeof s->f[0]);
        ab_strlcpy(s->f[1], ri->backend, sizeof s->f[1]);
        s->simulated = ri->simulated;
        ab_strlcpy(s->engine, ri->engine, sizeof s->engine);
        /* The chip measured; for a simulated run, the chip modelled (the
         * host's CPU did not run the kernels), said as such. */
        if (ri->backend_chip[0] && s->simulated == 1)
            snprintf(s->f[3], sizeof s->f[3], "%.60s (simulated on %.50s)", ri->backend_chip,
                     ri->cpu_model[0] ? ri->cpu_model : "?");
        else
            ab_strlcpy(s->f[3], ri->chip, sizeof s->f[3]);
        if (!s->f[3][0])
            ab_strlcpy(s->f[3], ri->backend_chip[0] ? ri->backend_chip : ri->cpu_model, sizeof s->f[3]);
        ab_strlcpy(s->f[4], ri->os, sizeof s->f[4]);
        ab_strlcpy(s->f[5], ri->os_build, sizeof s->f[5]);
        /* the ane backends describe it as backend.family */
        ab_strlcpy(s->f[6], ri->ane_family[0] ? ri->ane_family : ri->backend_family, sizeof s->f[6]);
        if (ri->tool_version[0] && ri->tool_git[0])
            snprintf(s->f[7], sizeof s->f[7], "%.60s (git %.40s)", ri->tool_version, ri->tool_git);
        else
            ab_strlcpy(s->f[7], ri->tool_version, sizeof s->f[7]);
        ab_strlcpy(s->f[8], ri->started, sizeof s->f[8]);
        ab_strlcpy(s->f[9], ri->finished, sizeof s->f[9]);
    }
    /* Bare cases.jsonl / cases.csv: what the records say. */
    if (run->n > 0) {
        if (!s->f[1][0])
            ab_strlcpy(s->f[1], run->recs[0].backend, sizeof s->f[1]);
        if (s->simulated < 0 && s->f[1][0])
            s->simulated = run->recs[0].simulated;
        if (!s->f[8][0])
            ab_strlcpy(s->f[8], run->recs[0].started, sizeof s->f[8]);
    }
    if (s->simulated >= 0)
        ab_strlcpy(s->f[2], s->simulated ? "yes" : "no", sizeof s->f[2]);
    if (!s->engine[0])
        engine_of(s->f[1], s->engine, sizeof s->engine);
}

void compare_context(const ab_run *base, const ab_run *other, ab_cmp_context *ctx)
{
    side b, o;
    read_side(base, &b);
    read_side(other, &o);
    memset(ctx, 0, sizeof *ctx);
    for (int i = 0; i < CMP_META_FIELDS; i++) {
        ctx->f[i].name = field_names[i];
        ab_strlcpy(ctx->f[i].base, b.f[i], sizeof ctx->f[i].base);
        ab_strlcpy(ctx->f[i].other, o.f[i], sizeof ctx->f[i].other);
        ctx->f[i].differs = strcmp(b.f[i], o.f[i]) != 0;
    }
    ctx->base_simulated = b.simulated;
    ctx->other_simulated = o.simulated;
    ctx->simulated_mix = b.simulated >= 0 && o.simulated >= 0 && b.simulated != o.simulated;
    ctx->backends_differ = strcmp(b.f[1], o.f[1]) != 0;
    ctx->engines_differ = strcmp(b.engine, o.engine) != 0;

    int k = 0;
    if (ctx->simulated_mix) {
        snprintf(ctx->note[k++], sizeof ctx->note[0],
                 "simulated vs real: %s %.120s is simulated (a model of the ANE), %s %.120s is measured",
                 b.simulated ? "BASE" : "OTHER", b.simulated ? b.f[1] : o.f[1],
                 b.simulated ? "OTHER" : "BASE", b.simulated ? o.f[1] : b.f[1]);
    } else if (b.simulated == 1 && o.simulated == 1) {
        snprintf(ctx->note[k++], sizeof ctx->note[0],
                 "both runs are simulated (%.120s, %.120s): these figures come from a model, not hardware",
                 b.f[1], o.f[1]);
    }
    if (ctx->engines_differ)
        snprintf(ctx->note[k++], sizeof ctx->note[0], "different engines: %.60s (%.120s) vs %.60s (%.120s)",
                 b.engine, b.f[1][0] ? b.f[1] : "?", o.engine, o.f[1][0] ? o.f[1] : "?");
    else if (ctx->backends_differ)
        snprintf(ctx->note[k++], sizeof ctx->note[0], "different backends: %.120s vs %.120s",
                 b.f[1][0] ? b.f[1] : "?", o.f[1][0] ? o.f[1] : "?");
    if (b.simulated < 0 || o.simulated < 0)
        snprintf(ctx->note[k++], sizeof ctx->note[0], "%s does not say whether it is simulated",
                 b.simulated < 0 ? "BASE" : "OTHER");
}

int compare_check_run(const ab_run *run, ab_err *e)
{
    /* kind and schema_version were checked by the reader (runinfo.c) */
    if (run->n == 0)
        return ab_errf(e, AB_EUSAGE, "%s: holds no cases", run->origin);
    return AB_OK;
}
