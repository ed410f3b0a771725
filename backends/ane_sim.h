/* ane_sim.h: what the ANE simulator (ane_api_sim, backends/ane_sim.c) says
 * about its profiles beyond the ane_api seam. */
#ifndef AB_ANE_SIM_H
#define AB_ANE_SIM_H

#include "backends/ane_api.h"

/* One sentence on what profile `name` ("m4", "m5", "m5-hw") assumes where
 * its sources are silent (e.g. "what-if: ... unconfirmed on hardware"), so
 * reports can say what is modelled rather than known. NULL for an unknown
 * name. */
const char *ane_sim_profile_note(const char *name);

/* The modelled times (ms, at time scale 1: ANEBENCH_SIM_SCALE not
 * applied, nor jitter or the process's first-use costs) of a program of
 * flops FLOPs moving io_bytes with weight_mib MiB of weights on profile
 * name, as the profile's timing model gives them; for estimates
 * (`list --estimate`). -1 for an unknown profile. */
typedef struct ane_sim_times {
    double compile_ms, load_ms, first_eval_ms, eval_ms, unload_ms, reload_ms;
    bool realtime_refused; /* the profile refuses the real-time path */
} ane_sim_times;
int ane_sim_model(const char *name, double flops, double io_bytes, double weight_mib, bool realtime,
                  ane_sim_times *t);

#endif
