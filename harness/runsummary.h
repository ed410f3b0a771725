/* runsummary.h: what one loaded run says about itself, for `report`,
 * `export` and `leaderboard`: its environment (from its typed run info),
 * its records, and its headline figures,
 * each with the case it came from. Computes only; printers format. */
#ifndef AB_RUNSUMMARY_H
#define AB_RUNSUMMARY_H

#include <stddef.h>
#include "harness/reader.h"
#include "harness/record.h"

/* The environment of a run; "" where the file does not say. */
typedef struct ab_runenv {
    char run_id[160];
    char started[32];    /* UTC ISO 8601 */
    char chip[128];      /* the host's Apple chip */
    char cpu_model[128]; /* the host's CPU brand */
    char sim_chip[64];   /* the chip a simulator models (backend.chip of a simulated run) */
    char ane_family[32]; /* host's, else the backend's (a simulator's modelled family) */
    char ane_subtype[32];
    long ane_cores; /* -1 unknown */
    char os[128], os_build[128];
    long cores;       /* -1 unknown */
    double mem_bytes; /* NAN unknown */
    char backend[AB_SPEC_MAX];
    char profile[32];
    int simulated;
    double sim_scale;   /* the simulator's time scale when not 1, else 0 */
    double peak_gflops; /* backend.peak_gflops, NAN unknown */
    char tool_version[32], tool_git[48];
    int tool_dirty;  /* 1 dirty tree, 0 clean, -1 unknown */
    char preset[64]; /* selection.preset; "" for a sweep file or axis flags */
} ab_runenv;

void runenv_read(const ab_run *run, ab_runenv *env);

/* The records of a run as the reader kept them (the last record of each
 * key, reader.h), in order. */
typedef struct ab_recview {
    const ab_run *run;
    const ab_record **recs;
    size_t n;
} ab_recview;

/* 0, or -1 when out of memory. */
int recview_init(ab_recview *v, const ab_run *run);
void recview_free(ab_recview *v);

/* The kernel family of a record: the first word of its key ("conv1x1"). */
void record_family(const ab_record *r, char *buf, size_t n);
/* 1 when the family counts integer operations (TOPS rather than TFLOPS). */
int family_is_int(const char *family);

#define AB_HL_FAMILIES 8

/* Headline figures of a run, over its ok cases (NAN / NULL when none). */
typedef struct ab_headline {
    size_t n, status[AB_ST_COUNT];
    struct {
        char family[32];
        int is_int;    /* integer ops: shown as TOPS */
        double gflops; /* highest wall-clock GFLOPS (GOPS for integer families) */
        const ab_record *rec;
    } peak[AB_HL_FAMILIES];
    size_t npeak;
    double pct_of_peak; /* peak[0] as % of env peak_gflops (float families only) */
    double peak_hw;     /* highest GFLOPS from hardware time */
    const ab_record *peak_hw_rec;
    double floor_ns; /* dispatch floor: smallest eval median */
    const ab_record *floor_rec;
    double compile_ms, load_ms, first_eval_ms, reload_ms; /* medians over the ok cases */
    double first_load_ms; /* load of the first case run (the framework still cold) */
    const ab_record *first_load_rec;
    size_t n_hw;             /* ok cases with hardware time */
    double hw_over_wall;     /* median of hw median / wall median */
    double wall_minus_hw_ns; /* median of wall median - hw median */
    size_t n_hot;            /* cases started at a thermal state other than nominal */
    size_t n_contended;      /* cases measured under contention (record "contended" true) */
    size_t n_load_known;     /* cases whose record says whether they were (true or false) */
} ab_headline;

/* The mark of a case measured under contention in report tables (the
 * headline says what it means). */
#define AB_CONTENDED_MARK " !"

void headline_compute(const ab_recview *v, const ab_runenv *env, ab_headline *h);

/* A record's throughput value in its family's unit: GFLOPS, or TOPS for
 * integer families; NAN when none. unit gets "GFLOPS" or "TOPS". */
double record_throughput(const ab_record *r, const char **unit);

#endif
