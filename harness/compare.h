/* compare.h: two runs side by side, case by case (anebench compare).
 *
 * Records are joined on the case key. For the chosen metric each joined case
 * gets both values, the ratio OTHER/BASE, the change in percent and a class:
 *  - same:    |change| <= threshold (default 5%);
 *  - faster / slower: beyond the threshold and significant;
 *  - unclear: beyond the threshold but not significant.
 * "faster" means better: a lower time, or a higher GFLOPS.
 * Significance, in order of preference:
 *  1. raw samples on both sides (eval, hw; gflops uses the eval samples):
 *     two-sided Mann-Whitney U (harness/mannwhitney.h), p < alpha;
 *  2. else the runs' 95% confidence intervals of the median: both known and
 *     not overlapping, or one known and the other side's value outside it;
 *  3. else (single measurements: compile, load, first eval, unload, reload,
 *     or runs that kept no spread) no test is possible and the threshold
 *     alone decides; such rows say test "none".
 * Rounds (run --repeat N; the reader merged a key's rounds, rounds.h): the
 * value is the median of the rounds' medians, the U test takes every
 * round's samples together, and a change beyond the threshold is called
 * faster or slower only when, besides the test, every round of one side is
 * beyond every round of the other (a side of one round: its value); when
 * the rounds overlap, the row is unclear (drift or contention between
 * rounds is as large as the change). Rows say each side's rounds and the
 * spread between them (highest - lowest round median, % of the value).
 * Cases whose status differs are listed apart and never averaged in; so are
 * joined cases that are not ok on either side or lack the metric. */
#ifndef AB_COMPARE_H
#define AB_COMPARE_H

#include <stddef.h>
#include "harness/case.h"
#include "harness/error.h"
#include "harness/reader.h"
#include "harness/record.h"

typedef enum {
    CMP_M_EVAL,    /* steady-state eval median, ns */
    CMP_M_COMPILE, /* ms */
    CMP_M_LOAD,
    CMP_M_FIRST_EVAL,
    CMP_M_UNLOAD,
    CMP_M_RELOAD,
    CMP_M_GFLOPS, /* flops / eval median; higher is better */
    CMP_M_HW,     /* hwExecutionTime median, ns */
    CMP_M_COUNT
} ab_cmp_metric;

typedef struct ab_cmp_metric_def {
    const char *name; /* as --metric takes it */
    const char *unit; /* of the values in ab_cmp_row: "ns", "ms", "GFLOPS" */
    int higher_is_better;
    const char *help;
} ab_cmp_metric_def;

extern const ab_cmp_metric_def ab_cmp_metrics[CMP_M_COUNT];
int cmp_metric_find(const char *name); /* -1 if unknown */

typedef enum { CMP_FASTER, CMP_SLOWER, CMP_SAME, CMP_UNCLEAR, CMP_CLASS_COUNT } ab_cmp_class;
const char *cmp_class_name(ab_cmp_class c);

typedef enum { CMP_TEST_MWU, CMP_TEST_CI, CMP_TEST_NONE } ab_cmp_test;
const char *cmp_test_name(ab_cmp_test t); /* "mwu", "ci", "none" */

typedef struct ab_cmp_opts {
    ab_cmp_metric metric;
    double threshold_pct; /* "same" band, percent (default 5) */
    double alpha;         /* significance level of the U test (default 0.05) */
} ab_cmp_opts;

void cmp_opts_default(ab_cmp_opts *o);

typedef struct ab_cmp_row {
    const ab_record *base, *other;
    double vbase, vother; /* the metric, in its unit */
    double ratio;         /* vother / vbase */
    double change_pct;    /* (ratio - 1) * 100 */
    ab_cmp_test test;
    double p; /* U test p-value; NAN unless test is mwu */
    int significant;
    ab_cmp_class cls;
    ab_case kc;                    /* axis values parsed from the key */
    int kc_ok;                     /* 0: the key did not parse (left out of per-axis groups) */
    int contended;                 /* a side was measured under contention: its change may be the host's */
    int rounds_base, rounds_other; /* rounds of the case on each side (1: no --repeat) */
    double spread_base_pct,
        spread_other_pct; /* between its rounds' medians, % of the value; NAN: one round */
    int rounds_overlap;   /* either side has rounds and their ranges overlap: no change called */
    int whatif;           /* metric hw and a side's hw figures are a what-if (record_hw_whatif) */
} ab_cmp_row;

/* A joined case that was not classified, with why. */
typedef struct ab_cmp_pair {
    const ab_record *base, *other;
    const char *why; /* "status differs", "not ok on either side", "no value on ..." */
} ab_cmp_pair;

