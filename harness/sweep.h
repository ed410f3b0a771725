/* sweep.h: sweep descriptions (preset files, --sweep files, --axis flags)
 * and their enumeration into cases.
 *
 * A sweep is a list of sub-sweeps; each gives value lists for some axes
 * (others take their defaults) and zip groups whose axes advance together.
 * Cases are the cartesian product within each sub-sweep, in the order of the
 * axis table (the last axis varies fastest), sub-sweeps one after another,
 * duplicates (same key) dropped keeping the first.
 *
 * File format (JSON, documented in docs/sweep-files.md):
 *   { "name": "quick", "description": "...",
 *     "sweeps": [ { "axes": { "cin": "64..512*2", "spatial": [64, 256],
 *                             "io": "fp32,fp16" },
 *                   "zip": [["cin", "spatial"]] } ],
 *     "settings": { "min_samples": 10, "max_time": 0.5 } }
 * Axis values are a VALUES string or a JSON array of numbers / names. */
#ifndef AB_SWEEP_H
#define AB_SWEEP_H

#include <stddef.h>
#include "harness/axis.h"
#include "harness/case.h"
#include "harness/error.h"

typedef struct ab_values {
    int set;       /* 0: axis not given (default used) */
    long *v;
    size_t n;
} ab_values;

typedef struct ab_subsweep {
    ab_values axes[AX_COUNT];
    unsigned zip_group[AX_COUNT]; /* 0 = not zipped; axes sharing a group advance together */
} ab_subsweep;

struct cJSON;

typedef struct ab_sweep {
    char name[64];
    char description[256];
    ab_subsweep *subs;
    size_t nsubs;
    struct cJSON *settings; /* the file's "settings" object (owned), or NULL */
} ab_sweep;

void sweep_init(ab_sweep *s);
void sweep_free(ab_sweep *s);

/* Loads a sweep file. Errors (AB_EUSAGE) name the file and the bad token. */
int sweep_load_file(ab_sweep *s, const char *path, ab_err *e);
/* The bytes of a sweep file (at most the size limit), malloc'd into *text
 * (NUL-terminated), so that a run can keep exactly what it read. */
int sweep_read_file(const char *path, char **text, size_t *len, ab_err *e);
/* An unnamed sweep takes its file's base name without ".json". */
void sweep_name_from_path(ab_sweep *s, const char *path);
/* Parses sweep JSON text; origin names it in messages. */
int sweep_load_text(ab_sweep *s, const char *text, size_t len, const char *origin, ab_err *e);

/* Path of preset NAME: $ANEBENCH_PRESETS, then <exe dir>/../bench/presets,
 * then ANEBENCH_SOURCE_DIR/bench/presets. buf gets the path; AB_EUSAGE if
 * none exists (the message lists the known presets). */
int sweep_preset_path(const char *name, char *buf, size_t n, ab_err *e);
/* Names of the presets found (malloc'd array of malloc'd strings). */
size_t sweep_preset_names(char ***names);

/* --axis NAME=VALUES: sets (overrides) the axis in every sub-sweep; with no
 * sub-sweeps, creates one. */
int sweep_set_axis(ab_sweep *s, const char *assignment, ab_err *e);
/* --zip A,B[,C]: ties the axes in every sub-sweep; their value lists must
 * have equal lengths (checked at enumeration). */
int sweep_zip(ab_sweep *s, const char *axes, ab_err *e);

/* A sweep larger than this is refused (a typo, not a benchmark). */
#define AB_SWEEP_MAX_CASES 1000000

/* Enumerates every case (malloc'd array). Rejects (AB_EUSAGE, naming the
 * axis and value) a case whose memory need exceeds max_mem_bytes (0 = no
 * limit), zip groups of unequal lengths, and sweeps of more than
 * AB_SWEEP_MAX_CASES cases. Cases that no backend can run (see
 * case_invalid_reason) are kept: the runner and `list` report them skipped. */
int sweep_enumerate(const ab_sweep *s, double max_mem_bytes, ab_case **cases, size_t *n, ab_err *e);

#endif
