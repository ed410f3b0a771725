/* selection.h: the SELECTION options shared by `run` and `list`:
 * --preset NAME, --sweep FILE, --axis NAME=VALUES (repeatable), --zip A,B.
 * Without --preset or --sweep the `quick` preset is used. */
#ifndef AB_SELECTION_H
#define AB_SELECTION_H

#include <stddef.h>
#include <stdio.h>
#include "harness/case.h"
#include "harness/error.h"
#include "harness/settings.h"
#include "harness/sweep.h"

typedef struct ab_selection {
    char preset[64];          /* "" if none */
    char sweep_file[1024];    /* "" if none */
    const char **axis_args;   /* argv pointers, in order */
    size_t n_axis;
    const char **zip_args;
    size_t n_zip;
    ab_sweep sweep;           /* filled by selection_resolve */
    /* If set, the sweep is read from this file instead of the preset or
     * --sweep FILE (a resumed run's own copy, DIR/sweep.json); names and
     * the selection in run.json stay the original's. */
    char stored_path[1100];
    char *text;               /* the sweep file's bytes as read (owned; selection_resolve) */
    size_t text_len;
} ab_selection;

void selection_init(ab_selection *sel);
void selection_free(ab_selection *sel);

/* If argv[*i] is a SELECTION option, consumes it (and its value, advancing
 * *i) and returns 1; returns 0 when it is not one; AB_EUSAGE (negated: -2)
 * on a missing value. Accepts "--axis X" and "--axis=X" forms. */
int selection_consume(ab_selection *sel, int argc, char **argv, int *i, ab_err *e);

/* Loads the preset or sweep file, applies its "settings" to s (the caller
 * applies command-line settings afterwards, so they win), the --axis
 * overrides and --zip ties, and enumerates the cases (malloc'd). */
int selection_resolve(ab_selection *sel, ab_settings *s, double max_mem_bytes,
                      ab_case **cases, size_t *n, ab_err *e);

/* The SELECTION part of --help, from the axis table. */
void selection_help(FILE *f);

/* {"preset": ..., "sweep_file": ..., "axis": [...], "zip": [...]} (cJSON*). */
void *selection_to_json(const ab_selection *sel);

#endif
