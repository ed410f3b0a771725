/* ane_program.c: a kernel's MIL text and weight files to an ane_api model
 * (see ane_program.h). The files are built in the weights layout asked
 * for (one weight.bin, or one file per layer; the kernel keeps them, see
 * kernel_weight_files_view) and passed together; the api puts each in the
 * weights dictionary and writes it under the model's directory. */
#include "backends/ane_program.h"

#include <stdlib.h>

int ane_program_create(const ane_api_ops *ops, ane_api *api, const ab_kernel *k, ab_mil_target t,
                       ab_weights_layout w, ane_model **m, ab_err *e)
{
    *m = NULL;
    char *mil = kernel_mil(k, t, w);
    if (!mil)
        return ab_errf(e, AB_EFAIL, "cannot build the %s MIL program (cin %zu, cout %zu, depth %zu)",
                       k->ops->name, k->cin, k->cout, k->depth);
    const ab_weight_file *files = NULL;
    size_t n = 0;
    if (kernel_weight_files_view(k, w, &files, &n)) {
        free(mil);
        return ab_errf(e, AB_EFAIL,
                       "cannot build the %s weight files (%s layout): out of memory or too large",
                       k->ops->name, weights_layout_name(w));
    }
    ane_weight_file *view = calloc(n, sizeof *view);
    int rc;
    if (!view) {
        rc = ab_errf(e, AB_EFAIL, "out of memory");
    } else {
        for (size_t i = 0; i < n; i++)
            view[i] = (ane_weight_file){files[i].path, files[i].bytes, files[i].len};
        rc = ops->model_create(api, mil, view, n, m, e);
    }
    free(view);
    free(mil);
    return rc;
}
