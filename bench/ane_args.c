/* ane_args.c: the shared command line of doctor and probe (ane_args.h). */
#include "bench/ane_args.h"

#include <string.h>

#include "backends/ane_sim.h"
#include "harness/error.h"

int ane_args_parse(const char *cmd, int argc, char **argv, const char *flag, const char *sim_note,
                   void (*usage)(FILE *), ane_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(o, "--backend") || !strcmp(o, "-o") || !strcmp(o, "--out")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "anebench: %s: %s needs a value\n", cmd, o);
                return 2;
            }
            if (!strcmp(o, "--backend"))
                a->spec = argv[++i];
            else
                a->out = argv[++i];
        } else if (!strncmp(o, "--backend=", 10)) {
            a->spec = o + 10;
        } else if (flag && !strcmp(o, flag)) {
            a->flag = true;
        } else {
            fprintf(stderr, "anebench: %s: unknown %s '%s' (see anebench %s --help)\n", cmd,
                    o[0] == '-' ? "option" : "argument", o, cmd);
            return 2;
        }
    }
    if (!a->spec) {
#ifdef __APPLE__
        (void)sim_note;
        a->spec = "ane";
#else
        a->spec = "ane-sim:m5";
        printf("note: no Neural Engine on this machine; %s\n", sim_note);
#endif
    }
    ab_err e;
    ab_err_clear(&e);
    if (ane_api_select(a->spec, &a->ops, &a->arg, &e) != AB_OK) {
        fprintf(stderr, "anebench: %s: --backend: %s\n", cmd, e.msg);
        return 2;
    }
    if (a->ops == &ane_api_sim && !ane_sim_profile_note(a->arg)) {
        fprintf(stderr, "anebench: %s: --backend: unknown ane-sim profile '%s' (known: m4, m5, m5-hw)\n", cmd,
                a->arg);
        return 2;
    }
    return -1;
}
