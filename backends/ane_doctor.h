/* ane_doctor.h: `anebench doctor`, the first-run check of the ANE
 * lifecycle: every step on one small case, timed, with its exact outcome
 * (the framework's error text, domain and code) and, where a step fails or
 * a result is wrong, the documented alternatives tried. The report's format
 * is in docs/ane-bridge.md ("The doctor's report"). */
#ifndef AB_ANE_DOCTOR_H
#define AB_ANE_DOCTOR_H

#include "backends/ane_api.h"

/* Called before and after every step with the report so far (its "status"
 * "incomplete" and "running" naming the step about to run), so that a
 * caller can keep it on disk: a step that ends the process (an uncaught
 * Objective-C exception aborts a C program) leaves the report naming it. */
typedef void (*ane_doctor_progress)(void *ctx, const void *report /* cJSON* */);

/* Runs the steps on ops (opened here from spec's arg) and returns the
 * report (cJSON*, the caller deletes it); NULL only when out of memory.
 * tool names this program ("anebench 0.1 (git abc)"). */
void *ane_doctor_run(const ane_api_ops *ops, const char *arg, const char *spec, const char *tool,
                     ane_doctor_progress cb, void *ctx);

#endif
