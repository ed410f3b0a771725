/* scheduler.c: runs the cases and journals their records (in-process for
 * now; worker isolation comes with the overnight-robustness work). */
#include "harness/scheduler.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/clock.h"
#include "harness/runmeta.h"
#include "harness/runner.h"

static void sleep_s(double s)
{
    if (s <= 0)
        return;
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

int scheduler_run(ab_sched *sc, ab_case *cases, size_t n, ab_err *e)
{
    for (size_t i = 0; i < n; i++) {
        if (sc->interrupted && *sc->interrupted)
            return ab_errf(e, AB_EINTR, "interrupted");
        char key[AB_KEY_MAX];
        case_key(&cases[i], key, sizeof key);
        if (sc->progress)
            progress_start(sc->progress, i, key);
        ab_record r;
        run_case(sc->backend, &cases[i], sc->s, &r);
        r.worker = 0;
        host_thermal(r.thermal_state, sizeof r.thermal_state);
        host_power(r.power_source, sizeof r.power_source);
        int rc = rundir_append(sc->dir, &r, e);
        if (r.status == AB_ST_OK)
            sc->n_ok++;
        else if (r.status == AB_ST_SKIPPED)
            sc->n_skipped++;
        else
            sc->n_bad++;
        if (sc->progress)
            progress_done(sc->progress, key, status_name(r.status), r.wall_s);
        record_free(&r);
        if (rc != AB_OK)
            return rc;
        if (i + 1 < n)
            sleep_s(sc->s->cooldown);
    }
    return AB_OK;
}
