/* progress.h: progress of a long run. On a terminal, one updating line
 * ("[k/N] label  elapsed 1m02s  eta 3m10s"), cut to the terminal's width and
 * redrawn every second so a long case does not look hung; on a pipe a plain
 * line per finished case; with --quiet nothing. No control characters
 * except on a terminal. k of N counts the whole run: after a resume it
 * goes on from the cases done before. The ETA is predicted from the sizes
 * of the cases still to run and the cost per unit of work measured on the
 * cases finished (estimate.h), not from their count: the big cases of a
 * sweep come last and cost far more than the mean of the first ones. */
#ifndef AB_PROGRESS_H
#define AB_PROGRESS_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#include "harness/case.h"
#include "harness/estimate.h"
#include "harness/record.h"
#include "harness/settings.h"

typedef struct ab_progress {
    FILE *out;
    int tty; /* updating line */
    int quiet;
    size_t total;  /* cases this invocation runs */
    size_t done;   /* ... of which finished */
    size_t before; /* cases of the run finished before (a resume): shown as done */
    double start_s;
    double case_start_s; /* when the case in flight started */
    int in_flight;       /* a case has started and not ended */
    ab_est est;          /* cost per unit of work, fitted to the finished cases */
    /* The cases to run, in run order (progress_plan), for the ETA. */
    const ab_case *cases;
    const size_t *order;
    const ab_settings *s;
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
/* The cases to run (cases[order[k]] is the k-th), their settings, and the
 * run's records finished before this invocation (a resume: counted as done
 * and fitted into the cost model). All must outlive p. */
void progress_plan(ab_progress *p, const ab_case *cases, const size_t *order, const ab_settings *s,
                   const ab_record *before, size_t nbefore);
/* Case k starts; label is what to show of it (case_brief). */
void progress_start(ab_progress *p, size_t k, const char *label);
/* A case ended: its record and measured seconds. */
void progress_done(ab_progress *p, const ab_record *r, double secs);
/* Clears the updating line (before other output). */
void progress_clear(ab_progress *p);
/* Clears the line and stops the ticking thread; call once at the end. */
void progress_finish(ab_progress *p);
/* ETA seconds: the predicted cost of the cases still to run, less the
 * time the case in flight has run (-1 unknown: no case finished yet). */
double progress_eta(const ab_progress *p);

#endif
