/* axis.c: the axis table and the VALUES syntax of --axis and sweep files.
 *
 * VALUES is a comma-separated list of items; each item is one value or a
 * range: "lo..hi" (step 1), "lo..hi:step", "lo..hi*F" (geometric, factor F).
 * Enum axes (io, mode) take names only. Every value is checked against the
 * axis range, and every error names the axis and the offending token. */
#include "harness/axis.h"
#include "kernels/kernel_names.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A list longer than this is certainly a typo (sizes cap at 65536). */
#define AXIS_MAX_VALUES 65536
#define AXIS_TOKEN_SHOWN 40

static const char *const io_names[] = {"fp32", "fp16", NULL};
static const char *const mode_names[] = {"normal", "rt", "direct", NULL};
static const char *const pad_names[] = {"same", "valid", NULL};
static const char *const data_names[] = {"random", "zeros", "sparse50", "sparse90", NULL};

/* The kernel axis takes its names from the family table (kernels/kernel.c):
 * adding a family adds its name here without touching this file. */
const ab_axis_def ab_axes[AX_COUNT] = {
    [AX_KERNEL] = {"kernel", AXIS_ENUM, 0, AB_KERNEL_COUNT - 1, 0, ab_kernel_names, NULL,
                   "kernel family (the case key's first word): " AB_KERNEL_NAMES_TEXT, 1},
    [AX_CIN] = {"cin", AXIS_INT, 1, 65536, 256, NULL, "channels", "input channels of each layer", 0},
    [AX_COUT] = {"cout", AXIS_INT, 1, 65536, AB_AXIS_SAME, NULL, "channels",
                 "output channels (default: same as cin)", 0},
    [AX_KH] = {"kh", AXIS_INT, 1, 15, 3, NULL, "elements", "conv2d: kernel height", 1},
    [AX_KW] = {"kw", AXIS_INT, 1, 15, 3, NULL, "elements", "conv2d: kernel width", 1},
    [AX_H] = {"h", AXIS_INT, 1, 4096, 64, NULL, "elements", "conv2d, w8a8: input height", 1},
    [AX_W] = {"w", AXIS_INT, 1, 4096, 64, NULL, "elements", "conv2d, w8a8: input width", 1},
    [AX_PAD] = {"pad", AXIS_ENUM, 0, 1, AB_PAD_SAME, pad_names, NULL,
                "conv2d padding, stride 1: same (output h x w; odd kh, kw) | valid (h-kh+1 x w-kw+1)", 1},
    [AX_SPATIAL] = {"spatial", AXIS_INT, 1, 65536, 64, NULL, "elements",
                    "conv1x1, matmul: positions per channel S (matmul: rows of x)", 0},
    [AX_DEPTH] = {"depth", AXIS_INT, 1, 1024, 1, NULL, "layers",
                  "chained layers in one program (needs cin == cout when > 1)", 0},
    [AX_IO] = {"io", AXIS_ENUM, 0, 1, AB_IO_FP32, io_names, NULL, "input/output element type: fp32 | fp16",
               0},
    [AX_DATA] =
        {"data", AXIS_ENUM, 0, 3, AB_DATA_RANDOM, data_names, NULL,
         "weights and inputs: random (default, seeded) | zeros | sparse50 | sparse90 (that share zero)", 1},
    [AX_QOS] = {"qos", AXIS_INT, 0, 63, 21, NULL, NULL, "ANE request quality of service", 0},
    [AX_PROCEDURE] = {"procedure", AXIS_INT, 0, 15, 0, NULL, NULL, "ANE procedure index of the eval request",
                      0},
    [AX_MODE] = {"mode", AXIS_ENUM, 0, 2, AB_MODE_NORMAL, mode_names, NULL,
                 "eval path: normal | rt (real-time) | direct (_ANEClient doEvaluateDirect)", 0},
    [AX_THREADS] = {"threads", AXIS_INT, 0, 256, 0, NULL, "threads",
                    "BLAS threads, cpu backend only (0 = BLAS default)", 0},
};

int axis_find(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < AX_COUNT; i++)
        if (!strcmp(ab_axes[i].name, name))
            return i;
    return -1;
}

void axis_format_value(const ab_axis_def *a, long v, char *buf, size_t n)
{
    if (a->kind == AXIS_ENUM) {
        long count = 0;
        while (a->names[count])
            count++;
        snprintf(buf, n, "%s", v >= 0 && v < count ? a->names[v] : "?");
    } else if (v == AB_AXIS_SAME) {
        snprintf(buf, n, "same");
    } else {
        snprintf(buf, n, "%ld", v);
    }
}

/* Growable list of values. */
typedef struct vlist {
    long *v;
    size_t n, cap;
} vlist;

static int vlist_push(vlist *l, long x, const ab_axis_def *a, ab_err *e)
{
    if (l->n >= AXIS_MAX_VALUES)
        return ab_errf(e, AB_EUSAGE, "axis %s: more than %d values", a->name, AXIS_MAX_VALUES);
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        long *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv)
            return ab_errf(e, AB_EUSAGE, "axis %s: out of memory", a->name);
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = x;
    return 0;
}

/* Copies token [s, s+len) into buf for messages, trimmed and shortened. */
static const char *shown(const char *s, size_t len, char *buf, size_t n)
{
    if (len + 1 > n) {
        snprintf(buf, n, "%.*s...", (int)(n - 4), s);
        return buf;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

/* Parses a whole token as a decimal integer (optional sign). */
static int parse_long(const char *s, size_t len, long *out)
{
    char tmp[32];
    if (len == 0 || len >= sizeof tmp)
        return -1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)tmp[i]) && !(i == 0 && (tmp[i] == '-' || tmp[i] == '+')))
            return -1;
    errno = 0;
    char *end;
    long v = strtol(tmp, &end, 10);
    if (errno || *end || end == tmp)
        return -1;
    *out = v;
    return 0;
}

