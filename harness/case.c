/* case.c: one point of a sweep: defaults, the canonical key (the join key
 * of every comparison, so its text is a contract), derived work and memory
 * (from the case's kernel family, kernels/kernel.h).
 *
 * The key is the family's name, then " name=value" for every axis the family
 * uses, in table order, except threads when 0 and data when random (the
 * defaults): so a conv1x1 key reads exactly as it did before there were
 * other families or data patterns, and its seed (a hash of the key) and
 * data are unchanged. */
#include "harness/case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/kernel.h"

int case_axis_in_key(const ab_case *c, int i)
{
    if (i == AX_KERNEL || !(kernel_family(c)->axes & (1u << i)))
        return 0;
    if (i == AX_THREADS && c->v[i] == 0)
        return 0;
    if (i == AX_DATA && c->v[i] == AB_DATA_RANDOM)
        return 0;
    return 1;
}

void case_default(ab_case *c)
{
    memset(c, 0, sizeof *c);
    for (int i = 0; i < AX_COUNT; i++)
        c->v[i] = ab_axes[i].def;
    c->v[AX_COUT] = c->v[AX_CIN];
}

int case_key(const ab_case *c, char *buf, size_t n)
{
    size_t len = 0;
    int w = snprintf(buf, n, "%s", kernel_family(c)->name);
    if (w > 0)
        len = (size_t)w;
    for (int i = 0; i < AX_COUNT; i++) {
        if (!case_axis_in_key(c, i))
            continue;
        char val[32];
        axis_format_value(&ab_axes[i], c->v[i], val, sizeof val);
        w = snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0, " %s=%s", ab_axes[i].name, val);
        if (w > 0)
            len += (size_t)w;
    }
    return (int)len;
}

int case_brief(const ab_case *c, const int vary[AX_COUNT], char *buf, size_t n)
{
    int any = 0;
    for (int i = 0; vary && i < AX_COUNT; i++)
        any |= vary[i];
    ab_case d;
    case_default(&d);
    d.v[AX_COUT] = c->v[AX_CIN]; /* cout = cin goes without saying */
    size_t len = 0;
    if (n)
        buf[0] = '\0';
    for (int i = 0; i < AX_COUNT; i++) {
        int shape = i == AX_CIN || (i == AX_SPATIAL && (kernel_family(c)->axes & (1u << i)));
        int show = any ? vary[i] : shape || c->v[i] != d.v[i];
        if (!show)
            continue;
        char val[32];
        axis_format_value(&ab_axes[i], c->v[i], val, sizeof val);
        int w = snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0, "%s%s=%s", len ? " " : "",
                         ab_axes[i].name, val);
        if (w > 0)
            len += (size_t)w;
    }
    return (int)len;
}

void case_varying_axes(const ab_case *cases, size_t n, int vary[AX_COUNT])
{
    for (int i = 0; i < AX_COUNT; i++) {
        vary[i] = 0;
        for (size_t k = 1; k < n && !vary[i]; k++)
            vary[i] = cases[k].v[i] != cases[0].v[i];
    }
}

int case_from_key(const char *key, ab_case *c, ab_err *e)
{
    case_default(c);
    size_t klen = strcspn(key, " ");
    long fam = -1;
    for (long i = 0; ab_kernel_names[i]; i++)
        if (strlen(ab_kernel_names[i]) == klen && !strncmp(key, ab_kernel_names[i], klen))
            fam = i;
    if (fam < 0)
        return ab_errf(e, AB_EUSAGE, "case key '%.60s': does not start with a kernel family (%s)", key,
                       &AB_KERNEL_NAMES_TEXT[1]);
    c->v[AX_KERNEL] = fam;
    unsigned used = kernel_family(c)->axes;
    int seen[AX_COUNT] = {0};
    const char *p = key + klen;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *end = strchr(p, ' ');
        if (!end)
            end = p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (!eq)
            return ab_errf(e, AB_EUSAGE, "case key: token '%.*s' is not NAME=VALUE",
                           (int)(end - p > 60 ? 60 : end - p), p);
        char name[32];
        size_t nlen = (size_t)(eq - p);
        int id = -1;
        if (nlen < sizeof name) {
            memcpy(name, p, nlen);
            name[nlen] = '\0';
            id = axis_find(name);
        }
        if (id < 0 || id == AX_KERNEL)
            return ab_errf(e, AB_EUSAGE, "case key: unknown axis '%.*s'", (int)(nlen > 60 ? 60 : nlen), p);
        if (!(used & (1u << id)))
            return ab_errf(e, AB_EUSAGE, "case key: the %s family has no axis '%s'", ab_kernel_names[fam], name);
        if (seen[id]++)
            return ab_errf(e, AB_EUSAGE, "case key: axis '%s' given twice", name);
        char val[64];
        size_t vlen = (size_t)(end - eq - 1);
        if (vlen >= sizeof val)
            return ab_errf(e, AB_EUSAGE, "case key: value of '%s' is too long", name);
        memcpy(val, eq + 1, vlen);
        val[vlen] = '\0';
        long *vals;
        size_t nv;
        if (axis_parse_values(&ab_axes[id], val, &vals, &nv, e))
            return AB_EUSAGE;
        long v = vals[0];
        free(vals);
        if (nv != 1)
            return ab_errf(e, AB_EUSAGE, "case key: '%s=%s' is not a single value", name, val);
        c->v[id] = v;
        p = end;
    }
    if (!seen[AX_COUT])
        c->v[AX_COUT] = c->v[AX_CIN];
    return 0;
}

double case_flops(const ab_case *c)
{
    return kernel_case_flops(c);
}

double case_bytes(const ab_case *c)
{
    return kernel_case_bytes(c);
}

double case_mem_bytes(const ab_case *c)
{
    return kernel_case_mem_bytes(c);
}

const char *case_invalid_reason(const ab_case *c)
{
    return kernel_case_invalid(c);
}
