/* case.c: one point of a sweep: defaults, the canonical key (the join key
 * of every comparison, so its text is a contract), derived work and memory. */
#include "harness/case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_KERNEL "conv1x1"

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
    int w = snprintf(buf, n, KEY_KERNEL);
    if (w > 0)
        len = (size_t)w;
    for (int i = 0; i < AX_COUNT; i++) {
        if (i == AX_THREADS && c->v[i] == 0)
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
        int show = any ? vary[i] : i == AX_CIN || i == AX_SPATIAL || c->v[i] != d.v[i];
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
    size_t klen = strlen(KEY_KERNEL);
    if (strncmp(key, KEY_KERNEL, klen) != 0 || (key[klen] != ' ' && key[klen] != '\0'))
        return ab_errf(e, AB_EUSAGE, "case key '%.60s': does not start with '" KEY_KERNEL "'", key);
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
        if (id < 0)
            return ab_errf(e, AB_EUSAGE, "case key: unknown axis '%.*s'", (int)(nlen > 60 ? 60 : nlen), p);
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

static double elem_bytes(const ab_case *c)
{
    return c->v[AX_IO] == AB_IO_FP16 ? 2.0 : 4.0;
}

double case_flops(const ab_case *c)
{
    return 2.0 * (double)c->v[AX_CIN] * (double)c->v[AX_COUT] * (double)c->v[AX_SPATIAL] *
           (double)c->v[AX_DEPTH];
}

double case_bytes(const ab_case *c)
{
    double cin = (double)c->v[AX_CIN], cout = (double)c->v[AX_COUT];
    double s = (double)c->v[AX_SPATIAL], depth = (double)c->v[AX_DEPTH];
    return (cin + cout) * s * elem_bytes(c) + 2.0 * cin * cout * depth;
}

/* Host memory of one case at most: the fp32 input, output and reference
 * (and, for chains, two fp32 intermediate columns' worth of layers), the
 * same tensors again in the io type for the device, and the weights in both
 * fp32 and fp16. A deliberate over-estimate: it only has to refuse what
 * cannot fit. */
double case_mem_bytes(const ab_case *c)
{
    double cin = (double)c->v[AX_CIN], cout = (double)c->v[AX_COUT];
    double s = (double)c->v[AX_SPATIAL], depth = (double)c->v[AX_DEPTH];
    double wide = cin > cout ? cin : cout;
    double host = (cin + 2.0 * cout) * s * 4.0;
    double chain = depth > 1 ? 2.0 * wide * s * 4.0 : 0.0;
    double device = (cin + cout) * s * elem_bytes(c);
    double weights = cin * cout * depth * (4.0 + 2.0);
    return host + chain + device + weights;
}

const char *case_invalid_reason(const ab_case *c)
{
    for (int i = 0; i < AX_COUNT; i++)
        if (c->v[i] < ab_axes[i].min || c->v[i] > ab_axes[i].max)
            return "a parameter is out of its axis range";
    if (c->v[AX_DEPTH] > 1 && c->v[AX_CIN] != c->v[AX_COUT])
        return "depth>1 needs cin == cout";
    return NULL;
}
