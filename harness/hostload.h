/* hostload.h: the host's load around a case, to flag measurements taken
 * under contention (a cpu case measured while another process held one of
 * two cores read 1.58 ms +-0.9% against 0.8 ms uncontended: a tight
 * interval around a wrong value).
 *
 * Read around each case: the 1-minute load average as it starts
 * (getloadavg), and over it this process's CPU time (user + system, all
 * threads) against the wall time, and its involuntary context switches
 * (getrusage: the kernel took the CPU away because another thread wanted
 * it). A case is flagged contended when
 *   - it was preempted 3 times or more, more than HOSTLOAD_PREEMPT_PER_S
 *     times a second
 *     (an idle machine's timers and kernel threads preempt a busy process
 *     a few times a second; a competing busy process, every scheduler slice:
 *     hundreds of times), or
 *   - the load average, less the one runnable thread of the case itself,
 *     was at least the number of cores (something else wanted every core). */
#ifndef AB_HOSTLOAD_H
#define AB_HOSTLOAD_H

#include <stddef.h>

#define HOSTLOAD_PREEMPT_PER_S 20.0

typedef struct ab_hostload {
    double load_avg; /* NAN unknown */
    double cpu_s, wall_s;
    long nivcsw;
    int ok; /* getrusage worked */
} ab_hostload;

/* Reads the state at the start of a case. */
void hostload_start(ab_hostload *h);
/* At its end: CPU time per wall second, involuntary switches since the
 * start, and the verdict (1 contended with why, 0 not, -1 unknown). */
int hostload_end(const ab_hostload *h, double *cpu_per_wall, size_t *ctx_invol, char *why, size_t n);

#endif
