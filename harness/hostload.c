/* hostload.c: the host's load around a case (hostload.h). */
#include "harness/hostload.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "harness/clock.h"

static double tv_s(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static int sample(ab_hostload *h)
{
    struct rusage ru;
    h->wall_s = (double)ab_now_ns() / 1e9;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    h->cpu_s = tv_s(ru.ru_utime) + tv_s(ru.ru_stime);
    h->nivcsw = ru.ru_nivcsw;
    return 0;
}

void hostload_start(ab_hostload *h)
{
    double la[1];
    h->load_avg = getloadavg(la, 1) == 1 ? la[0] : NAN;
    h->ok = sample(h) == 0;
}

int hostload_end(const ab_hostload *h, double *cpu_per_wall, size_t *ctx_invol, char *why, size_t n)
{
    ab_hostload now;
    why[0] = '\0';
    *cpu_per_wall = NAN;
    *ctx_invol = 0;
    if (!h->ok || sample(&now) != 0)
        return -1;
    double wall = now.wall_s - h->wall_s;
    long sw = now.nivcsw - h->nivcsw;
    *ctx_invol = sw > 0 ? (size_t)sw : 0;
    if (wall > 0)
        *cpu_per_wall = (now.cpu_s - h->cpu_s) / wall;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    double rate = wall > 0 ? (double)*ctx_invol / wall : 0;
    if (*ctx_invol >= 3 && rate > HOSTLOAD_PREEMPT_PER_S) { /* one or two: chance */
        snprintf(why, n, "preempted %zu times in %.3g s (%.0f/s; more than %.0f/s means another process wanted its CPU)",
                 *ctx_invol, wall, rate, HOSTLOAD_PREEMPT_PER_S);
        return 1;
    }
    if (!isnan(h->load_avg) && cores > 0 && h->load_avg - 1.0 >= (double)cores) {
        snprintf(why, n, "load average %.2f on %ld cores as it started", h->load_avg, cores);
        return 1;
    }
    return 0;
}
