/* clock.h: the monotonic raw clock (mach_absolute_time on macOS,
 * CLOCK_MONOTONIC_RAW on Linux), in nanoseconds, and its calibration. */
#ifndef AB_CLOCK_H
#define AB_CLOCK_H

#include <stddef.h>
#include <stdint.h>

uint64_t ab_now_ns(void);

typedef struct ab_clock_info {
    const char *source;      /* "mach_absolute_time" | "CLOCK_MONOTONIC_RAW" */
    double resolution_ns;    /* smallest non-zero step observed (and reported by the OS) */
    double overhead_ns;      /* median cost of one ab_now_ns() call */
} ab_clock_info;

/* Measures the clock (takes a few ms). */
void clock_calibrate(ab_clock_info *ci);

/* Sleeps (or spins for short waits) until ab_now_ns() >= deadline_ns. */
void ab_wait_until_ns(uint64_t deadline_ns);

/* Wall-clock UTC time, ISO 8601 "2026-11-25T17:34:13Z" or compact
 * "20261125T173413" (compact != 0). */
void ab_utc_iso(char *buf, size_t n, int compact);

/* A duration for people: "1h05m", "2m03s", and under a minute "42s" (or
 * "4.2s" with tenths); "?" when s is negative (unknown). */
void ab_fmt_duration(double s, int tenths, char *buf, size_t n);

#endif
