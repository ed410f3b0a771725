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

#endif
