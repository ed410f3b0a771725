/* cmd_doctor.c: `anebench doctor`: the first run on a Mac, made to count:
 * every step of the ANE lifecycle on one small case (backends/ane_doctor.c),
 * a one-screen summary, and with -o a JSON report to attach to an issue,
 * kept on disk step by step (a step that ends the process leaves the report
 * naming it). Over ane-sim, and over the fakes in anebench_fakedarwin, it
 * says SIMULATED. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "anebench_git.h"
#include "backends/ane_api.h"
#include "backends/ane_doctor.h"
#include "bench/ane_args.h"
#include "bench/commands.h"
#include "harness/outfile.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: anebench doctor [--backend ane|ane-sim[:PROFILE]] [-o FILE]\n\n"
               "Walks every step of the Neural Engine lifecycle on one small case (two chained\n"
               "64x64 1x1 convs, 32 fp16 per row): framework load, device, classes, model\n"
               "(descriptor, identifier, files), compile, load, attributes (strides), surfaces and\n"
               "request, eval on the normal, direct and real-time paths, counters off and on,\n"
               "unload. Each step is timed and its outcome kept (the framework's NSError domain,\n"
               "code and text); where a step fails or an output is wrong, the documented\n"
               "alternatives are tried (MIL ios16 and a weight file per layer where compile\n"
               "fails, flat and aligned strides, real time without the normal load).\n\n"
               "  --backend B   ane (default on Apple platforms) or ane-sim[:m4|m5|m5-hw]\n"
               "                (default elsewhere: results are SIMULATED).\n"
               "  -o FILE       the JSON report (kind \"anebench-doctor\", docs/ane-bridge.md),\n"
               "                rewritten after every step.\n\n"
               "Exit: 0 every step ok; 1 a step failed or was skipped (the report says which);\n"
               "2 bad usage.\n");
}

typedef struct keep {
    const char *path;
    bool failed;
    ab_err e;
} keep;

/* Rewrites the report after each step (atomically: old or new, never half). */
static void keep_on_disk(void *ctx, const void *report)
{
    keep *k = ctx;
    if (!k->path || k->failed)
        return;
    char *text = cJSON_Print(report);
    if (!text || ab_write_out(k->path, text, strlen(text), AB_OUT_USER, &k->e) != AB_OK) {
        k->failed = true;
        if (!text)
            ab_errf(&k->e, AB_EFAIL, "out of memory");
    }
    free(text);
}

static const char *str_of(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
    return s ? s : "";
}

/* One screen: a banner, the device, one line per step (and per
 * alternative), the counts. */
static void print_summary(const cJSON *r)
{
    bool sim = cJSON_IsTrue(cJSON_GetObjectItem(r, "simulated"));
    printf("anebench doctor: backend %s%s\n", str_of(r, "backend"),
           sim ? "  (SIMULATED: not the system's Neural Engine; nothing here was measured on a device)" : "");
    const cJSON *d = cJSON_GetObjectItem(r, "device");
    if (d)
        printf("device: %s, ANE family %s, OS build %s%s%s\n", str_of(d, "chip"), str_of(d, "family"),
               str_of(d, "os_build"), *str_of(d, "framework") ? "\nframework: " : "", str_of(d, "framework"));
    printf("\n%-18s %-8s %10s  %s\n", "step", "outcome", "ms", "detail");
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(r, "steps"))
    {
        const cJSON *ms = cJSON_GetObjectItem(s, "ms");
        char t[32] = "-";
        if (cJSON_IsNumber(ms))
            snprintf(t, sizeof t, "%.3f", ms->valuedouble);
        printf("%-18s %-8s %10s  %s\n", str_of(s, "name"), str_of(s, "outcome"), t, str_of(s, "detail"));
        const cJSON *err = cJSON_GetObjectItem(s, "error");
        if (cJSON_IsObject(err)) {
            const cJSON *code = cJSON_GetObjectItem(err, "code");
            printf("%-18s %-8s %10s  error: %s", "", "", "", str_of(err, "text"));
            if (cJSON_IsNumber(code))
                printf(" [domain %s, code %.0f]", str_of(err, "domain"), code->valuedouble);
            printf("\n");
        }
        const cJSON *a;
        cJSON_ArrayForEach(a, cJSON_GetObjectItem(s, "alternatives"))
        printf("%-18s %-8s %10s  alternative %s: %s %s\n", "", "", "", str_of(a, "name"), str_of(a, "outcome"),
               str_of(a, "detail"));
    }
    const cJSON *sum = cJSON_GetObjectItem(r, "summary");
    printf("\n%g ok, %g failed, %g skipped\n", cJSON_GetNumberValue(cJSON_GetObjectItem(sum, "ok")),
           cJSON_GetNumberValue(cJSON_GetObjectItem(sum, "failed")),
           cJSON_GetNumberValue(cJSON_GetObjectItem(sum, "skipped")));
}

int cmd_doctor(int argc, char **argv)
{
    ane_args a;
    int parsed = ane_args_parse("doctor", argc, argv, NULL,
                                "the doctor runs over the simulator ane-sim:m5: SIMULATED", usage, &a);
    if (parsed >= 0)
        return parsed;
    const char *spec = a.spec, *out = a.out;
    keep k = {.path = out};
    ab_err_clear(&k.e);
    char tool[128];
    snprintf(tool, sizeof tool, "anebench %s (git %s)", ANEBENCH_VERSION, ANEBENCH_GIT);
    cJSON *report = ane_doctor_run(a.ops, a.arg, spec, tool, keep_on_disk, &k);
    if (!report)
        return ab_report(AB_EFAIL, "doctor: out of memory");
    print_summary(report);
    const cJSON *sum = cJSON_GetObjectItem(report, "summary");
    int rc = cJSON_GetNumberValue(cJSON_GetObjectItem(sum, "failed")) > 0 ||
                     cJSON_GetNumberValue(cJSON_GetObjectItem(sum, "skipped")) > 0
                 ? AB_EFAIL
                 : AB_OK;
    cJSON_Delete(report);
    if (out && k.failed) {
        fprintf(stderr, "anebench: doctor: %s\n", k.e.msg);
        return k.e.code == AB_EUSAGE ? AB_EUSAGE : AB_EFAIL;
    }
    if (out)
        printf("report: %s\n", out);
    return rc;
}
