/* ane_probe.h: the seed's probes (seeds/m5result.md) as structured checks
 * over the ane_api seam, so they run on the simulator here and on the
 * private framework on a Mac.
 *
 * Each probe yields {"name", "result": "pass"|"fail"|"partial"|
 * "unsupported"|"error", "finding": one sentence made from what was
 * measured, "figures": {numbers}, "evidence": [lines]}. "fail" means the
 * capability the probe asks about is absent (the seed's weight reload is a
 * FAIL: weights are baked at compile); "error" means the probe itself could
 * not run. */
#ifndef AB_ANE_PROBE_H
#define AB_ANE_PROBE_H

#include <stdbool.h>
#include "backends/ane_api.h"
#include "harness/error.h"

/* Probe names, in the order they run: the QoS sweep first so that its first
 * row sees the process's first load, as the seed's did. */
extern const char *const ane_probe_names[];
extern const size_t ane_probe_count;

/* Runs every probe on an open api and returns the whole report (cJSON*,
 * caller deletes): schema_version, kind "anebench-probe", started, backend
 * (the spec given), simulated, device, probes. qos_all: the QoS sweep tries
 * every value 0..63 instead of the seed's rows. NULL with e set only when
 * the report cannot be made at all (device_info failed, out of memory);
 * a probe that fails to run is reported with result "error". */
void *ane_probe_report(const ane_api_ops *ops, ane_api *api, const char *backend, bool qos_all, ab_err *e);

/* QoS values the qos-sweep probe tries by default (the seed's table rows). */
extern const unsigned ane_probe_qos_values[];
extern const size_t ane_probe_qos_count;

/* Label of a QoS value: _ANEQoSMapper's names (ANE-NOTES.md), which are
 * Darwin's qos_class_t values; others "unmapped (as Default)". */
const char *ane_qos_label(unsigned qos);

#endif
