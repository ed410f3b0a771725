/* rounds.h: rounds of a sweep (`run --repeat N`).
 *
 * A run with --repeat N runs the whole sweep N times, interleaved: round 1
 * of every case, then round 2 of every case, ... Each record says its round
 * (record field "round"), and the reader keeps one record per key and round.
 * Readers that show one figure per case (compare, report, plot, leaderboard)
 * merge a key's rounds into one record first (rounds_merge):
 *  - a key is ok only when every round of it is ok; otherwise the merged
 *    record is its last round that was not, its reason saying which round;
 *  - each summary (eval, hw, the phases, the stats batch) takes the median
 *    of the rounds' medians as its median, n the rounds' samples together,
 *    min / max over all rounds, and as its 95% interval the hull of the
 *    rounds' intervals (and medians): at least as wide as any round's, so a
 *    difference between rounds (drift, contention) widens it instead of
 *    hiding in one round's tight interval. The other statistics (mean,
 *    stddev, percentiles, MAD) are of the rounds' samples together where
 *    every round kept them, else NaN (mean: weighted by n);
 *  - raw samples: every round's, together (what compare's U test takes);
 *  - round_lo / round_hi: the lowest and highest of the rounds' medians
 *    (the spread between rounds, which compare and report show);
 *  - contended: 1 if any round was; wall_s: the rounds' sum; verify: pass
 *    only when every round passed, the largest error of them.
 * A key run in one round is left as it is (n_rounds 0). */
#ifndef AB_ROUNDS_H
#define AB_ROUNDS_H

#include <stddef.h>
#include "harness/case.h"
#include "harness/error.h"
#include "harness/reader.h"

/* Replaces cases[0..n) by `rounds` copies of it, round after round, each
 * copy's round set (1..rounds). AB_EFAIL when out of memory. */
int rounds_expand(ab_case **cases, size_t *n, int rounds, ab_err *e);

/* Merges each key's records of several rounds into one (see above), in the
 * place of the key's first record. AB_EFAIL when out of memory. */
int rounds_merge(ab_run *run, ab_err *e);

/* run_load (reader.h), then rounds_merge: one record per key. What the
 * readers showing one figure a case load through (compare, report, plot,
 * leaderboard); export keeps every round's record. */
int run_load_merged(ab_run *run, const char *path, ab_err *e);
/* The same through run_load_shown, and for several files at once through
 * run_load_all (reader.h); on failure every run is freed. */
int run_load_merged_shown(ab_run *run, const char *path, ab_err *e);
int run_load_all_merged(ab_run *runs, const char *const *paths, size_t n, int shown, ab_err *e);

/* The most rounds of any key of the merged run (1 when none was merged). */
int rounds_most(const ab_run *run);

/* The spread between rounds of summary i (AB_RS_*) of a merged record, in
 * percent of its median: (highest - lowest round median) / median * 100;
 * NAN when the record is not merged or the summary is missing. */
double rounds_spread_pct(const ab_record *r, int i);

#endif
