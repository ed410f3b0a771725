/* runmeta.h: what run.json says about the machine, the tool and the run. */
#ifndef AB_RUNMETA_H
#define AB_RUNMETA_H

#include <stddef.h>
#include "harness/clock.h"

typedef struct ab_host {
    char hostname[128];
    char os[128];            /* "Linux 6.1.0-18-amd64", "macOS 26.3 (25D..)" */
    char os_build[64];
    char cpu_model[160];
    char chip[64];           /* "Apple M5" on Apple silicon, else "" */
    int cores;
    double mem_bytes;
    char thermal_state[32];  /* "" = unknown */
    char power_source[32];   /* "" = unknown */
} ab_host;

void host_read(ab_host *h);

/* Thermal state now ("nominal" / "fair" / "serious" / "critical", or "" when
 * the platform does not say) and power source ("ac" / "battery" / ""). */
void host_thermal(char *state, size_t n);
void host_power(char *source, size_t n);

/* Host fields as a cJSON object (caller owns). */
void *host_to_json(const ab_host *h);
/* The tool: version, git commit, compiler, build type. */
void *tool_to_json(void);
/* The timer: source, resolution, overhead. */
void *clock_to_json(const ab_clock_info *ci);

#ifdef __APPLE__
/* Apple-only facts, in harness/host_apple.c (Objective-C runtime and sysctl;
 * compiled on Apple platforms only). Each returns 0 when it filled buf. */
int host_apple_thermal(char *buf, size_t n);   /* NSProcessInfo thermalState */
int host_apple_power(char *buf, size_t n);     /* "ac" / "battery" (IOKit power sources) */
int host_apple_chip(char *buf, size_t n);      /* machdep.cpu.brand_string, "Apple M5" */
int host_apple_os(char *os, size_t n, char *build, size_t nb); /* "macOS 26.3", "25D125" */
#endif

#endif
