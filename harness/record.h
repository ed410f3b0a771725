/* record.h: the result of one case, and its JSON and CSV forms.
 *
 * One record per case. Its JSON form is one line of cases.jsonl and one
 * element of results.json's "cases"; its CSV form is one row of cases.csv
 * with the fixed columns of record_csv_columns (documented, with units, in
 * results/README.md). Measurement code fills records; sinks format them. */
#ifndef AB_RECORD_H
#define AB_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "harness/case.h"
#include "harness/error.h"
#include "harness/stats.h"

#define AB_SCHEMA_VERSION 1

typedef enum {
    AB_ST_OK,
    AB_ST_SKIPPED,
    AB_ST_FAILED,
    AB_ST_CRASHED,
    AB_ST_TIMEOUT,
    AB_ST_WRONG_OUTPUT,
    AB_ST_COUNT
} ab_status;

const char *status_name(ab_status st); /* "ok", "skipped", ..., "wrong-output" */
int status_parse(const char *s);        /* -1 if unknown */

typedef struct ab_record {
    char key[AB_KEY_MAX];
    ab_case params;
    char backend[AB_SPEC_MAX]; /* the --backend spec: "cpu", "ane-sim:m5", ... */
    bool simulated;
    ab_status status;
    char reason[512];        /* why skipped / failed / ...; "" when ok */

    /* Phase times in ms; NAN = not measured (null in JSON, empty in CSV). */
    double compile_ms, load_ms, first_eval_ms, unload_ms, reload_ms;

    ab_summary eval;         /* steady-state eval statistics, ns (eval.n = 0: none) */
    double *eval_samples;    /* raw steady-state samples, ns (owned, malloc'd) */
    size_t n_eval_samples;
    int warmup;              /* warm-up evals dropped */

    bool has_hw;             /* hwExecutionTime available */
    ab_summary hw;           /* its statistics, ns */
    double *hw_samples;      /* owned */
    size_t n_hw_samples;
    char hw_reason[256];     /* why has_hw is false ("" when true) */

    char eval_path[32];      /* "sgemm", "normal", "realtime", "direct", "none" */
    double flops, bytes;     /* per eval */
    double gflops_wall;      /* flops / eval.median; NAN if none */
    double gflops_hw;        /* flops / hw.median; NAN if none */

    int verify_pass;         /* 1 pass, 0 fail, -1 not checked */
    double max_abs_err;      /* NAN if not checked */
    double tolerance;        /* NAN if not checked */
    size_t verify_checked;   /* output elements compared */

    char stop_reason[32];    /* "noise", "max-time", "max-samples", "" */
    char compile_cache[32];  /* "cold", "possible-hit", "hit", "n/a" */
    char thermal_state[32];  /* "nominal", "fair", "serious", "critical", "" = unknown */
    char power_source[32];   /* "ac", "battery", "" = unknown */
    int worker;              /* worker id (0 = in-process) */
    int attempt;             /* 1 = first try */
    char started[32];        /* UTC ISO 8601 */
    double wall_s;           /* whole case, seconds (used for ETA) */
} ab_record;

/* Zeroes r, sets every double field to NAN, status skipped, key from c. */
void record_init(ab_record *r, const ab_case *c);
void record_free(ab_record *r);   /* frees the sample arrays */

/* Copies samples into the record and computes eval / gflops_wall. */
void record_set_eval_samples(ab_record *r, const double *ns, size_t n);
void record_set_hw_samples(ab_record *r, const double *ns, size_t n);

/* JSON form (cJSON*, caller owns). with_samples = 0 leaves out raw samples. */
void *record_to_json(const ab_record *r, int with_samples);
/* Parses the JSON form; AB_EUSAGE naming the bad field on error. */
int record_from_json(const void *json, ab_record *r, ab_err *e);

/* CSV columns, in order, NULL-terminated. */
extern const char *const record_csv_columns[];
size_t record_csv_ncolumns(void);
/* Fills fields[0..ncolumns) with malloc'd strings (empty = null);
 * the caller frees each and the array. */
char **record_to_csv_fields(const ab_record *r);
/* Parses a CSV row given the header's column order. */
int record_from_csv_fields(char *const *header, char *const *fields, size_t n, ab_record *r, ab_err *e);

#endif
