/* cmd_probe.c: `anebench probe`: the seed's ANE probes (backends/ane_probe.c)
 * as a printed table and, with -o, a JSON report written atomically. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "backends/ane_api.h"
#include "backends/ane_probe.h"
#include "bench/ane_args.h"
#include "bench/commands.h"
#include "harness/outfile.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: anebench probe [--backend ane|ane-sim[:PROFILE]] [-o FILE] [--qos-all]\n\n"
               "Runs the seed's capability probes on the Neural Engine (or its simulator) and\n"
               "prints one line per probe: qos-sweep (compile/load/eval at QoS 0-63, the seed's\n"
               "table), class-census, weight-reload, weights-buffer, perf-stats, procedure-index,\n"
               "realtime, chaining-classes, shared-event-classes.\n\n"
               "  --backend B   ane (the private framework; macOS on Apple silicon) or\n"
               "                ane-sim[:m4|m5|m5-hw] (a calibrated model: results are SIMULATED).\n"
               "                Default: ane on Apple platforms, else ane-sim:m5.\n"
               "  -o FILE       also write the report as JSON (kind \"anebench-probe\").\n"
               "  --qos-all     sweep every QoS value 0-63 (default: the seed's rows 0 1 5 10\n"
               "                21 33 47 63).\n\n"
               "ANEBENCH_SIM_SCALE=F scales the simulator's modelled waits (default 1).\n"
               "Exit: 0 every probe ran (whatever it found); 1 a probe could not run; 2 bad usage.\n");
}

static const char *str_of(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
    return s ? s : "";
}

/* The table: the QoS rows as the seed printed them, then one line per probe
 * with its finding. Returns the number of probes whose result is "error". */
static int print_report(const cJSON *r)
{
    const cJSON *d = cJSON_GetObjectItem(r, "device");
    printf("backend: %s%s\n", str_of(r, "backend"),
           cJSON_IsTrue(cJSON_GetObjectItem(r, "simulated"))
               ? "  (SIMULATED: a model of the ANE, not a measurement)"
               : "");
    printf("device:  %s, ANE family %s%s%s\n\n", str_of(d, "chip"), str_of(d, "family"),
           *str_of(d, "profile") ? ", sim profile " : "", str_of(d, "profile"));
    int errors = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(r, "probes"))
    {
        if (!strcmp(str_of(p, "name"), "qos-sweep")) {
            printf("QoS sweep, 256x256 conv, spatial 64:\n");
            const cJSON *line;
            cJSON_ArrayForEach(line, cJSON_GetObjectItem(p, "evidence")) printf("  %s\n", line->valuestring);
            printf("\n");
        }
    }
    printf("%-22s %-12s %s\n", "probe", "result", "finding");
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(r, "probes"))
    {
        printf("%-22s %-12s %s\n", str_of(p, "name"), str_of(p, "result"), str_of(p, "finding"));
        errors += !strcmp(str_of(p, "result"), "error");
    }
    return errors;
}

int cmd_probe(int argc, char **argv)
{
    ane_args a;
    int parsed = ane_args_parse("probe", argc, argv, "--qos-all",
                                "probing the simulator ane-sim:m5: results are simulated", usage, &a);
    if (parsed >= 0)
        return parsed;
    const char *spec = a.spec, *out = a.out;
    const ane_api_ops *ops = a.ops;
    bool qos_all = a.flag;
    ab_err e;
    ab_err_clear(&e);
    ane_api *api = NULL;
    int rc = ops->open(&api, a.arg, &e);
    if (rc != AB_OK) {
        fprintf(stderr, "anebench: probe: %s\n", e.msg);
        return rc;
    }
    cJSON *report = ane_probe_report(ops, api, spec, qos_all, &e);
    ops->close(api);
    if (!report)
        return ab_report(AB_EFAIL, e.msg);
    int errors = print_report(report);
    rc = errors ? AB_EFAIL : AB_OK;
    if (out) {
        char *text = cJSON_Print(report);
        size_t len = text ? strlen(text) : 0;
        if (!text || ab_write_out(out, text, len, AB_OUT_USER, &e) != AB_OK) {
            fprintf(stderr, "anebench: probe: %s\n", text ? e.msg : "out of memory");
            rc = text ? e.code : AB_EUSAGE;
        } else {
            printf("\nreport: %s\n", out);
        }
        free(text);
    }
    cJSON_Delete(report);
    return rc;
}
