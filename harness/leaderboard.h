/* leaderboard.h: `anebench leaderboard`: the submissions (exports, or any
 * run) of many machines as one table per preset, one row per machine.
 *
 * A machine is its hardware hash (export_hardware_hash) and backend; of
 * several submissions of one machine and preset the newest counts (the
 * row says how many there were). Rows are ranked by peak throughput;
 * simulated runs go into a table of their own, marked SIMULATED. The
 * output depends only on the inputs' contents, not on their order, their
 * names or the time: the same files give the same bytes. */
#ifndef AB_LEADERBOARD_H
#define AB_LEADERBOARD_H

#include <stddef.h>
#include "harness/error.h"
#include "harness/reader.h"

typedef enum { LB_MD, LB_CSV, LB_JSON } lb_format;

/* The leaderboard as text (malloc'd, *len bytes); NULL and e when out of memory. */
char *leaderboard_render(const ab_run *runs, size_t nruns, lb_format fmt, size_t *len, ab_err *e);

#endif