static int check_range(const ab_axis_def *a, long v, const char *tok, ab_err *e)
{
    if (v < a->min || v > a->max)
        return ab_errf(e, AB_EUSAGE, "axis %s: value %s out of range %ld..%ld", a->name, tok, a->min, a->max);
    return 0;
}

static int parse_enum_item(const ab_axis_def *a, const char *s, size_t len, vlist *l, ab_err *e)
{
    for (long i = 0; a->names[i]; i++)
        if (strlen(a->names[i]) == len && !strncmp(a->names[i], s, len))
            return vlist_push(l, i, a, e);
    char tok[AXIS_TOKEN_SHOWN + 1], names[128] = "";
    for (long i = 0; a->names[i]; i++) {
        if (i)
            strncat(names, " | ", sizeof names - strlen(names) - 1);
        strncat(names, a->names[i], sizeof names - strlen(names) - 1);
    }
    return ab_errf(e, AB_EUSAGE, "axis %s: unknown value '%s' (expected %s)", a->name,
                   shown(s, len, tok, sizeof tok), names);
}

/* One integer item: a value or a range. */
static int parse_int_item(const ab_axis_def *a, const char *s, size_t len, vlist *l, ab_err *e)
{
    char tok[AXIS_TOKEN_SHOWN + 1];
    const char *item = shown(s, len, tok, sizeof tok);
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == '.' && s[i + 1] == '.') {
            dots = s + i;
            break;
        }
    if (!dots) {
        long v;
        if (parse_long(s, len, &v))
            return ab_errf(e, AB_EUSAGE, "axis %s: '%s' is not an integer", a->name, item);
        if (check_range(a, v, item, e))
            return AB_EUSAGE;
        return vlist_push(l, v, a, e);
    }
    /* lo..hi[:step | *factor] */
    const char *hi_s = dots + 2, *end = s + len;
    const char *op = hi_s;
    while (op < end && *op != ':' && *op != '*')
        op++;
    long lo, hi, by = 1;
    char lt[AXIS_TOKEN_SHOWN + 1], ht[AXIS_TOKEN_SHOWN + 1];
    if (parse_long(s, (size_t)(dots - s), &lo))
        return ab_errf(e, AB_EUSAGE, "axis %s: range '%s' has a bad start '%s'", a->name, item,
                       shown(s, (size_t)(dots - s), lt, sizeof lt));
    if (parse_long(hi_s, (size_t)(op - hi_s), &hi))
        return ab_errf(e, AB_EUSAGE, "axis %s: range '%s' has a bad end '%s'", a->name, item,
                       shown(hi_s, (size_t)(op - hi_s), ht, sizeof ht));
    if (check_range(a, lo, shown(s, (size_t)(dots - s), lt, sizeof lt), e) ||
        check_range(a, hi, shown(hi_s, (size_t)(op - hi_s), ht, sizeof ht), e))
        return AB_EUSAGE;
    if (lo > hi)
        return ab_errf(e, AB_EUSAGE, "axis %s: range '%s' is empty (start > end)", a->name, item);
    int geometric = op < end && *op == '*';
    if (op < end) {
        if (parse_long(op + 1, (size_t)(end - op - 1), &by))
            return ab_errf(e, AB_EUSAGE, "axis %s: range '%s' has a bad %s '%s'", a->name, item,
                           geometric ? "factor" : "step",
                           shown(op + 1, (size_t)(end - op - 1), lt, sizeof lt));
        if (geometric && by < 2)
            return ab_errf(e, AB_EUSAGE, "axis %s: range '%s': factor %ld must be at least 2", a->name, item,
                           by);
        if (!geometric && by < 1)
            return ab_errf(e, AB_EUSAGE, "axis %s: range '%s': step %ld must be at least 1", a->name, item,
                           by);
        if (geometric && lo < 1)
            return ab_errf(e, AB_EUSAGE, "axis %s: range '%s': a geometric range must start at 1 or more",
                           a->name, item);
    }
    for (long v = lo;;) {
        if (vlist_push(l, v, a, e))
            return AB_EUSAGE;
        if (geometric) {
            if (v > hi / by)
                break;
            v *= by;
        } else {
            if (by > hi - v)
                break;
            v += by;
        }
        if (v > hi)
            break;
    }
    return 0;
}

int axis_parse_values(const ab_axis_def *a, const char *text, long **vals, size_t *n, ab_err *e)
{
    *vals = NULL;
    *n = 0;
    if (!text)
        text = "";
    vlist l = {0};
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        const char *s = p;
        while (s < end && isspace((unsigned char)*s))
            s++;
        const char *t = end;
        while (t > s && isspace((unsigned char)t[-1]))
            t--;
        size_t len = (size_t)(t - s);
        int rc;
        if (len == 0)
            rc = ab_errf(e, AB_EUSAGE, "axis %s: empty value in '%.*s'", a->name, AXIS_TOKEN_SHOWN, text);
        else if (a->kind == AXIS_ENUM)
            rc = parse_enum_item(a, s, len, &l, e);
        else
            rc = parse_int_item(a, s, len, &l, e);
        if (rc) {
            free(l.v);
            return AB_EUSAGE;
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    *vals = l.v;
    *n = l.n;
    return 0;
}
