/* registry.c: backend specs ("cpu", "ane-sim:m5", "fault:SPEC", "auto") to
 * engines. The only place that names the engines. */
#include <stdio.h>
#include <string.h>

#include "backends/backend.h"

/* Every engine is referenced strongly, so the static library links it in
 * (a weak reference would let the linker leave its object out). */
extern const ab_backend_ops
    ab_backend_ane; /* backends/ane.c: a strong reference, so the static library links it in */
/* fault is in backends/fault.c (always built). */

typedef struct entry {
    const char *name; /* spec prefix */
    const ab_backend_ops *ops;
    const char *help;
} entry;

static const entry *entries(size_t *n)
{
    static entry tab[5];
    tab[0] = (entry){"cpu", &ab_backend_cpu, "the 1x1 conv as one cblas_sgemm per layer (real measurements)"};
    tab[1] = (entry){"null", &ab_backend_null, "does nothing: measures the harness's own per-sample cost"};
    tab[2] = (entry){"ane", &ab_backend_ane,
                     "the Neural Engine through AppleNeuralEngine.framework (macOS, Apple silicon)"};
    tab[3] = (entry){"ane-sim", &ab_backend_ane,
                     "a calibrated model of the ANE: ane-sim:m5 (default), ane-sim:m4, ane-sim:m5-hw; SIMULATED"};
    tab[4] =
        (entry){"fault", &ab_backend_fault, "cpu with injected faults on chosen cases (tests): fault:SPEC"};
    *n = sizeof tab / sizeof tab[0];
    return tab;
}

const char *backend_auto_name(void)
{
#if defined(__APPLE__) && defined(__aarch64__)
    {
        ab_backend b;
        ab_err e;
        memset(&b, 0, sizeof b);
        b.ops = &ab_backend_ane;
        ab_strlcpy(b.spec, "ane", sizeof b.spec);
        int ok = b.ops->open(&b, NULL, &e) == AB_OK;
        if (ok) {
            ok = !b.ops->probe || b.ops->probe(&b, &e) == AB_OK;
            b.ops->close(&b);
        }
        if (ok)
            return "ane";
    }
#endif
    return "cpu";
}

int backend_open(ab_backend *b, const char *spec, ab_err *e)
{
    memset(b, 0, sizeof *b);
    if (!spec || !*spec || !strcmp(spec, "auto"))
        spec = backend_auto_name();
    if (strlen(spec) >= AB_SPEC_MAX)
        return ab_errf(e, AB_EUSAGE, "--backend: '%.60s...' is too long (at most %d characters)", spec,
                       AB_SPEC_MAX - 1);
    char name[AB_SPEC_MAX];
    ab_strlcpy(name, spec, sizeof name);
    char *colon = strchr(name, ':');
    const char *arg = NULL;
    if (colon) {
        *colon = '\0';
        arg = colon + 1;
    }
    size_t n;
    const entry *tab = entries(&n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(tab[i].name, name) != 0)
            continue;
        if (!tab[i].ops)
            return ab_errf(e, AB_EUSAGE, "--backend: '%s' is not built into this anebench", spec);
        b->ops = tab[i].ops;
        ab_strlcpy(b->spec, spec, sizeof b->spec);
        int rc = b->ops->open(b, arg, e);
        if (rc != AB_OK) {
            b->ops = NULL;
            return rc;
        }
        return AB_OK;
    }
    return ab_errf(e, AB_EUSAGE,
                   "--backend: unknown backend '%s' (cpu, null, ane, ane-sim[:m4|m5|m5-hw], fault:SPEC, auto)",
                   spec);
}

void backend_close(ab_backend *b)
{
    if (b->ops && b->ops->close)
        b->ops->close(b);
    b->ops = NULL;
}

void backend_list_help(void *file)
{
    FILE *f = file;
    size_t n;
    const entry *tab = entries(&n);
    fprintf(f, "  %-10s %s (here: %s)\n", "auto", "ane on Apple silicon where the framework loads, else cpu",
            backend_auto_name());
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  %-10s %s%s\n", tab[i].name, tab[i].help, tab[i].ops ? "" : " [not built in]");
}
