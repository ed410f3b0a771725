/* chain.c: what every kernel family shares (kernel.h): the seeded data of a
 * data pattern, the plain-C reference of a chain of k x k convolutions (a
 * 1x1 conv and a linear layer are the k = 1 case), and the check of a
 * backend's output against it, with the tolerance of docs/kernels.md.
 *
 * Data. Weights are uniform in [-1, 1) times sqrt(3/n), n = cin*kh*kw (so
 * variance 1/n: every layer keeps its input's magnitude and deep chains
 * stay near the input's rms 1/sqrt(3) instead of decaying into fp16 zeros);
 * inputs uniform in [-1, 1). Weights are drawn first, layer by layer in
 * storage order, then the input: for data=random this is exactly the draw
 * sequence of the 1x1 family before kernel families existed, so its seeds
 * and data are unchanged. zeros: all zero. sparseP: each weight and input
 * element is zero with probability P% (one extra draw decides), the kept
 * weights scaled by 1/sqrt(1-P) to keep the magnitude.
 *
 * Reference. Double accumulation and double intermediate layers. A region
 * of the final output (one position, or the whole output) is computed
 * through every layer on the part of each earlier layer it depends on (its
 * cone: kh-1, kw-1 wider per layer), zero outside each layer's extent
 * (padding). With quant.on the activations between layers are quantized
 * as the program does (round half to even, clamp to int8).
 *
 * Tolerance (u: unit roundoff, fp32 2^-24, fp16 2^-11; sigma: the largest
 * activation rms measured on the checked reference data; n = cin*kh*kw):
 *   fp32: tol = 8 u32 sigma d (sqrt(n) + 2)
 *   fp16: rms1 = u16 sigma sqrt((3 + n) / 3) per layer, in quadrature over
 *         layers; tol = 12 rms
 *   w8a8: the fp16 error delta reaching a quantizer flips an element to the
 *         next step q with probability about E|delta|/q, an error of q: the
 *         error after it has mean square delta^2 + min(0.8 q delta, q^2)
 *         (0.8 = sqrt(2/pi)); that goes on through the next layer with its
 *         own rms1 added in quadrature; tol = 12 times the final rms. */
#include "kernels/kernel.h"
#include "kernels/chain.h"
#include "kernels/fp16.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EXHAUSTIVE_MACS 16777216.0 /* 2^24 multiply-adds */
#define SAMPLE_ELEMS 4096
#define U32 5.9604644775390625e-08         /* 2^-24 */
#define U16 4.8828125e-04                  /* 2^-11 */
#define SIGMA_EXPECTED 0.57735026918962576 /* rms of U[-1,1): 1/sqrt(3) */

/* ---- data ---- */

/* Probability (in 1/100) that an element is zero under a pattern. */
static int zero_percent(int data)
{
    switch (data) {
    case AB_DATA_ZEROS: return 100;
    case AB_DATA_SPARSE50: return 50;
    case AB_DATA_SPARSE90: return 90;
    default: return 0;
    }
}

static float draw(ab_rng *r, int data, double scale)
{
    int zp = zero_percent(data);
    if (zp == 100)
        return 0.0f;
    double v = (2.0 * rng_uniform(r) - 1.0) * scale;
    if (zp == 0)
        return (float)v;
    if (rng_next(r) % 100 < (uint64_t)zp)
        return 0.0f;
    return (float)(v / sqrt(1.0 - zp / 100.0));
}

void chain_fill(ab_kernel *k, size_t nw, size_t nx)
{
    ab_rng r;
    rng_seed(&r, k->seed);
    double ws = sqrt(3.0 / (double)(k->cin * k->kh * k->kw));
    for (size_t i = 0; i < nw; i++)
        k->weights[i] = draw(&r, k->data, ws);
    int zp = zero_percent(k->data);
    for (size_t i = 0; i < nx; i++) {
        float x = zp == 100 ? 0.0f : (float)(2.0 * rng_uniform(&r) - 1.0);
        if (zp > 0 && zp < 100 && rng_next(&r) % 100 < (uint64_t)zp)
            x = 0.0f;
        k->input[i] = k->fp16_io ? fp16_round(x) : x;
    }
}

/* ---- reference ---- */

static double ref_elem1(const ab_kernel *k, size_t o, size_t pos);

