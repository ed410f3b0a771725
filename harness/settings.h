/* settings.h: measurement and run settings, one table (fio's options.c)
 * that drives the command line, sweep-file "settings", --help text,
 * validation and the echo into run.json. */
#ifndef AB_SETTINGS_H
#define AB_SETTINGS_H

#include <stddef.h>
#include <stdio.h>
#include "harness/error.h"

typedef struct ab_settings {
    int warmup;              /* eval calls dropped before sampling */
    int min_samples;
    int max_samples;
    double min_time;         /* s of steady-state sampling at least */
    double max_time;         /* s of steady-state sampling at most */
    double noise;            /* % target half-width of the median's 95% CI */
    double timeout;          /* s per case (worker killed past it) */
    double cooldown;         /* s to wait between cases */
    long shuffle;            /* seed; -1 = run in enumeration order */
    int isolate;             /* 1: cases run in worker processes */
    int retries;             /* re-runs of a crashed / timed-out case */
    int compiles_per_worker; /* worker replaced after this many compiles */
    int wait_nominal;        /* wait for nominal thermal state before a case */
    double wait_nominal_max; /* s cap on that wait */
    long seed;               /* data seed (weights and inputs) */
} ab_settings;

typedef enum { SET_INT, SET_LONG, SET_DOUBLE, SET_BOOL } ab_setting_type;

typedef struct ab_setting_def {
    const char *name;     /* flag is "--" + name with '_' -> '-'; file key is name */
    ab_setting_type type;
    size_t offset;        /* into ab_settings */
    const char *def;      /* default, as text */
    double min, max;      /* valid range */
    const char *metavar;  /* "N", "S", "PCT" (NULL for bool flags) */
    const char *help;
} ab_setting_def;

extern const ab_setting_def ab_setting_defs[];
extern const size_t ab_nsetting_defs;

void settings_default(ab_settings *s);
/* Finds a setting by flag ("--min-samples") or by name ("min_samples"). */
const ab_setting_def *settings_find(const char *flag_or_name);
/* Sets one setting from text; AB_EUSAGE naming the bad token on error. */
int settings_set(ab_settings *s, const ab_setting_def *d, const char *value, ab_err *e);
/* Applies a sweep file's "settings" object (cJSON*), validating each. */
int settings_apply_json(ab_settings *s, const void *json_obj, const char *origin, ab_err *e);
/* Prints the MEASURE part of --help from the table. */
void settings_help(FILE *f);
/* Returns a new cJSON object with every setting (caller owns). */
void *settings_to_json(const ab_settings *s);

#endif
