/* ane_program.h: a kernel's program handed to an ane_api: its MIL text for
 * a target and its weight files for a weights layout (kernels/kernel.h),
 * every file in the descriptor's weights dictionary and on disk. Shared by
 * the backend (backends/ane.c) and the doctor. */
#ifndef AB_ANE_PROGRAM_H
#define AB_ANE_PROGRAM_H

#include "backends/ane_api.h"
#include "kernels/kernel.h"

/* ops->model_create for k's program; AB_EFAIL naming what could not be
 * built (MIL text, weight files) or the api's error. */
int ane_program_create(const ane_api_ops *ops, ane_api *api, const ab_kernel *k, ab_mil_target t,
                       ab_weights_layout w, ane_model **m, ab_err *e);

#endif