typedef struct rect {
    long y0, x0;
    size_t hh, ww;
} rect;

static size_t pad_h(const ab_kernel *k)
{
    return k->pad == AB_PAD_SAME ? (k->kh - 1) / 2 : 0;
}

static size_t pad_w(const ab_kernel *k)
{
    return k->pad == AB_PAD_SAME ? (k->kw - 1) / 2 : 0;
}

/* The input rect of layer l that output rect o depends on. */
static rect rect_in(const ab_kernel *k, rect o)
{
    rect r = {o.y0 - (long)pad_h(k), o.x0 - (long)pad_w(k), o.hh + k->kh - 1, o.ww + k->kw - 1};
    return r;
}

static double input_at(const ab_kernel *k, size_t c, size_t pos)
{
    return k->token_major ? k->input[pos * k->cin + c] : k->input[c * k->spatial + pos];
}

static double quantize(const ab_kernel *k, double y)
{
    double q = nearbyint(y / k->quant.act_scale); /* the default rounding: half to even */
    if (q > 127)
        q = 127;
    if (q < -128)
        q = -128;
    return q * k->quant.act_scale;
}

/* Squared norms and element counts per activation (0 = input, l+1 =
 * layer l's output), for the tolerance's sigma. */
typedef struct stats {
    double *ssq, *cnt;
} stats;

/* Computes the final output on rect `fin` (depth layers). Returns a malloc'd
 * [cout][fin.hh][fin.ww] array of doubles, NULL when out of memory. */
static double *ref_region(const ab_kernel *k, rect fin, stats *st)
{
    size_t d = k->depth;
    rect *rs = malloc((d + 1) * sizeof *rs);
    if (!rs)
        return NULL;
    rs[d] = fin;
    for (size_t l = d; l-- > 0;)
        rs[l] = rect_in(k, rs[l + 1]);
    /* layer 0's input on rs[0], zero outside the image */
    size_t cin = k->cin, n0 = rs[0].hh * rs[0].ww;
    double *x = malloc(cin * n0 * sizeof *x);
    if (!x) {
        free(rs);
        return NULL;
    }
    for (size_t c = 0; c < cin; c++)
        for (size_t yy = 0; yy < rs[0].hh; yy++)
            for (size_t xx = 0; xx < rs[0].ww; xx++) {
                long y = rs[0].y0 + (long)yy, xc = rs[0].x0 + (long)xx;
                double v = 0;
                if (y >= 0 && xc >= 0 && (size_t)y < k->h && (size_t)xc < k->w) {
                    v = input_at(k, c, (size_t)y * k->w + (size_t)xc);
                    if (st) {
                        st->ssq[0] += v * v;
                        st->cnt[0] += 1;
                    }
                }
                x[(c * rs[0].hh + yy) * rs[0].ww + xx] = v;
            }
    size_t kh = k->kh, kw = k->kw, kk = cin * kh * kw;
    for (size_t l = 0; l < d; l++) {
        rect ri = rs[l], ro = rs[l + 1];
        size_t oh = kernel_out_h(k, l), ow = kernel_out_w(k, l), no = ro.hh * ro.ww;
        double *y = malloc(k->cout * no * sizeof *y);
        if (!y) {
            free(x);
            free(rs);
            return NULL;
        }
        const float *wl = k->weights + l * k->cout * kk;
        for (size_t o = 0; o < k->cout; o++)
            for (size_t yy = 0; yy < ro.hh; yy++)
                for (size_t xx = 0; xx < ro.ww; xx++) {
                    long py = ro.y0 + (long)yy, px = ro.x0 + (long)xx;
                    double acc = 0;
                    if (py >= 0 && px >= 0 && (size_t)py < oh && (size_t)px < ow) {
                        for (size_t i = 0; i < cin; i++)
                            for (size_t dy = 0; dy < kh; dy++) {
                                const double *xr = x + (i * ri.hh + yy + dy) * ri.ww + xx;
                                const float *wr = wl + ((o * cin + i) * kh + dy) * kw;
                                for (size_t dx = 0; dx < kw; dx++)
                                    acc += (double)wr[dx] * xr[dx];
                            }
                        if (k->quant.on && l + 1 < d)
                            acc = quantize(k, acc);
                        if (st) {
                            st->ssq[l + 1] += acc * acc;
                            st->cnt[l + 1] += 1;
                        }
                    }
                    y[(o * ro.hh + yy) * ro.ww + xx] = acc;
                }
        free(x);
        x = y;
    }
    free(rs);
    return x;
}

