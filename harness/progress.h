/* progress.h: progress of a long run. On a terminal, one updating line
 * ("[k/N] label  elapsed 1m02s  eta 3m10s"), cut to the terminal's width and
 * redrawn every second so a long case does not look hung; on a pipe a plain
 * line per finished case; with --quiet nothing. No control characters
 * except on a terminal. */
#ifndef AB_PROGRESS_H
#define AB_PROGRESS_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

typedef struct ab_progress {
    FILE *out;
    int tty; /* updating line */
    int quiet;
    size_t total;
    size_t done;
    double start_s;
    double case_time_sum; /* measured seconds of finished cases (ETA) */
    size_t case_time_n;
    /* The line in flight (terminal only), redrawn by a ticking thread. */
    size_t current;
    char label[256];
    int showing; /* a line is on screen */
    int ticking; /* the thread runs */
    int stop;
    pthread_t tick;
    pthread_mutex_t lock;
    pthread_cond_t wake;
} ab_progress;

void progress_init(ab_progress *p, FILE *out, size_t total, int quiet);
/* Case k starts; label is what to show of it (case_brief). */
void progress_start(ab_progress *p, size_t k, const char *label);
/* A case ended: its key, status name and measured seconds. */
void progress_done(ab_progress *p, const char *key, const char *status, double secs);
/* Clears the updating line (before other output). */
void progress_clear(ab_progress *p);
/* Clears the line and stops the ticking thread; call once at the end. */
void progress_finish(ab_progress *p);
/* ETA seconds from measured case times (-1 unknown). */
double progress_eta(const ab_progress *p);

#endif
