/* runmeta.c: facts about the machine, the tool and the timer for run.json. */
#include "harness/runmeta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "harness/error.h"
#include "anebench_git.h" /* ANEBENCH_GIT, generated at build time (cmake/GitCommit.cmake) */

#ifndef __APPLE__
/* First "key : value" line of a /proc-style file whose key matches. */
static int proc_field(const char *path, const char *key, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    int rc = -1;
    size_t klen = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, klen) != 0)
            continue;
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        char *v = colon + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        v[strcspn(v, "\n")] = '\0';
        ab_strlcpy(buf, v, n);
        rc = 0;
        break;
    }
    fclose(f);
    return rc;
}

static int read_line(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int ok = fgets(buf, (int)n, f) != NULL;
    fclose(f);
    if (!ok)
        return -1;
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}
#endif

void host_thermal(char *state, size_t n)
{
    state[0] = '\0';
#ifdef __APPLE__
    if (host_apple_thermal(state, n) != 0)
        state[0] = '\0';
#else
    /* Linux has no single "thermal state"; map the hottest zone's margin to
     * its nearest trip point onto the macOS names. Unknown without zones. */
    double worst = -1;
    for (int z = 0; z < 64; z++) {
        char path[96], line[64];
        snprintf(path, sizeof path, "/sys/class/thermal/thermal_zone%d/temp", z);
        if (read_line(path, line, sizeof line) != 0)
            break;
        double temp = atof(line) / 1000.0;
        double trip = 0;
        for (int t = 0; t < 8; t++) {
            char tp[128], ty[64], tv[64];
            snprintf(tp, sizeof tp, "/sys/class/thermal/thermal_zone%d/trip_point_%d_type", z, t);
            if (read_line(tp, ty, sizeof ty) != 0)
                break;
            snprintf(tp, sizeof tp, "/sys/class/thermal/thermal_zone%d/trip_point_%d_temp", z, t);
            if (read_line(tp, tv, sizeof tv) != 0)
                break;
            double v = atof(tv) / 1000.0;
            if ((!strcmp(ty, "passive") || !strcmp(ty, "hot") || !strcmp(ty, "critical")) && v > 0 &&
                (trip == 0 || v < trip))
                trip = v;
        }
        double frac = trip > 0 ? temp / trip : temp / 100.0;
        if (frac > worst)
            worst = frac;
    }
    if (worst < 0)
        return;
    ab_strlcpy(state, worst < 0.8 ? "nominal" : worst < 0.9 ? "fair" : worst < 1.0 ? "serious" : "critical", n);
#endif
}

void host_power(char *source, size_t n)
{
    source[0] = '\0';
#ifdef __APPLE__
    if (host_apple_power(source, n) != 0)
        source[0] = '\0';
#else
    char line[64];
    int any = 0;
    for (int i = 0; i < 8; i++) {
        static const char *const names[] = {"AC", "AC0", "ACAD", "ADP0", "ADP1", "AC1", "ACA", "USBC"};
        char path[96];
        snprintf(path, sizeof path, "/sys/class/power_supply/%s/online", names[i]);
        if (read_line(path, line, sizeof line) == 0) {
            any = 1;
            if (atoi(line) == 1) {
                ab_strlcpy(source, "ac", n);
                return;
            }
        }
    }
    if (any)
        ab_strlcpy(source, "battery", n);
#endif
}

void host_read(ab_host *h)
{
    memset(h, 0, sizeof *h);
    gethostname(h->hostname, sizeof h->hostname - 1);
    struct utsname u;
    if (uname(&u) == 0) {
        snprintf(h->os, sizeof h->os, "%s %s", u.sysname, u.release);
        ab_strlcpy(h->os_build, u.version, sizeof h->os_build);
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    h->cores = cores > 0 ? (int)cores : 0;
    long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
    h->mem_bytes = pages > 0 && psz > 0 ? (double)pages * (double)psz : 0;
#ifdef __APPLE__
    host_apple_os(h->os, sizeof h->os, h->os_build, sizeof h->os_build);
    if (host_apple_chip(h->chip, sizeof h->chip) == 0)
        ab_strlcpy(h->cpu_model, h->chip, sizeof h->cpu_model);
#else
    if (proc_field("/proc/cpuinfo", "model name", h->cpu_model, sizeof h->cpu_model) != 0)
        proc_field("/proc/cpuinfo", "Hardware", h->cpu_model, sizeof h->cpu_model);
#endif
    host_thermal(h->thermal_state, sizeof h->thermal_state);
    host_power(h->power_source, sizeof h->power_source);
}

static void add_str_or_null(cJSON *o, const char *k, const char *v)
{
    if (v && *v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

void *host_to_json(const ab_host *h)
{
    cJSON *o = cJSON_CreateObject();
    add_str_or_null(o, "hostname", h->hostname);
    add_str_or_null(o, "os", h->os);
    add_str_or_null(o, "os_build", h->os_build);
    add_str_or_null(o, "cpu_model", h->cpu_model);
    add_str_or_null(o, "chip", h->chip);
    cJSON_AddNumberToObject(o, "cores", h->cores);
    cJSON_AddNumberToObject(o, "mem_bytes", h->mem_bytes);
    cJSON_AddNullToObject(o, "ane_family");
    cJSON_AddNullToObject(o, "ane_subtype");
    cJSON_AddNullToObject(o, "ane_cores");
    add_str_or_null(o, "thermal_state", h->thermal_state);
    add_str_or_null(o, "power_source", h->power_source);
    return o;
}

void *tool_to_json(void)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", "anebench");
    cJSON_AddStringToObject(o, "version", ANEBENCH_VERSION);
    cJSON_AddStringToObject(o, "git", ANEBENCH_GIT);
#if ANEBENCH_GIT_DIRTY >= 0
    cJSON_AddBoolToObject(o, "dirty", ANEBENCH_GIT_DIRTY);
#else
    cJSON_AddNullToObject(o, "dirty");
#endif
#if defined(__clang__)
    cJSON_AddStringToObject(o, "compiler", "clang " __clang_version__);
#elif defined(__GNUC__)
    cJSON_AddStringToObject(o, "compiler", "gcc " __VERSION__);
#else
    cJSON_AddStringToObject(o, "compiler", "unknown");
#endif
#ifdef NDEBUG
    cJSON_AddStringToObject(o, "build", "release");
#else
    cJSON_AddStringToObject(o, "build", "debug");
#endif
#if defined(__SANITIZE_ADDRESS__)
    cJSON_AddBoolToObject(o, "sanitized", 1);
#else
    cJSON_AddBoolToObject(o, "sanitized", 0);
#endif
    return o;
}

void *clock_to_json(const ab_clock_info *ci)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "source", ci->source);
    cJSON_AddNumberToObject(o, "resolution_ns", ci->resolution_ns);
    cJSON_AddNumberToObject(o, "overhead_ns", ci->overhead_ns);
    return o;
}
