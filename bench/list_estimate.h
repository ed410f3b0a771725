/* list_estimate.h: `anebench list --estimate`: the expected wall time of
 * the listed cases, from a previous run's journal of the same backend or
 * from the backend's model (ane-sim profiles). */
#ifndef AB_LIST_ESTIMATE_H
#define AB_LIST_ESTIMATE_H

#include <stddef.h>
#include "backends/backend.h"
#include "bench/run_args.h"
#include "harness/case.h"
#include "harness/settings.h"

/* Prints "estimate: ..." lines for cases[order[0..n)] under s on stdout.
 * b may be NULL (no --backend). AB_EUSAGE for a bad --estimate=RUN. */
int list_estimate(const run_opts *o, ab_backend *b, const ab_case *cases, const size_t *order, size_t n,
                  const ab_settings *s, ab_err *e);

#endif
