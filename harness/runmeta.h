/* runmeta.h: what run.json says about the machine, the tool and the run. */
#ifndef AB_RUNMETA_H
#define AB_RUNMETA_H

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

#endif
