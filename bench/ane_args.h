/* ane_args.h: the command line `anebench doctor` and `anebench probe` share:
 * --backend ane|ane-sim[:PROFILE] (default: ane on Apple platforms, else
 * ane-sim:m5, said on stdout), -o/--out FILE, --help, and one flag of the
 * command's own; the backend resolved to an api (backends/ane_api.h). */
#ifndef AB_ANE_ARGS_H
#define AB_ANE_ARGS_H

#include <stdbool.h>
#include <stdio.h>

#include "backends/ane_api.h"

typedef struct ane_args {
    const char *spec;       /* --backend as given, or the default */
    const char *out;        /* -o FILE, NULL none */
    bool flag;              /* the command's flag was given */
    const ane_api_ops *ops; /* the api spec names */
    const char *arg;        /* its argument (a sim profile), "" none */
} ane_args;

/* Parses argv of command cmd ("doctor"). flag: the command's own flag
 * ("--qos-all"), NULL none; sim_note: the line printed when the default
 * falls back to the simulator. Returns -1 to go on, else the exit code:
 * 0 after --help (usage on stdout), 2 after bad usage (one line on stderr
 * naming the bad token). */
int ane_args_parse(const char *cmd, int argc, char **argv, const char *flag, const char *sim_note,
                   void (*usage)(FILE *), ane_args *a);

#endif
