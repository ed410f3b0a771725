/* clock.c: the monotonic raw clock and its calibration. */
#include "harness/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef __APPLE__
#include <mach/mach_time.h>
#endif

uint64_t ab_now_ns(void)
{
#ifdef __APPLE__
    static mach_timebase_info_data_t tb; /* constant for the process's life */
    if (tb.denom == 0)
        mach_timebase_info(&tb);
    return mach_absolute_time() * tb.numer / tb.denom;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void clock_calibrate(ab_clock_info *ci)
{
    enum { ROUNDS = 201, CALLS = 1000 };
    double per_call[ROUNDS];
    double step = 0;

#ifdef __APPLE__
    ci->source = "mach_absolute_time";
#else
    ci->source = "CLOCK_MONOTONIC_RAW";
#endif
    /* Cost: median over rounds of the mean cost of CALLS back-to-back reads. */
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t t0 = ab_now_ns(), t = t0;
        for (int i = 0; i < CALLS; i++)
            t = ab_now_ns();
        per_call[r] = (double)(t - t0) / CALLS;
    }
    qsort(per_call, ROUNDS, sizeof per_call[0], cmp_double);
    ci->overhead_ns = per_call[ROUNDS / 2];

    /* Resolution: the smallest non-zero difference between successive reads. */
    for (int i = 0; i < 20000; i++) {
        uint64_t a = ab_now_ns(), b = ab_now_ns();
        while (b == a)
            b = ab_now_ns();
        double d = (double)(b - a);
        if (step == 0 || d < step)
            step = d;
    }
#ifndef __APPLE__
    struct timespec res;
    if (clock_getres(CLOCK_MONOTONIC_RAW, &res) == 0) {
        double os = (double)res.tv_sec * 1e9 + (double)res.tv_nsec;
        if (os > step)
            step = os;
    }
#endif
    ci->resolution_ns = step;
}

void ab_wait_until_ns(uint64_t deadline_ns)
{
    for (;;) {
        uint64_t now = ab_now_ns();
        if (now >= deadline_ns)
            return;
        uint64_t left = deadline_ns - now;
        /* Sleep for long waits, leaving ~60 us to spin so wake-up jitter does
         * not add to short modelled latencies. */
        if (left > 200000) {
            uint64_t sl = left - 60000;
            struct timespec ts = {(time_t)(sl / 1000000000u), (long)(sl % 1000000000u)};
            nanosleep(&ts, NULL);
        }
    }
}

void ab_fmt_duration(double s, int tenths, char *buf, size_t n)
{
    if (s < 0) {
        snprintf(buf, n, "?");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ldh%02ldm", t / 3600, (t / 60) % 60);
    else if (t >= 60)
        snprintf(buf, n, "%ldm%02lds", t / 60, t % 60);
    else if (tenths)
        snprintf(buf, n, "%.1fs", s);
    else
        snprintf(buf, n, "%lds", t);
}

void ab_utc_iso(char *buf, size_t n, int compact)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, compact ? "%Y%m%dT%H%M%S" : "%Y-%m-%dT%H:%M:%SZ", &tm);
}
