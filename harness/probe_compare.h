/* probe_compare.h: two probe reports (`anebench probe -o FILE`, kind
 * "anebench-probe") side by side: which capabilities differ between two
 * machines or profiles (what changed from M4 to M5). */
#ifndef AB_PROBE_COMPARE_H
#define AB_PROBE_COMPARE_H

#include <stddef.h>
#include "harness/compare.h"
#include "harness/error.h"

typedef struct ab_probe_fig {
    char name[64];
    char *base, *other; /* the value as text, whole (malloc'd); "" = absent on that side */
    int differs;
} ab_probe_fig;

typedef struct ab_probe_row {
    char name[64];                          /* "qos-sweep", ... */
    char base_result[16], other_result[16]; /* "pass", ...; "" = probe absent */
    char *base_finding, *other_finding;     /* whole (malloc'd); "" = none */
    int differs;                            /* result differs, or present on one side only */
    ab_probe_fig *figs;                     /* union of the figure names, base's order first */
    size_t nfigs, nfigs_differ;
} ab_probe_row;

enum { PROBE_META_FIELDS = 9 };

typedef struct ab_probe_cmp {
    ab_cmp_meta_field f[PROBE_META_FIELDS]; /* backend, simulated, chip, family, ... */
    int simulated_mix;                      /* one report simulated, the other not */
    int any_simulated;
    ab_probe_row *rows; /* union of probe names, base's order first */
    size_t nrows, ndiffer;
} ab_probe_cmp;

/* 1 if json (a cJSON*) is an object of kind "anebench-probe", else 0. */
int probe_is_report(const void *json);
/* Checks a probe report's schema_version and shape; AB_EUSAGE naming origin. */
int probe_check(const void *json, const char *origin, ab_err *e);

/* Compares two checked reports. AB_EFAIL on memory exhaustion. */
int probe_compare(const void *base, const void *other, ab_probe_cmp *out, ab_err *e);
void probe_compare_free(ab_probe_cmp *c);

/* JSON form (cJSON*, caller owns). */
void *probe_compare_to_json(const ab_probe_cmp *c, const char *base_name, const char *other_name);

#endif
