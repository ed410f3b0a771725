/* kernel.c: the family table (rows in kernel_names.h), the seed of a case,
 * the seeded generator, and what every family's instance is built from:
 * its shape, sizes, data and case-level facts (FLOPs, bytes, memory). */
#include "kernels/kernel.h"
#include "kernels/chain.h"
#include "kernels/fp16.h"
#include "kernels/weightblob.h"
#include "harness/platform.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define AB_KERNEL_DECL_(n) extern const ab_kernel_ops ab_kernel_##n;
AB_KERNEL_FAMILIES(AB_KERNEL_DECL_)
#undef AB_KERNEL_DECL_

#define AB_KERNEL_ROW_(n) &ab_kernel_##n,
static const ab_kernel_ops *const families[AB_KERNEL_COUNT] = {AB_KERNEL_FAMILIES(AB_KERNEL_ROW_)};
#undef AB_KERNEL_ROW_

#define AB_KERNEL_NAME_(n) #n,
const char *const ab_kernel_names[] = {AB_KERNEL_FAMILIES(AB_KERNEL_NAME_) NULL};
#undef AB_KERNEL_NAME_

const ab_kernel_ops *kernel_family(const ab_case *c)
{
    long f = c->v[AX_KERNEL];
    return f >= 0 && f < AB_KERNEL_COUNT ? families[f] : families[0];
}

const ab_kernel_ops *kernel_find(const char *name)
{
    for (int i = 0; i < AB_KERNEL_COUNT; i++)
        if (!strcmp(families[i]->name, name))
            return families[i];
    return NULL;
}

/* ---- seeded generator (splitmix64) ---- */

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void rng_seed(ab_rng *r, uint64_t seed)
{
    r->s = seed;
}

uint64_t rng_next(ab_rng *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return mix64(r->s);
}

