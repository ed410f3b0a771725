/* progress.h: progress of a long run. On a terminal, one updating line
 * ("[k/N] key  elapsed 1m02s  eta 3m10s"); on a pipe or with --quiet no
 * control characters (a plain line per case on a pipe, nothing when quiet). */
#ifndef AB_PROGRESS_H
#define AB_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

typedef struct ab_progress {
    FILE *out;
    int tty;        /* updating line */
    int quiet;
    size_t total;
    size_t done;
    double start_s;
    double case_time_sum; /* measured seconds of finished cases (ETA) */
    size_t case_time_n;
} ab_progress;

void progress_init(ab_progress *p, FILE *out, size_t total, int quiet);
/* A case starts. */
void progress_start(ab_progress *p, size_t k, const char *key);
/* A case ended: its status name and measured seconds. */
void progress_done(ab_progress *p, const char *key, const char *status, double secs);
/* Clears the updating line (before other output, and at the end). */
void progress_clear(ab_progress *p);
/* ETA seconds from measured case times (-1 unknown). */
double progress_eta(const ab_progress *p);

#endif
