/* runner.h: runs one case through its phases on a backend and fills its
 * record: prepare (untimed), compile, load, first eval, warm-up, steady-state
 * samples under the stop rule, verification of the output, unload, reload
 * (load again), unload, release. Every phase is timed here, on the monotonic
 * raw clock; the backend only reports what the clock cannot see. */
#ifndef AB_RUNNER_H
#define AB_RUNNER_H

#include "backends/backend.h"
#include "harness/record.h"
#include "harness/settings.h"

/* Runs case c. The record is always filled (status says how it ended);
 * the return value is AB_OK unless the harness itself failed (out of memory). */
int run_case(ab_backend *b, const ab_case *c, const ab_settings *s, ab_record *r);

#endif
