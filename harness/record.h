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
int status_parse(const char *s);       /* -1 if unknown */

/* Most repeats of the phases a case measures (--phase-repeats). */
#define AB_MAX_PHASE_REPEATS 64
/* The phases measured around the steady state, in record order. */
enum { AB_PH_COMPILE, AB_PH_LOAD, AB_PH_FIRST_EVAL, AB_PH_UNLOAD, AB_PH_RELOAD, AB_NPHASES };
/* The summaries whose spread between rounds a merged record keeps: eval,
 * hw, then the phases in AB_PH_* order. */
enum { AB_RS_EVAL, AB_RS_HW, AB_RS_PHASE0, AB_NRSUM = AB_RS_PHASE0 + AB_NPHASES };

/* The phases compile, load, first eval, unload, reload measured
 * phase_repeats times (--phase-repeats; each compile cold: unique
 * weights), with the statistics of eval (stats.h), ns; the record's *_ms
 * fields hold their medians. st[i].n = 0: not measured. A record holds
 * this block only when a phase was measured (record_phases): a case that
 * failed or was skipped, and a record from a file without them, do not
 * carry 520 bytes of "not measured". */
typedef struct ab_phases {
    ab_summary st[AB_NPHASES];
    double *samples[AB_NPHASES]; /* owned */
    size_t n_samples[AB_NPHASES];
} ab_phases;

/* Text fields of variable length (key, backend, reason, hw_reason,
 * path_note, layout_note, err_domain, contention, cooldown_why) are
 * owned strings, never NULL ("" = none), set only through record_set_text
 * or record_printf, so that a loaded record holds no fixed text buffers. */
typedef struct ab_record {
    const char *key;
    ab_case params;
    const char *backend; /* the --backend spec: "cpu", "ane-sim:m5", ... */
    bool simulated;
    ab_status status;
    const char *reason; /* why skipped / failed / ...; "" when ok */

    /* Phase times in ms; NAN = not measured (null in JSON, empty in CSV). */
    double compile_ms, load_ms, first_eval_ms, unload_ms, reload_ms;

    ab_summary eval;      /* steady-state eval statistics, ns (eval.n = 0: none) */
    double *eval_samples; /* raw steady-state samples, ns (owned, malloc'd) */
    size_t n_eval_samples;
    int warmup; /* warm-up evals dropped */

    bool has_hw;        /* hwExecutionTime available */
    ab_summary hw;      /* its statistics, ns */
    double *hw_samples; /* owned */
    size_t n_hw_samples;
    const char *hw_reason; /* why has_hw is false ("" when true) */

    char eval_path[32];    /* "sgemm", "normal", "realtime", "direct", "none" */
    const char *path_note; /* owned text: on the path ("beginRealTimeTask answered NO; ..."), "" none */

    /* The stats batch: after the steady-state samples (counters off), a
     * smaller batch with the engine's counters on. hw above comes from it;
     * its own wall statistics are here (stats_wall.n = 0: no such batch). */
    ab_summary stats_wall; /* ns */

    /* Surface strides used, bytes (0 = not applicable), and where they came
     * from: "model" (the compiled model's attributes), "flat" (fallback). */
    size_t in_row_stride, in_plane_stride, out_row_stride, out_plane_stride;
    char layout[16];
    const char *layout_note; /* owned text */

    /* A failed case: the stage that failed ("compile", "load", ...) and the
     * framework's error domain and code where it gave them. */
    char fail_stage[32];
    const char *err_domain; /* owned text, "" = none */
    double err_code;        /* NSError code (an NSInteger); NAN = none */
    double flops, bytes;    /* per eval */
    double gflops_wall;     /* flops / eval.median; NAN if none */
    double gflops_hw;       /* flops / hw.median; NAN if none */

    int verify_pass;       /* 1 pass, 0 fail, -1 not checked */
    double max_abs_err;    /* NAN if not checked */
    double tolerance;      /* NAN if not checked */
    size_t verify_checked; /* output elements compared */

    char stop_reason[32];   /* "noise", "max-time", "max-samples", "" */
    char compile_cache[32]; /* "cold", "possible-hit", "hit", "n/a" */
    char thermal_state[32]; /* "nominal", "fair", "serious", "critical", "" = unknown */
    char power_source[32];  /* "ac", "battery", "" = unknown */
    int worker;             /* worker id (0 = in-process) */
    int attempt;            /* 1 = first try */
    char started[32];       /* UTC ISO 8601 */
    double wall_s;          /* whole case, seconds (used for ETA) */

    /* The phases measured phase_repeats times (ab_phases above). */
    int phase_repeats;
    ab_phases *ph; /* owned; NULL: no phase measured */

    /* The host around the case (harness/hostload.h): 1-minute load average
     * as it started, the process's CPU time over the case's wall time,
     * involuntary context switches during it, and whether it was measured
     * under contention (1 yes, with why; 0 no; -1 unknown). */
    double load_avg, cpu_per_wall;
    size_t ctx_invol;
    int contended;
    const char *contention;   /* owned text: why contended ("" none) */
    double cooldown_s;        /* pause before the case, s (0 none) */
    const char *cooldown_why; /* owned text: "machine: thermal state fair", "fixed", "" */

    int round; /* the round of the sweep (--repeat) this record is of, 1-based */
    /* Where the hw figures come from: "device" (the engine's own counter),
     * "what-if" (a simulator's modelled hwExecutionTime, a value no real run
     * produced: ane-sim:m5-hw), "" (no hw figures). */
    char hw_source[16];

    /* In no file: set by rounds_merge (harness/rounds.h) on the one record
     * it makes of a key's rounds. n_rounds 0: the record of one round.
     * round_lo / round_hi: the lowest and highest of the rounds' medians
     * of each summary (AB_RS_*), ns; NAN where no round has it. */
    int n_rounds;
    double round_lo[AB_NRSUM], round_hi[AB_NRSUM];
} ab_record;