double rng_uniform(ab_rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t kernel_seed_for(const ab_case *c, uint64_t run_seed)
{
    char key[AB_KEY_MAX];
    case_key(c, key, sizeof key);
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a 64 */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return mix64(h ^ mix64(run_seed + 0x9e3779b97f4a7c15ULL));
}

/* ---- shape ---- */

size_t kernel_out_h(const ab_kernel *k, size_t l)
{
    if (k->pad == AB_PAD_SAME)
        return k->h;
    size_t shrink = (l + 1) * (k->kh - 1);
    return k->h > shrink ? k->h - shrink : 0;
}

size_t kernel_out_w(const ab_kernel *k, size_t l)
{
    if (k->pad == AB_PAD_SAME)
        return k->w;
    size_t shrink = (l + 1) * (k->kw - 1);
    return k->w > shrink ? k->w - shrink : 0;
}

/* The shape of case c without its data: family fields, then the derived. */
static void shape_of(const ab_case *c, ab_kernel *k)
{
    memset(k, 0, sizeof *k);
    k->c = *c;
    k->ops = kernel_family(c);
    k->fp16_io = c->v[AX_IO] == AB_IO_FP16;
    k->data = (int)c->v[AX_DATA];
    k->kh = k->kw = 1;
    k->h = 1;
    k->pad = AB_PAD_SAME;
    k->ops->shape(k);
    k->spatial = k->h * k->w;
    k->oh = k->depth ? kernel_out_h(k, k->depth - 1) : 0;
    k->ow = k->depth ? kernel_out_w(k, k->depth - 1) : 0;
    size_t in_pos = k->spatial, out_pos = k->oh * k->ow;
    k->in_rows = k->token_major ? in_pos : k->cin * k->h;
    k->in_cols = k->token_major ? k->cin : k->w;
    k->out_rows = k->token_major ? out_pos : k->cout * k->oh;
    k->out_cols = k->token_major ? k->cout : k->ow;
}

/* Why a case whose family does not use axis i has it off its default. */
static const char *const unused_axis[AX_COUNT] = {
    [AX_CIN] = "this kernel family has no axis cin (leave it at its default)",
    [AX_COUT] = "this kernel family has no axis cout (leave it at its default)",
    [AX_KH] = "this kernel family has no axis kh (leave it at its default)",
    [AX_KW] = "this kernel family has no axis kw (leave it at its default)",
    [AX_H] = "this kernel family has no axis h (leave it at its default)",
    [AX_W] = "this kernel family has no axis w (leave it at its default)",
    [AX_PAD] = "this kernel family has no axis pad (leave it at its default)",
    [AX_SPATIAL] = "this kernel family has no axis spatial (leave it at its default)",
};

const char *kernel_case_invalid(const ab_case *c)
{
    for (int i = 0; i < AX_COUNT; i++)
        if (c->v[i] < ab_axes[i].min || c->v[i] > ab_axes[i].max)
            return "a parameter is out of its axis range";
    const ab_kernel_ops *f = kernel_family(c);
    ab_case d;
    case_default(&d);
    for (int i = 0; i < AX_COUNT; i++)
        if (!(f->axes & AXBIT(i)) && c->v[i] != d.v[i] && !(i == AX_COUT && c->v[i] == c->v[AX_CIN]))
            return unused_axis[i] ? unused_axis[i] : "an axis this kernel family does not use is off its default";
    if (c->v[AX_DEPTH] > 1 && c->v[AX_CIN] != c->v[AX_COUT])
        return "depth>1 needs cin == cout";
    const char *why = f->invalid ? f->invalid(c) : NULL;
    if (why)
        return why;
    ab_kernel k;
    shape_of(c, &k);
    if (k.oh == 0 || k.ow == 0)
        return "pad=valid: the chain shrinks the input to nothing (h, w must exceed depth*(k-1))";
    return NULL;
}

static double elem_bytes(const ab_kernel *k)
{
    return k->fp16_io ? 2.0 : 4.0;
}

static double weights_per_layer(const ab_kernel *k)
{
    return (double)k->cout * (double)k->cin * (double)k->kh * (double)k->kw;
}

double kernel_case_flops(const ab_case *c)
{
    ab_kernel k;
    shape_of(c, &k);
    double f = 0;
    for (size_t l = 0; l < k.depth; l++)
        f += 2.0 * weights_per_layer(&k) * (double)kernel_out_h(&k, l) * (double)kernel_out_w(&k, l);
    return f;
}

double kernel_case_weight_bytes(const ab_case *c)
{
    ab_kernel k;
    shape_of(c, &k);
    return weights_per_layer(&k) * (double)k.depth * (k.quant.on ? 1.0 : 2.0);
}

double kernel_case_bytes(const ab_case *c)
{
    ab_kernel k;
    shape_of(c, &k);
    double io = ((double)k.cin * (double)k.spatial + (double)k.cout * (double)(k.oh * k.ow)) * elem_bytes(&k);
    return io + kernel_case_weight_bytes(c);
}

/* Host memory at most: the fp32 input, output and reference, for chains
 * two fp32 intermediate layers (and an im2col buffer k*k times the widest),
 * the same tensors in the io type for the device, and the weights as fp32,
 * fp16 and int8. A deliberate over-estimate: it only refuses what cannot fit. */
double kernel_case_mem_bytes(const ab_case *c)
{
    ab_kernel k;
    shape_of(c, &k);
    double cin = (double)k.cin, cout = (double)k.cout, s = (double)k.spatial, depth = (double)k.depth;
    double wide = cin > cout ? cin : cout, taps = (double)(k.kh * k.kw);
    double host = (cin + 2.0 * cout) * s * 4.0;
    double chain = depth > 1 ? 2.0 * wide * s * 4.0 : 0.0;
    double cols = taps > 1 ? taps * cin * s * 4.0 : 0.0;
    double device = (cin + cout) * s * elem_bytes(&k);
    double weights = weights_per_layer(&k) * depth * (4.0 + 2.0 + (k.quant.on ? 1.0 : 0.0));
    return host + chain + cols + device + weights;
}

/* ---- instances ---- */

static int mul_ok(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > SIZE_MAX / a)
        return 0;
    *out = a * b;
    return 1;
}

/* int8 weights: q = clamp(rne(w / s), -127, 127), s = fp16(max|w| / 127);
 * the reference then uses what the program's constexpr_affine_dequantize
 * makes of them: fp16(q * s). */
