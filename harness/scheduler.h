/* scheduler.h: runs a list of cases and journals their records.
 *
 * In-process (settings.isolate = 0) each case runs through run_case() here;
 * isolated, each runs in a worker process (`anebench worker`, started with
 * posix_spawn, one JSON message per line over pipes) with a per-case timeout,
 * replaced after settings.compiles_per_worker compiles and after any failure.
 * Every finished record is appended to the run directory (flushed) before
 * the next case starts. */
#ifndef AB_SCHEDULER_H
#define AB_SCHEDULER_H

#include <signal.h>
#include <stddef.h>
#include "backends/backend.h"
#include "harness/progress.h"
#include "harness/settings.h"
#include "harness/sink.h"

typedef struct ab_sched {
    const char *backend_spec; /* what workers open ("cpu", "ane-sim:m5", "fault:...") */
    ab_backend *backend;      /* opened backend, used in-process */
    const ab_settings *s;
    ab_rundir *dir;
    ab_progress *progress;
    const char *exe;                    /* path of the anebench binary, for workers */
    volatile sig_atomic_t *interrupted; /* set by the command's signal handler */
    /* If not NULL, kept equal to the running worker's pid (= its process
     * group), 0 when none, so a signal handler can kill it at once. */
    volatile sig_atomic_t *worker_pid;
    /* A resume: the run's records finished before (progress counts them and
     * fits its cost model to them) and the first worker id to use (ids go
     * on from the run's, never restart; 0 = 1). */
    const ab_record *done_before;
    size_t n_done_before;
    int first_worker_id;
    /* Thermal state reader; NULL = host_thermal (tests put a fake here). */
    void (*thermal)(char *state, size_t n);
    /* What the cooldown did (filled while running): pauses taken because the
     * machine reported heat or --cooldown-fixed asked, their seconds, and
     * pauses skipped because the machine reported a nominal state, or
     * because it reports no thermal state at all. */
    size_t cool_taken, cool_nominal, cool_unknown;
    double cool_s, cool_machine_s;
    /* Counters filled while running. */
    size_t counts[AB_ST_COUNT]; /* records journaled, by status */
} ab_sched;

/* The order cases run in: order[k] is the position in cases[] of the k-th
 * to run. seed < 0: as given. Else shuffled by a seeded rank of each case's
 * sweep index, so a resumed run (a subset) keeps the seed's order and
 * `list --shuffle` shows it. Rounds (--repeat, ab_case.round) run one
 * after another, whole, each shuffled in an order of its own. AB_EFAIL
 * when out of memory. */
int scheduler_order(const ab_case *cases, size_t n, long seed, size_t *order);

/* Runs cases[0..n) in scheduler_order(settings.shuffle). Returns AB_OK when every case
 * has a record, AB_EINTR when interrupted (the case in flight, if any, has
 * no record: a resume runs it again), or an error (the journal could not be
 * written, workers cannot start or their backend cannot open). */
int scheduler_run(ab_sched *sc, ab_case *cases, size_t n, ab_err *e);

#endif
