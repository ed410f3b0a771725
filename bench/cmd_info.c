/* cmd_info.c: `anebench info`: this machine, its timer and its backends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "backends/backend.h"
#include "bench/commands.h"
#include "harness/clock.h"
#include "harness/runmeta.h"
#include "harness/sweep.h"

static const char *const probe_specs[] = {"cpu", "null", "ane", "ane-sim:m4", "ane-sim:m5"};

static cJSON *backend_info(const char *spec)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", spec);
    ab_backend b;
    ab_err e;
    ab_err_clear(&e);
    if (backend_open(&b, spec, &e) != AB_OK) {
        cJSON_AddBoolToObject(o, "available", 0);
        cJSON_AddStringToObject(o, "reason", e.msg);
        return o;
    }
    int ok = !b.ops->probe || b.ops->probe(&b, &e) == AB_OK;
    cJSON_AddBoolToObject(o, "available", ok);
    if (!ok)
        cJSON_AddStringToObject(o, "reason", e.msg);
    cJSON_AddBoolToObject(o, "simulated", b.simulated);
    if (b.ops->describe)
        b.ops->describe(&b, o);
    backend_close(&b);
    return o;
}

static void print_value(const char *indent, const cJSON *it)
{
    char *v = cJSON_IsString(it) ? NULL : cJSON_PrintUnformatted(it);
    printf("%s%-16s %s\n", indent, it->string, v ? v : it->valuestring);
    free(v);
}

static void print_object(const char *title, const cJSON *o, const char *indent)
{
    printf("%s\n", title);
    const cJSON *it;
    cJSON_ArrayForEach(it, o)
    {
        if (cJSON_IsNull(it))
            continue;
        print_value(indent, it);
    }
}

int cmd_info(int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: anebench info [--json]\n\nDescribes this machine (OS, CPU or chip, cores, memory,\n"
                   "thermal state and power source where known), the timer (source, resolution, cost\n"
                   "of one read), every backend (available here or why not, BLAS, ANE device facts),\n"
                   "and the presets found. --json prints the same as one JSON object.\n");
            return 0;
        } else {
            fprintf(stderr, "anebench: info: unknown option '%s' (see anebench info --help)\n", argv[i]);
            return 2;
        }
    }
    ab_host h;
    host_read(&h);
    ab_clock_info ci;
    clock_calibrate(&ci);

    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "tool", tool_to_json());
    cJSON_AddItemToObject(root, "host", host_to_json(&h));
    cJSON_AddItemToObject(root, "timer", clock_to_json(&ci));
    cJSON_AddStringToObject(root, "auto_backend", backend_auto_name());
    cJSON *bs = cJSON_AddArrayToObject(root, "backends");
    for (size_t i = 0; i < sizeof probe_specs / sizeof probe_specs[0]; i++)
        cJSON_AddItemToArray(bs, backend_info(probe_specs[i]));
    char **names = NULL;
    size_t np = sweep_preset_names(&names);
    cJSON *pj = cJSON_AddArrayToObject(root, "presets");
    for (size_t i = 0; i < np; i++) {
        cJSON_AddItemToArray(pj, cJSON_CreateString(names[i]));
        free(names[i]);
    }
    free(names);

    if (json) {
        char *txt = cJSON_Print(root);
        printf("%s\n", txt);
        free(txt);
    } else {
        print_object("tool", cJSON_GetObjectItem(root, "tool"), "  ");
        print_object("host", cJSON_GetObjectItem(root, "host"), "  ");
        print_object("timer", cJSON_GetObjectItem(root, "timer"), "  ");
        printf("backends (auto = %s)\n", backend_auto_name());
        const cJSON *b;
        cJSON_ArrayForEach(b, bs)
        {
            const cJSON *name = cJSON_GetObjectItem(b, "name");
            const cJSON *av = cJSON_GetObjectItem(b, "available");
            const cJSON *why = cJSON_GetObjectItem(b, "reason");
            printf("  %-12s %s%s%s\n", name->valuestring, cJSON_IsTrue(av) ? "available" : "not available",
                   why ? ": " : "", why ? why->valuestring : "");
            const cJSON *it;
            cJSON_ArrayForEach(it, b)
            {
                if (!strcmp(it->string, "name") || !strcmp(it->string, "available") ||
                    !strcmp(it->string, "reason") || cJSON_IsNull(it))
                    continue;
                print_value("      ", it);
            }
        }
        printf("presets        ");
        const cJSON *p;
        cJSON_ArrayForEach(p, pj) printf(" %s", p->valuestring);
        printf("\n");
    }
    cJSON_Delete(root);
    return 0;
}