static void quantize_weights(ab_kernel *k, size_t nw)
{
    double bound = sqrt(3.0 / (double)(k->cin * k->kh * k->kw));
    if (k->data == AB_DATA_SPARSE50 || k->data == AB_DATA_SPARSE90)
        bound /= sqrt(k->data == AB_DATA_SPARSE50 ? 0.5 : 0.1);
    k->quant.wscale = fp16_round((float)(bound / 127.0));
    for (size_t i = 0; i < nw; i++) {
        double q = nearbyint(k->weights[i] / k->quant.wscale);
        q = q > 127 ? 127 : q < -127 ? -127 : q;
        k->quant.qweights[i] = (int8_t)q;
        k->weights[i] = (float)(q * k->quant.wscale);
    }
    fp16_round_floats(k->weights, nw);
}

int kernel_make(ab_kernel *k, const ab_case *c, uint64_t seed, ab_err *e)
{
    ab_case cc = *c;
    if (cc.v[AX_COUT] == AB_AXIS_SAME)
        cc.v[AX_COUT] = cc.v[AX_CIN];
    shape_of(&cc, k);
    const char *bad = kernel_case_invalid(&cc);
    if (k->cin == 0 || k->cout == 0 || k->spatial == 0 || k->depth == 0 || bad) {
        const char *why = bad ? bad : "sizes must be positive";
        memset(k, 0, sizeof *k);
        return ab_errf(e, AB_EUSAGE, "%s: %s", kernel_family(&cc)->name, why);
    }
    size_t nw, nx, tmp;
    if (!mul_ok(k->cout, k->cin, &nw) || !mul_ok(nw, k->kh * k->kw, &nw) || !mul_ok(nw, k->depth, &nw) ||
        !mul_ok(nw, sizeof(float), &tmp) || !mul_ok(k->cin, k->spatial, &nx) || !mul_ok(nx, sizeof(float), &tmp)) {
        memset(k, 0, sizeof *k);
        return ab_errf(e, AB_EUSAGE, "%s: the case is too large", kernel_family(&cc)->name);
    }
    k->seed = kernel_seed_for(&cc, seed);
    k->weights = ab_host_alloc(nw * sizeof(float)); /* huge pages: platform.h */
    k->input = ab_host_alloc(nx * sizeof(float));
    if (k->quant.on)
        k->quant.qweights = ab_host_alloc(nw);
    if (!k->weights || !k->input || (k->quant.on && !k->quant.qweights) || kernel_memo_new(k)) {
        kernel_free(k);
        return ab_errf(e, AB_EFAIL, "%s: out of memory for the case's data", kernel_family(&cc)->name);
    }
    chain_fill(k, nw, nx);
    if (k->quant.on)
        quantize_weights(k, nw);
    return AB_OK;
}

void kernel_free(ab_kernel *k)
{
    kernel_memo_free(k);
    free(k->weights);
    free(k->input);
    free(k->quant.qweights);
    k->weights = NULL;
    k->input = NULL;
    k->quant.qweights = NULL;
}

char *kernel_mil(const ab_kernel *k, ab_mil_target t, ab_weights_layout w)
{
    return k->ops->mil(k, t, w);
}

uint8_t *kernel_blob(const ab_kernel *k, size_t *len)
{
    return weightblob_build(k, len);
}

void kernel_weight_files_free(ab_weight_file *files, size_t n)
{
    for (size_t i = 0; files && i < n; i++)
        free(files[i].bytes);
    free(files);
}

int kernel_weight_files(const ab_kernel *k, ab_weights_layout w, ab_weight_file **files, size_t *n)
{
    size_t count = w == AB_WEIGHTS_PER_FILE ? k->depth : 1, off;
    ab_weight_file *f = count ? calloc(count, sizeof *f) : NULL;
    *files = NULL;
    *n = 0;
    if (!f)
        return -1;
    for (size_t i = 0; i < count; i++) {
        f[i].bytes = w == AB_WEIGHTS_PER_FILE ? weightblob_build_layer(k, i, &f[i].len)
                                              : weightblob_build(k, &f[i].len);
        if (!f[i].bytes || weightblob_ref(k, w, i, f[i].path, sizeof f[i].path, &off)) {
            kernel_weight_files_free(f, count);
            return -1;
        }
    }
    *files = f;
    *n = count;
    return 0;
}
