/* glue.c: makes `anebench` (bench/main.c) run its `ane` backend through the
 * macOS bridge against the fakes: the binary anebench_fakedarwin, used by
 * the fakedarwin end-to-end tests. Every process (the command and each
 * worker it spawns) takes its fake-framework settings from the environment
 * and, at exit, checks that no fake object is left alive:
 *   FAKEDARWIN_PROFILE   sim profile behind the fake framework (m5, m4)
 *   FAKEDARWIN_FAIL      NAME[:NTH] makes the NTH call of NAME fail (-1: every call),
 *                        e.g. "evaluateWithQoS:options:request:error::-1"
 * A leak makes the process exit with status 86 and list the objects. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/ane_api.h"
#include "fake.h"

extern const ane_api_ops ane_api_objc;

int __real_ane_api_select(const char *spec, const ane_api_ops **ops, const char **arg, ab_err *e);
int __wrap_ane_api_select(const char *spec, const ane_api_ops **ops, const char **arg, ab_err *e);
int __wrap_ane_api_select(const char *spec, const ane_api_ops **ops, const char **arg, ab_err *e)
{
    if (spec && !strcmp(spec, "ane")) {
        *ops = &ane_api_objc;
        *arg = NULL;
        return AB_OK;
    }
    return __real_ane_api_select(spec, ops, arg, e);
}

__attribute__((constructor(200))) static void glue_config(void)
{
    const char *profile = getenv("FAKEDARWIN_PROFILE");
    fake_framework_config(profile && *profile ? profile : "m5", -1, -1);
    const char *fail = getenv("FAKEDARWIN_FAIL");
    if (fail && *fail) {
        static char name[128];
        snprintf(name, sizeof name, "%s", fail);
        /* Selector names hold colons: only a number after the last one is NTH. */
        char *colon = strrchr(name, ':'), *end = NULL;
        int nth = 1;
        if (colon && colon[1]) {
            long v = strtol(colon + 1, &end, 10);
            if (end && !*end && v != 0) {
                *colon = '\0';
                nth = (int)v;
            }
        }
        fake_fail(name, nth);
    }
}

__attribute__((destructor)) static void glue_leak_check(void)
{
    fake_framework_reset();
    long live = fake_live_objects();
    if (live) {
        fprintf(stderr, "fakedarwin: %ld fake objects alive at exit (pid %d)\n", live, (int)getpid());
        fake_print_live();
        fflush(stderr);
        _exit(86);
    }
}