size_t chain_out_index(const ab_kernel *k, size_t o, size_t pos)
{
    return k->token_major ? pos * k->cout + o : o * (k->oh * k->ow) + pos;
}

double kernel_ref_at(const ab_kernel *k, size_t o, size_t pos)
{
    if (o >= k->cout || pos >= k->oh * k->ow)
        return NAN;
    if (k->depth == 1)
        return ref_elem1(k, o, pos);
    rect one = {(long)(pos / k->ow), (long)(pos % k->ow), 1, 1};
    double *y = ref_region(k, one, NULL);
    double v = y ? y[o] : NAN;
    free(y);
    return v;
}

void kernel_ref_all(const ab_kernel *k, float *out)
{
    rect all = {0, 0, k->oh, k->ow};
    double *y = ref_region(k, all, NULL);
    size_t np = k->oh * k->ow;
    for (size_t o = 0; o < k->cout; o++)
        for (size_t p = 0; p < np; p++)
            out[chain_out_index(k, o, p)] = y ? (float)y[o * np + p] : NAN;
    free(y);
}

/* ---- tolerance and verification ---- */

static double layer_rms16(const ab_kernel *k)
{
    double n = (double)(k->cin * k->kh * k->kw);
    return U16 * sqrt((3.0 + n) / 3.0);
}

/* The tolerance per unit of activation rms. */
static double tolerance_factor(const ab_kernel *k, int fp16)
{
    double d = (double)k->depth, n = (double)(k->cin * k->kh * k->kw);
    if (!fp16 && !k->quant.on)
        return 8.0 * U32 * d * (sqrt(n) + 2.0);
    double r1 = layer_rms16(k);
    if (!k->quant.on)
        return 12.0 * r1 * sqrt(d);
    /* relative to sigma: q in units of the expected rms */
    double q = k->quant.act_scale / SIGMA_EXPECTED, ms = r1 * r1;
    for (size_t l = 1; l < k->depth; l++) {
        double delta = sqrt(ms), flip = 0.8 * q * delta;
        ms = ms + (flip < q * q ? flip : q * q) + r1 * r1;
    }
    return 12.0 * sqrt(ms);
}

double kernel_tolerance(const ab_kernel *k, int fp16)
{
    return tolerance_factor(k, fp16) * SIGMA_EXPECTED;
}

static void note_error(double got, double want, double *max_err)
{
    double err = fabs(got - want);
    if (!(err <= *max_err))
        *max_err = isnan(err) || isinf(err) ? INFINITY : err;
}

/* Compares the whole output region `fin` (all cout outputs on it). */
static int verify_rect(const ab_kernel *k, const float *out, rect fin, stats *st, double *max_err,
                       size_t *checked)
{
    double *y = ref_region(k, fin, st);
    if (!y)
        return -1;
    for (size_t o = 0; o < k->cout; o++)
        for (size_t yy = 0; yy < fin.hh; yy++)
            for (size_t xx = 0; xx < fin.ww; xx++) {
                size_t pos = ((size_t)fin.y0 + yy) * k->ow + (size_t)fin.x0 + xx;
                note_error(out[chain_out_index(k, o, pos)], y[(o * fin.hh + yy) * fin.ww + xx], max_err);
            }
    *checked += k->cout * fin.hh * fin.ww;
    free(y);
    return 0;
}

/* One output element of a single layer, as its own dot product. */
static double ref_elem1(const ab_kernel *k, size_t o, size_t pos)
{
    size_t cin = k->cin, kh = k->kh, kw = k->kw;
    long oy = (long)(pos / k->ow), ox = (long)(pos % k->ow);
    double acc = 0;
    for (size_t i = 0; i < cin; i++)
        for (size_t dy = 0; dy < kh; dy++)
            for (size_t dx = 0; dx < kw; dx++) {
                long y = oy + (long)dy - (long)pad_h(k), x = ox + (long)dx - (long)pad_w(k);
                if (y < 0 || x < 0 || (size_t)y >= k->h || (size_t)x >= k->w)
                    continue;
                acc += (double)k->weights[((o * cin + i) * kh + dy) * kw + dx] *
                       input_at(k, i, (size_t)y * k->w + (size_t)x);
            }
    return acc;
}