/* Geometric-mean ratio of the rows whose case has one value of one axis. */
typedef struct ab_cmp_group {
    int axis; /* ab_axis_id */
    long value;
    char label[32]; /* the value as the case key writes it */
    size_t n;
    double geomean;
} ab_cmp_group;

typedef struct ab_cmp {
    ab_cmp_opts opts;
    ab_cmp_row *rows; /* classified cases */
    size_t nrows;
    size_t rows_mapped;   /* rows is a mapping of this size (harness/bigmem.h), 0 malloc'd */
    ab_cmp_pair *differs; /* status differs (ok on one side only, or two failure kinds) */
    size_t ndiffers;
    ab_cmp_pair *uncompared; /* same non-ok status, or the metric missing */
    size_t nuncompared;
    const ab_record **base_only, **other_only;
    size_t nbase_only, nother_only;
    size_t dup_base, dup_other; /* records dropped because a later one had the same key */
    size_t counts[CMP_CLASS_COUNT];
    size_t ncontended;             /* rows with a side measured under contention (record "contended") */
    size_t nrounds_overlap;        /* rows the test called a change but the rounds overlapped (unclear) */
    int rounds_base, rounds_other; /* most rounds of a compared case on each side (0: no rows) */
    size_t nwhatif;                /* rows whose hw figures are a what-if (metric hw) */
    double geomean;                /* over all rows; NAN if none */
    ab_cmp_group *groups; /* per value of each axis that varies among rows, axis order, values ascending */
    size_t ngroups;
} ab_cmp;

/* Joins and classifies. The records must outlive out. AB_EUSAGE on bad
 * options; AB_EFAIL on memory exhaustion. No cases in common is not an
 * error here (out->nrows + ndiffers + nuncompared == 0): the caller decides. */
int compare_records(const ab_record *base, size_t nbase, const ab_record *other, size_t nother,
                    const ab_cmp_opts *o, ab_cmp *out, ab_err *e);
/* The same with each side's key hashes (ab_key_hash; a loaded run's
 * key_hash), so the join need not walk every record for its key first;
 * NULL: computed. */
int compare_records_hashed(const ab_record *base, const uint64_t *hbase, size_t nbase, const ab_record *other,
                           const uint64_t *hother, size_t nother, const ab_cmp_opts *o, ab_cmp *out,
                           ab_err *e);
void compare_free(ab_cmp *c);

/* Cases in common (rows + differs + uncompared). */
size_t compare_joined(const ab_cmp *c);

typedef enum { CMP_SORT_KEY, CMP_SORT_CHANGE } ab_cmp_sort;
/* key: axis values ascending in axis order (cin, cout, spatial, ...);
 * change: biggest regression first (slowest change first, then the rest). */
void compare_sort(ab_cmp *c, ab_cmp_sort how);

/* The metric's value in a record (NAN if absent) and, when known, its 95% CI
 * (ci_low/ci_high NAN otherwise) and raw samples (NULL/0 otherwise). */
double cmp_metric_value(const ab_record *r, ab_cmp_metric m, double *ci_low, double *ci_high,
                        const double **samples, size_t *nsamples);

/* The rounds of the metric in a merged record (rounds.h): returns its
 * number of rounds (1: not merged) and sets lo / hi to the lowest and
 * highest of the rounds' values in the metric's unit (NAN when 1). */
int cmp_metric_rounds(const ab_record *r, ab_cmp_metric m, double *lo, double *hi);

/* ---- run metadata side by side (the header of the comparison) ---- */

enum { CMP_META_FIELDS = 10 };

typedef struct ab_cmp_meta_field {
    const char *name;           /* "chip", "os build", ... */
    char base[128], other[128]; /* "" = unknown */
    int differs;
} ab_cmp_meta_field;

typedef struct ab_cmp_context {
    ab_cmp_meta_field f[CMP_META_FIELDS];
    int base_simulated, other_simulated; /* 1 yes, 0 no, -1 unknown */
    int simulated_mix;                   /* one side simulated, the other real */
    int backends_differ;
    int engines_differ; /* e.g. ane vs cpu */
    char note[3][512];  /* plain-language warnings (simulated data, mixed backends), "" if none */
} ab_cmp_context;

/* Fills ctx from the runs' metadata (run->meta, a cJSON* or NULL) and, where
 * that is missing, from their first records. */
void compare_context(const ab_run *base, const ab_run *other, ab_cmp_context *ctx);

/* Checks that a run can be compared: AB_EUSAGE naming the file when its
 * schema_version or kind is not one this build reads, or when it holds no
 * records. */
int compare_check_run(const ab_run *run, ab_err *e);

/* The comparison as JSON (cJSON*, caller owns): context, options, summary,
 * rows, and the listed-apart cases. */
void *compare_to_json(const ab_cmp *c, const ab_cmp_context *ctx, const char *base_name,
                      const char *other_name);

#endif
