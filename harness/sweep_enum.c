/* sweep_enum.c: enumeration of a sweep into cases: the cartesian product of
 * each sub-sweep (axis-table order, last axis fastest; a zip group is one
 * dimension placed at its first axis), sub-sweeps in order, duplicates
 * dropped keeping the first, with a size cap and a memory guard. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/sweep.h"
#include "kernels/kernel.h"

typedef struct dim {
    int axes[AX_COUNT];
    int nax;
    size_t len;
} dim;

static size_t axis_len(const ab_subsweep *sub, int a)
{
    return sub->axes[a].set ? sub->axes[a].n : 1;
}

/* The dimensions of one sub-sweep; checks that zipped axes have equal lengths. */
static int sub_dims(const ab_subsweep *sub, size_t si, dim *dims, int *ndims, ab_err *e)
{
    int n = 0;
    for (int a = 0; a < AX_COUNT; a++) {
        unsigned g = sub->zip_group[a];
        if (!g && !sub->axes[a].set)
            continue;
        int d = -1;
        for (int k = 0; g && k < n; k++)
            if (sub->zip_group[dims[k].axes[0]] == g)
                d = k;
        if (d < 0) {
            d = n++;
            dims[d].nax = 0;
            dims[d].len = axis_len(sub, a);
        }
        dims[d].axes[dims[d].nax++] = a;
    }
    for (int d = 0; d < n; d++) {
        for (int k = 1; k < dims[d].nax; k++) {
            int a0 = dims[d].axes[0], ak = dims[d].axes[k];
            if (axis_len(sub, ak) == dims[d].len)
                continue;
            char names[96] = "";
            for (int j = 0; j < dims[d].nax; j++) {
                if (j)
                    strncat(names, ",", sizeof names - strlen(names) - 1);
                strncat(names, ab_axes[dims[d].axes[j]].name, sizeof names - strlen(names) - 1);
            }
            return ab_errf(e, AB_EUSAGE, "zip %s: %s has %zu value%s%s but %s has %zu%s (sweeps[%zu])", names,
                           ab_axes[a0].name, dims[d].len, dims[d].len == 1 ? "" : "s",
                           sub->axes[a0].set ? "" : " (not set)", ab_axes[ak].name, axis_len(sub, ak),
                           sub->axes[ak].set ? "" : " (not set)", si);
        }
    }
    *ndims = n;
    return 0;
}