void kernel_verify(const ab_kernel *k, const float *out, int fp16, ab_verify *v)
{
    memset(v, 0, sizeof *v);
    v->tolerance = kernel_tolerance(k, fp16);
    size_t d = k->depth;
    stats st = {calloc(d + 1, sizeof(double)), calloc(d + 1, sizeof(double))};
    if (!st.ssq || !st.cnt) {
        free(st.ssq);
        free(st.cnt);
        v->max_abs_err = INFINITY;
        return;
    }
    ab_rng r;
    rng_seed(&r, k->seed ^ 0x5eed5eed5eed5eedULL);
    double macs = 0;
    for (size_t l = 0; l < d; l++)
        macs += (double)k->cout * (double)(k->cin * k->kh * k->kw) * (double)kernel_out_h(k, l) *
                (double)kernel_out_w(k, l);
    size_t np = k->oh * k->ow;
    double max_err = 0;
    size_t checked = 0;
    int rc = 0;
    if (macs <= EXHAUSTIVE_MACS) {
        rect all = {0, 0, k->oh, k->ow};
        rc = verify_rect(k, out, all, &st, &max_err, &checked);
    } else if (d == 1) {
        /* random elements, each its own dot product; sigma from the whole input */
        size_t nx = k->cin * k->spatial;
        for (size_t i = 0; i < nx; i++)
            st.ssq[0] += (double)k->input[i] * k->input[i];
        st.cnt[0] = (double)nx;
        for (size_t i = 0; i < SAMPLE_ELEMS; i++) {
            size_t o = (size_t)(rng_next(&r) % k->cout), p = (size_t)(rng_next(&r) % np);
            double want = ref_elem1(k, o, p);
            st.ssq[1] += want * want;
            st.cnt[1] += 1;
            note_error(out[chain_out_index(k, o, p)], want, &max_err);
        }
        checked = SAMPLE_ELEMS;
    } else if (k->kh * k->kw > 1) {
        /* k x k chain: one random block of up to 8 x 8 output positions (all
         * channels); scattered positions would each pay for a cone widening
         * by kh-1, kw-1 a layer, a block shares one */
        size_t bh = k->oh < 8 ? k->oh : 8, bw = k->ow < 8 ? k->ow : 8;
        rect blk = {(long)(rng_next(&r) % (k->oh - bh + 1)), (long)(rng_next(&r) % (k->ow - bw + 1)), bh, bw};
        rc = verify_rect(k, out, blk, &st, &max_err, &checked);
    } else {
        /* whole random positions (every output channel of each): a chained
         * element needs its whole cone anyway */
        size_t ncols = (SAMPLE_ELEMS + k->cout - 1) / k->cout;
        if (ncols > np)
            ncols = np;
        size_t *cols = malloc(np * sizeof *cols);
        if (!cols)
            rc = -1;
        for (size_t i = 0; cols && i < np; i++)
            cols[i] = i;
        for (size_t i = 0; cols && i < ncols; i++) { /* partial Fisher-Yates */
            size_t j = i + (size_t)(rng_next(&r) % (np - i));
            size_t t = cols[i];
            cols[i] = cols[j];
            cols[j] = t;
        }
        for (size_t c = 0; cols && c < ncols && rc == 0; c++) {
            rect one = {(long)(cols[c] / k->ow), (long)(cols[c] % k->ow), 1, 1};
            rc = verify_rect(k, out, one, &st, &max_err, &checked);
        }
        free(cols);
    }
    double sigma = 0;
    for (size_t l = 0; l <= d; l++) {
        double rms = st.cnt[l] > 0 ? sqrt(st.ssq[l] / st.cnt[l]) : 0.0;
        if (rms > sigma)
            sigma = rms;
    }
    free(st.ssq);
    free(st.cnt);
    if (rc != 0) {
        v->max_abs_err = INFINITY;
        return;
    }
    v->tolerance = tolerance_factor(k, fp16) * sigma;
    v->max_abs_err = max_err;
    v->checked = checked;
    v->pass = max_err <= v->tolerance;
}