/* Zeroes r, sets every double field to NAN, status skipped, key from c. */
void record_init(ab_record *r, const ab_case *c);
void record_free(ab_record *r); /* frees the sample arrays and the texts */

/* Sets an owned text field of a record (&r->reason, ...) to a copy of s
 * (NULL = ""), freeing the old text; AB_EFAIL when out of memory (the field
 * is then ""). */
int record_set_text(const char **field, const char *s);
int record_printf(const char **field, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Longest reason text (bytes, with the NUL) a reader takes. */
#define AB_REASON_MAX 4096

/* The hash of a case key (FNV-1a, 64 bits): the reader's and compare's
 * joins on keys. */
uint64_t ab_key_hash(const char *key);

/* Whether r's hw figures are a what-if (hw_source "what-if", or, in files
 * older than hw_source, hw figures of a simulated record: no simulator's
 * hwExecutionTime was ever read from a device). */
int record_hw_whatif(const ab_record *r);

/* Copies samples into the record and computes eval / gflops_wall. */
void record_set_eval_samples(ab_record *r, const double *ns, size_t n);
void record_set_hw_samples(ab_record *r, const double *ns, size_t n);
/* Copies one phase's samples (ns), summarises them and sets its *_ms field
 * to their median. */
void record_set_phase_samples(ab_record *r, int phase, const double *ns, size_t n);
/* The record's phase block, made (nothing measured) if it has none; NULL
 * when out of memory. */
ab_phases *record_phases(ab_record *r);

/* ------------------------------------------------------------ the field table
 *
 * Every field of a record that any file holds is one row of ab_record_fields
 * (record.c). The JSON writer and reader (record_json.c) and the CSV writer
 * and reader (record_csv.c) walk that table and nothing else; the CSV axis
 * columns come from the axis table (harness/axis.c). A row says: */
typedef enum {
    RF_TEXT,    /* owned const char* (record_set_text), at most size-1 bytes; "" is null / empty */
    RF_CHARS,   /* char[size]; "" is null (JSON) / an empty field (CSV) */
    RF_NUM,     /* double; NaN is null / empty */
    RF_INT,     /* int in [0, INT_MAX]; missing or empty: def */
    RF_COUNT,   /* size_t in [0, 2^53]; missing or empty: def */
    RF_BOOL,    /* bool; missing, null or empty: false */
    RF_TRIBOOL, /* int 1 / 0 / -1 = null (not checked) */
    RF_STATUS,  /* ab_status, by name */
    RF_PARAMS,  /* ab_case: JSON object of the axes; CSV one column per axis */
    RF_SUMMARY, /* ab_summary: JSON object; CSV <csv>_n, <csv>_<stat>_ns */
    RF_SAMPLES, /* double* (+ size_t count at aux): JSON array, with samples only */
    RF_RUN,     /* text of the run, not of the case (ab_runcols at off): CSV only */
} ab_field_type;

enum {
    RF_REQUIRED = 1, /* the reader refuses a record without it */
    RF_STRING = 2,   /* RF_TEXT written as a string even when "" (never null) */
    RF_PHASE = 4,    /* off and aux are within the record's ab_phases block (ph) */
};

typedef struct ab_field {
    const char *name; /* JSON member name (its path: the record object's member) */
    ab_field_type type;
    const char *unit; /* "ms", "ns", "FLOP", "B", "s", or NULL */
    const char *csv;  /* CSV column (RF_SUMMARY: the columns' prefix); NULL: not in CSV */
    size_t off;       /* offsetof(ab_record, ...); RF_RUN: offsetof(ab_runcols, ...) */
    size_t size;      /* RF_CHARS / RF_RUN: the buffer's size; RF_TEXT: the longest text + 1 */
    long gate;        /* offsetof a bool that must be true for the value to exist
                       * (hw statistics exist only with has_hw), or -1 */
    size_t aux;       /* RF_SAMPLES: offsetof the count */
    double def;       /* RF_INT / RF_COUNT: value when missing */
    unsigned flags;   /* RF_REQUIRED, RF_STRING */
} ab_field;

extern const ab_field ab_record_fields[];
extern const size_t ab_record_nfields;

/* Where the value of field f of r lives: r itself or, for an RF_PHASE
 * field, its phase block; a record without one reads as a block of
 * nothing measured. record_field_base makes the block (NULL: no memory). */
const void *record_field_cbase(const ab_record *r, const ab_field *f);
void *record_field_base(ab_record *r, const ab_field *f);
/* An RF_PHASE field whose block the record does not have. */
int record_field_absent(const ab_record *r, const ab_field *f);

/* The run-level columns of cases.csv: the same on every row of one run, so
 * that the CSVs of many machines concatenate and stay tidy. Filled from the
 * run's run.json (runinfo.h); all "" when unknown. */
typedef struct ab_runcols {
    char run_id[128];
    char chip[64];
    char ane_subtype[64];
    char os_build[128];
} ab_runcols;

/* JSON form (cJSON*, caller owns). with_samples = 0 leaves out raw samples. */
void *record_to_json(const ab_record *r, int with_samples);
/* Parses the JSON form; AB_EUSAGE naming the bad field on error. */
int record_from_json(const void *json, ab_record *r, ab_err *e);
/* The same, also setting *distinct when it has shown, as it read, that no
 * object in json gives a key twice (every member of each was a field it
 * read); 0 says only that it could not tell (harness/jsoncheck.h can). */
int record_from_json_distinct(const void *json, ab_record *r, int *distinct, ab_err *e);

/* CSV columns, in order, NULL-terminated (built once from the field table). */
const char *const *record_csv_columns(void);
size_t record_csv_ncolumns(void);
/* Fills fields[0..ncolumns) with malloc'd strings (empty = null); run gives
 * the run-level columns (NULL: empty). The caller frees each and the array. */
char **record_to_csv_fields(const ab_record *r, const ab_runcols *run);
/* Parses a CSV row given the header's column order. run (may be NULL)
 * receives the run-level columns (all "" where the file has none). */
int record_from_csv_fields(char *const *header, char *const *fields, size_t n, ab_record *r, ab_runcols *run,
                           ab_err *e);
/* The same for the rows of one file: its header matched to the columns
 * once (record_csv_map: map[i] = the column of header[i], -1 none; malloc'd,
 * NULL when out of memory), not by name on every row. */
int *record_csv_map(char *const *header, size_t n);
int record_from_csv_mapped(const int *map, char *const *fields, size_t n, ab_record *r, ab_runcols *run,
                           ab_err *e);

/* Shared by record_json.c and record_csv.c. */
#define AB_MAX_EXACT_INT 9007199254740992.0  /* largest integer a double holds exactly */
extern const char *const ab_summary_stats[]; /* "min", "median", ... "ci_high" */
enum { AB_N_SUMMARY_STATS = 10 };
double *summary_stat(ab_summary *s, int i);
void summary_nan(ab_summary *s);
/* Values echoed into messages may hold control bytes; keeps one line. */
int record_one_line(int rc, ab_err *e);

#endif