static uint64_t case_hash(const ab_case *c)
{
    uint64_t h = 1469598103934665603ULL;
    const unsigned char *p = (const unsigned char *)c->v;
    for (size_t i = 0; i < sizeof c->v; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Open-addressing set of case indices, keyed by parameter values. */
typedef struct caseset {
    size_t *slot; /* index + 1; 0 = empty */
    size_t mask;
} caseset;

/* Returns 1 if inserted, 0 if an equal case is already there. */
static int caseset_add(caseset *set, const ab_case *cases, size_t idx)
{
    size_t i = (size_t)case_hash(&cases[idx]) & set->mask;
    while (set->slot[i]) {
        if (!memcmp(cases[set->slot[i] - 1].v, cases[idx].v, sizeof cases[idx].v))
            return 0;
        i = (i + 1) & set->mask;
    }
    set->slot[i] = idx + 1;
    return 1;
}

static void fill_case(const ab_subsweep *sub, const dim *dims, int ndims, const size_t *pos, ab_case *c)
{
    case_default(c);
    c->v[AX_COUT] = AB_AXIS_SAME; /* follows cin unless the sweep sets it */
    for (int d = 0; d < ndims; d++)
        for (int k = 0; k < dims[d].nax; k++) {
            int a = dims[d].axes[k];
            if (sub->axes[a].set)
                c->v[a] = sub->axes[a].v[pos[d]];
        }
    if (c->v[AX_COUT] == AB_AXIS_SAME)
        c->v[AX_COUT] = c->v[AX_CIN];
    /* Axes the case's kernel family does not use keep their defaults: a
     * sweep mixing families (spatial for conv1x1, h and w for conv2d) gives
     * each family its own cases, and the duplicates this makes are dropped
     * with the others. */
    ab_case d;
    case_default(&d);
    unsigned used = kernel_family(c)->axes;
    for (int a = 0; a < AX_COUNT; a++)
        if (!(used & (1u << a)) && a != AX_COUT)
            c->v[a] = d.v[a];
}

static int check_mem(const ab_case *c, double max_mem_bytes, ab_err *e)
{
    double need = case_mem_bytes(c);
    if (max_mem_bytes <= 0 || need <= max_mem_bytes)
        return 0;
    char key[AB_KEY_MAX], a[48], b[48];
    case_key(c, key, sizeof key);
    /* as many decimals as it takes for the two figures to differ (a case
     * just over the limit read "11.8 GiB, more than the 11.8 GiB limit") */
    for (int d = 1; d <= 9; d++) {
        snprintf(a, sizeof a, "%.*f GiB", d, need / 1073741824.0);
        snprintf(b, sizeof b, "%.*f GiB", d, max_mem_bytes / 1073741824.0);
        if (strcmp(a, b))
            break;
    }
    if (!strcmp(a, b)) {
        snprintf(a, sizeof a, "%.0f bytes", need);
        snprintf(b, sizeof b, "%.0f bytes", max_mem_bytes);
    }
    return ab_errf(e, AB_EUSAGE, "case '%s' needs %s of memory, more than the %s limit", key, a, b);
}

int sweep_enumerate(const ab_sweep *s, double max_mem_bytes, ab_case **cases, size_t *n, ab_err *e)
{
    *cases = NULL;
    *n = 0;
    /* Sizes first, so an enormous product is refused before any allocation. */
    size_t total = 0;
    for (size_t si = 0; si < s->nsubs; si++) {
        dim dims[AX_COUNT];
        int nd;
        if (sub_dims(&s->subs[si], si, dims, &nd, e))
            return AB_EUSAGE;
        size_t count = 1;
        for (int d = 0; d < nd; d++) {
            if (dims[d].len == 0 || count > AB_SWEEP_MAX_CASES / dims[d].len) {
                count = AB_SWEEP_MAX_CASES + 1;
                break;
            }
            count *= dims[d].len;
        }
        total += count;
        if (total > AB_SWEEP_MAX_CASES)
            return ab_errf(e, AB_EUSAGE, "sweep '%s' has more than %d cases (from sweeps[%zu])",
                           s->name[0] ? s->name : "(unnamed)", AB_SWEEP_MAX_CASES, si);
    }
    if (s->nsubs == 0) /* no sub-sweeps: the default case alone */
        total = 1;
    ab_case *out = malloc(total * sizeof *out);
    caseset set = {0};
    size_t cap = 16;
    while (cap < total * 2)
        cap *= 2;
    set.slot = calloc(cap, sizeof *set.slot);
    set.mask = cap - 1;
    if (!out || !set.slot) {
        free(out);
        free(set.slot);
        return ab_errf(e, AB_EUSAGE, "sweep of %zu cases: out of memory", total);
    }
    size_t count = 0;
    int rc = 0;
    if (s->nsubs == 0) {
        case_default(&out[0]);
        rc = check_mem(&out[0], max_mem_bytes, e);
        count = 1;
    }
    for (size_t si = 0; si < s->nsubs && !rc; si++) {
        const ab_subsweep *sub = &s->subs[si];
        dim dims[AX_COUNT];
        int nd;
        sub_dims(sub, si, dims, &nd, NULL);
        size_t pos[AX_COUNT] = {0};
        for (;;) {
            ab_case *c = &out[count];
            fill_case(sub, dims, nd, pos, c);
            if ((rc = check_mem(c, max_mem_bytes, e)) != 0)
                break;
            if (caseset_add(&set, out, count)) {
                c->index = count;
                count++;
            }
            int d = nd - 1; /* odometer: the last dimension varies fastest */
            while (d >= 0 && ++pos[d] == dims[d].len)
                pos[d--] = 0;
            if (d < 0)
                break;
        }
    }
    free(set.slot);
    if (rc) {
        free(out);
        return rc;
    }
    *cases = out;
    *n = count;
    return 0;
}
