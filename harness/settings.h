/* settings.h: measurement and run settings, one table (fio's options.c)
 * that drives the command line, sweep-file "settings", --help text,
 * validation and the echo into run.json. */
#ifndef AB_SETTINGS_H
#define AB_SETTINGS_H

#include <stddef.h>
#include <stdio.h>
#include "harness/error.h"

typedef struct ab_settings {
    int warmup;              /* evals at most dropped as warm-up (stop.h) */
    int min_samples;
    int max_samples;
    double min_time;         /* s of steady-state sampling at least */
    double max_time;         /* s of steady-state sampling at most */
    double noise;            /* % target half-width of the median's 95% CI */
    double timeout;          /* s per case (worker killed past it) */
    int phase_repeats;       /* compile..reload measured this many times a case */
    double cooldown;         /* s at most to wait between cases while the machine reports heat */
    int cooldown_fixed;      /* 1: wait the whole cooldown between every two cases */
    long shuffle;            /* seed; -1 = run in enumeration order */
    int isolate;             /* 1: cases run in worker processes */
    int retries;             /* re-runs of a crashed / timed-out case */
    int compiles_per_worker; /* worker replaced after this many compiles */
    int wait_nominal;        /* wait for nominal thermal state before a case */
    double wait_nominal_max; /* s cap on that wait */
    long seed;               /* data seed (weights and inputs) */
    int repeat;              /* rounds of the sweep, interleaved (record "round") */
    int weights_layout;      /* ane engines: 0 single weight.bin, 1 a file per layer (kernels/kernel.h) */
} ab_settings;

/* SET_BOOL: "--name" sets 1. SET_NEGBOOL: the flag is "--no-" + name and
 * sets 0 (e.g. --no-isolate); in files and run.json both are true/false.
 * SET_ENUM: one of the names its metavar lists ("single|per-file"), stored
 * as the name's index (an int); in files and run.json the name. */
typedef enum { SET_INT, SET_LONG, SET_DOUBLE, SET_BOOL, SET_NEGBOOL, SET_ENUM } ab_setting_type;

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
/* Sets one setting from text; AB_EUSAGE naming the bad token on error.
 * Bool kinds: value NULL means the flag was given (SET_BOOL sets 1,
 * SET_NEGBOOL sets 0); "true"/"false"/"1"/"0" set the field itself. */
int settings_set(ab_settings *s, const ab_setting_def *d, const char *value, ab_err *e);
/* SET_ENUM: the name of value v into buf ("" when out of range). */
const char *settings_enum_name(const ab_setting_def *d, int v, char *buf, size_t n);
/* The flag of d ("--min-samples", "--no-isolate") into buf. */
const char *settings_flag(const ab_setting_def *d, char *buf, size_t n);
/* If argv[*i] is a MEASURE flag ("--warmup 5", "--warmup=5", "--no-isolate"),
 * finds its setting and value text (NULL for a bare bool flag), advancing *i
 * past the value, checks the value, and returns 1; 0 when it is not one;
 * -AB_EUSAGE (negated, like selection_consume) on a missing or bad value or
 * a value given to a --no- flag. The one parser of setting flags: `run`
 * and `list` defer applying them (a sweep file's settings come first). */
int settings_match(int argc, char **argv, int *i, const ab_setting_def **d, const char **value, ab_err *e);
/* settings_match, then applies the value to s. */
int settings_consume(ab_settings *s, int argc, char **argv, int *i, ab_err *e);
/* Cross-field checks, after every source is applied (file, then flags):
 * min_samples <= max_samples, min_time <= max_time. AB_EUSAGE naming both. */
int settings_validate(const ab_settings *s, ab_err *e);
/* Where each setting's value came from, for messages: "" the default,
 * "preset quick", "sweep file F", or SETTINGS_FROM_FLAG (the command line). */
#define SETTINGS_MAX 32
#define SETTINGS_FROM_FLAG "flag"
typedef struct ab_settings_from {
    char from[SETTINGS_MAX][160];
} ab_settings_from;
/* Marks every key of a sweep file's "settings" object (cJSON*) as from label. */
void settings_from_json(ab_settings_from *f, const void *json_obj, const char *label);
void settings_from_set(ab_settings_from *f, const ab_setting_def *d, const char *label);
/* settings_validate, knowing where values came from: a pair (min/max
 * samples, min/max time) in conflict where the command line gave one half
 * and a file or default the other is settled in the flag's favour, the
 * other half moved to meet it, and a line saying so ("--max-time 0.3 from
 * preset quick raised to 0.5 to meet --min-time 0.5") appended to notes
 * (each line ends in '\n'). Both halves from the command line, or neither:
 * AB_EUSAGE naming both values and where each came from. */
int settings_reconcile(ab_settings *s, const ab_settings_from *f, char *notes, size_t n, ab_err *e);
/* Applies a sweep file's "settings" object (cJSON*), validating each. */
int settings_apply_json(ab_settings *s, const void *json_obj, const char *origin, ab_err *e);
/* Prints the MEASURE part of --help from the table. */
void settings_help(FILE *f);
/* Returns a new cJSON object with every setting (caller owns). */
void *settings_to_json(const ab_settings *s);

#endif
