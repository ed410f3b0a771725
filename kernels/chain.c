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
#include "backends/blas.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EXHAUSTIVE_MACS 16777216.0 /* 2^24 multiply-adds */
#define SAMPLE_ELEMS 4096
/* What checking one layer may cost, 2^24 as for checking every element: a
 * verification of 2^26 was 3% of a quick cpu sweep's wall time (issue 12). */
#define COLS_MACS 16777216.0
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
        k->input[i] = x;
    }
    if (k->fp16_io)
        fp16_round_floats(k->input, nx);
}

const char *chain_invalid_2d(const ab_case *c)
{
    if (c->v[AX_PAD] == AB_PAD_SAME && (c->v[AX_KH] % 2 == 0 || c->v[AX_KW] % 2 == 0))
        return "pad=same needs odd kh and kw (even kernels have no centred padding)";
    return NULL;
}

void chain_shape_2d(ab_kernel *k)
{
    k->cin = (size_t)k->c.v[AX_CIN];
    k->cout = (size_t)k->c.v[AX_COUT];
    k->depth = (size_t)k->c.v[AX_DEPTH];
    k->h = (size_t)k->c.v[AX_H];
    k->w = (size_t)k->c.v[AX_W];
    k->kh = (size_t)k->c.v[AX_KH];
    k->kw = (size_t)k->c.v[AX_KW];
    k->pad = (int)k->c.v[AX_PAD];
}

/* ---- reference ---- */

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

/* Weights converted to double per block of at most this many (256 KiB): a
 * whole 2048 x 2048 layer in double is 32 MiB of fresh memory, whose page
 * faults cost more than the product. */
#define REF_BLOCK_WEIGHTS 32768

/* One layer in double: y [cout][no] = W_l [cout][n] col [n][no] (n =
 * cin*kh*kw), through cblas_dgemm, a block of output channels at a time.
 * -1 when out of memory. */
static int layer_ref(const ab_kernel *k, size_t l, const double *col, size_t no, double *y)
{
    size_t n = k->cin * k->kh * k->kw, rows = REF_BLOCK_WEIGHTS / n;
    rows = rows < 1 ? 1 : rows > k->cout ? k->cout : rows;
    double *wd = malloc(rows * n * sizeof *wd);
    if (!wd)
        return -1;
    const float *wl = k->weights + l * k->cout * n;
    int threads = blas_serial_begin();
    for (size_t o0 = 0; o0 < k->cout; o0 += rows) {
        size_t m = k->cout - o0 < rows ? k->cout - o0 : rows;
        for (size_t i = 0; i < m * n; i++)
            wd[i] = wl[o0 * n + i];
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)no, (int)n, 1.0, wd, (int)n, col,
                    (int)no, 0.0, y + o0 * no, (int)no);
    }
    blas_serial_end(threads);
    free(wd);
    return 0;
}

/* After layer l: the quantization between layers, and the statistics. */
static void layer_after(const ab_kernel *k, size_t l, double *y, stats *st)
{
    if (k->quant.on && l + 1 < k->depth)
        *y = quantize(k, *y);
    if (st) {
        st->ssq[l + 1] += *y * *y;
        st->cnt[l + 1] += 1;
    }
}

/* Height and width of layer l's input. */
static size_t in_h(const ab_kernel *k, size_t l)
{
    return l ? kernel_out_h(k, l - 1) : k->h;
}

static size_t in_w(const ab_kernel *k, size_t l)
{
    return l ? kernel_out_w(k, l - 1) : k->w;
}

/* Computes the final output on rect `fin` (depth layers), each layer on the
 * part of its input the rect depends on (clipped to the layer's extent:
 * beyond it lies the zero padding). Returns a malloc'd [cout][fin.hh][fin.ww]
 * array of doubles, NULL when out of memory. */
static double *ref_region(const ab_kernel *k, rect fin, stats *st)
{
    size_t d = k->depth;
    rect *rs = malloc((d + 1) * sizeof *rs);
    if (!rs)
        return NULL;
    rs[d] = fin;
    for (size_t l = d; l-- > 0;) {
        rect r = rect_in(k, rs[l + 1]);
        long y1 = r.y0 + (long)r.hh, x1 = r.x0 + (long)r.ww;
        r.y0 = r.y0 < 0 ? 0 : r.y0;
        r.x0 = r.x0 < 0 ? 0 : r.x0;
        y1 = y1 > (long)in_h(k, l) ? (long)in_h(k, l) : y1;
        x1 = x1 > (long)in_w(k, l) ? (long)in_w(k, l) : x1;
        r.hh = (size_t)(y1 - r.y0);
        r.ww = (size_t)(x1 - r.x0);
        rs[l] = r;
    }
    /* layer 0's input on rs[0] */
    size_t cin = k->cin, n0 = rs[0].hh * rs[0].ww;
    double *x = malloc(cin * n0 * sizeof *x);
    if (!x) {
        free(rs);
        return NULL;
    }
    for (size_t c = 0; c < cin; c++)
        for (size_t yy = 0; yy < rs[0].hh; yy++)
            for (size_t xx = 0; xx < rs[0].ww; xx++) {
                double v = input_at(k, c, ((size_t)rs[0].y0 + yy) * k->w + (size_t)rs[0].x0 + xx);
                if (st) {
                    st->ssq[0] += v * v;
                    st->cnt[0] += 1;
                }
                x[(c * rs[0].hh + yy) * rs[0].ww + xx] = v;
            }
    size_t kh = k->kh, kw = k->kw, kk = cin * kh * kw;
    for (size_t l = 0; l < d; l++) {
        rect ri = rs[l], ro = rs[l + 1];
        size_t no = ro.hh * ro.ww;
        double *y = malloc(k->cout * no * sizeof *y), *col = malloc(kk * no * sizeof *col);
        if (!y || !col) {
            free(y), free(col), free(x), free(rs);
            return NULL;
        }
        for (size_t i = 0; i < cin; i++)
            for (size_t dy = 0; dy < kh; dy++)
                for (size_t dx = 0; dx < kw; dx++) {
                    double *row = col + ((i * kh + dy) * kw + dx) * no;
                    for (size_t yy = 0; yy < ro.hh; yy++)
                        for (size_t xx = 0; xx < ro.ww; xx++) {
                            long py = ro.y0 + (long)(yy + dy) - (long)pad_h(k);
                            long px = ro.x0 + (long)(xx + dx) - (long)pad_w(k);
                            int in = py >= ri.y0 && px >= ri.x0 && py < ri.y0 + (long)ri.hh &&
                                     px < ri.x0 + (long)ri.ww;
                            row[yy * ro.ww + xx] =
                                in ? x[(i * ri.hh + (size_t)(py - ri.y0)) * ri.ww + (size_t)(px - ri.x0)] : 0.0;
                        }
                }
        int rc = layer_ref(k, l, col, no, y);
        free(col);
        free(x);
        if (rc) {
            free(y), free(rs);
            return NULL;
        }
        for (size_t i = 0; i < k->cout * no; i++)
            layer_after(k, l, &y[i], st);
        x = y;
    }
    free(rs);
    return x;
}

/* Computes the final output at positions pos[0..np) (every channel), for a
 * chain whose layers after the first keep positions apart (kh = kw = 1, or
 * one layer): layer 0 at each position's k x k window, the rest on those
 * columns. A malloc'd [cout][np] array of doubles, NULL when out of memory. */
static double *ref_positions(const ab_kernel *k, const size_t *pos, size_t np, stats *st)
{
    size_t cin = k->cin, kh = k->kh, kw = k->kw, n = cin * kh * kw, ow0 = kernel_out_w(k, 0);
    size_t rows = n > k->cout ? n : k->cout;
    double *x = malloc(rows * np * sizeof *x), *y = malloc(rows * np * sizeof *y);
    if (!x || !y) {
        free(x), free(y);
        return NULL;
    }
    for (size_t i = 0; i < cin; i++)
        for (size_t dy = 0; dy < kh; dy++)
            for (size_t dx = 0; dx < kw; dx++)
                for (size_t j = 0; j < np; j++) {
                    long yy = (long)(pos[j] / ow0 + dy) - (long)pad_h(k);
                    long xx = (long)(pos[j] % ow0 + dx) - (long)pad_w(k);
                    double v = 0;
                    if (yy >= 0 && xx >= 0 && (size_t)yy < k->h && (size_t)xx < k->w) {
                        v = input_at(k, i, (size_t)yy * k->w + (size_t)xx);
                        if (st) {
                            st->ssq[0] += v * v;
                            st->cnt[0] += 1;
                        }
                    }
                    x[((i * kh + dy) * kw + dx) * np + j] = v;
                }
    for (size_t l = 0; l < k->depth; l++) {
        if (layer_ref(k, l, x, np, y)) {
            free(x), free(y);
            return NULL;
        }
        for (size_t i = 0; i < k->cout * np; i++)
            layer_after(k, l, &y[i], st);
        double *t = x;
        x = y;
        y = t;
    }
    free(y);
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
    if (k->depth == 1 || k->kh * k->kw == 1) {
        double *y = ref_positions(k, &pos, 1, NULL);
        double v = y ? y[o] : NAN;
        free(y);
        return v;
    }
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

/* What kernel_verify reads, drawn from the case's seed (so the simulator
 * can compute just that, kernel_verify_positions): the whole output when
 * it is cheap; for a k x k chain one random block of up to 8 x 8 output
 * positions (all channels: scattered positions would each pay for a cone
 * widening by kh-1, kw-1 a layer, a block shares one); else (one layer, or
 * a chain of 1x1 layers) whole random positions, every output channel of
 * each (a chained element needs its whole cone anyway): at least
 * SAMPLE_ELEMS elements, and for one layer as many more positions as
 * COLS_MACS multiply-adds buy. */
typedef enum { PLAN_ALL, PLAN_BLOCK, PLAN_COLS } plan_kind;

typedef struct plan {
    plan_kind kind;
    size_t n;  /* COLS: positions */
    size_t *p; /* COLS: the positions */
    rect blk;  /* ALL, BLOCK */
} plan;

static int make_plan(const ab_kernel *k, plan *pl)
{
    memset(pl, 0, sizeof *pl);
    ab_rng r;
    rng_seed(&r, k->seed ^ 0x5eed5eed5eed5eedULL);
    double macs = 0;
    for (size_t l = 0; l < k->depth; l++)
        macs += (double)k->cout * (double)(k->cin * k->kh * k->kw) * (double)kernel_out_h(k, l) *
                (double)kernel_out_w(k, l);
    size_t np = k->oh * k->ow;
    if (macs <= EXHAUSTIVE_MACS) {
        pl->kind = PLAN_ALL;
        pl->blk = (rect){0, 0, k->oh, k->ow};
    } else if (k->depth > 1 && k->kh * k->kw > 1) {
        size_t bh = k->oh < 8 ? k->oh : 8, bw = k->ow < 8 ? k->ow : 8;
        pl->kind = PLAN_BLOCK;
        pl->blk.y0 = (long)(rng_next(&r) % (k->oh - bh + 1));
        pl->blk.x0 = (long)(rng_next(&r) % (k->ow - bw + 1));
        pl->blk.hh = bh;
        pl->blk.ww = bw;
    } else {
        size_t ncols = (SAMPLE_ELEMS + k->cout - 1) / k->cout;
        if (k->depth == 1 && COLS_MACS / macs * (double)np > (double)ncols)
            ncols = (size_t)(COLS_MACS / macs * (double)np);
        if (ncols > np)
            ncols = np;
        pl->kind = PLAN_COLS;
        pl->n = ncols;
        size_t *cols = malloc(np * sizeof *cols);
        if (!cols)
            return -1;
        for (size_t i = 0; i < np; i++)
            cols[i] = i;
        for (size_t i = 0; i < ncols; i++) { /* partial Fisher-Yates */
            size_t j = i + (size_t)(rng_next(&r) % (np - i));
            size_t t = cols[i];
            cols[i] = cols[j];
            cols[j] = t;
        }
        pl->p = cols;
    }
    return 0;
}

static void free_plan(plan *pl)
{
    free(pl->p);
    memset(pl, 0, sizeof *pl);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

int kernel_verify_positions(const ab_kernel *k, size_t **pos, size_t *n)
{
    *pos = NULL;
    *n = 0;
    if (k->output_unread) /* nothing: an empty list, not NULL (that is all) */
        return (*pos = malloc(sizeof **pos)) ? 0 : -1;
    plan pl;
    if (make_plan(k, &pl)) {
        free_plan(&pl);
        return -1;
    }
    if (pl.kind == PLAN_ALL)
        return 0;
    size_t m = pl.kind == PLAN_BLOCK ? pl.blk.hh * pl.blk.ww : pl.n;
    size_t *v = malloc((m ? m : 1) * sizeof *v);
    if (!v) {
        free_plan(&pl);
        return -1;
    }
    if (pl.kind == PLAN_BLOCK)
        for (size_t yy = 0; yy < pl.blk.hh; yy++)
            for (size_t xx = 0; xx < pl.blk.ww; xx++)
                v[yy * pl.blk.ww + xx] = ((size_t)pl.blk.y0 + yy) * k->ow + (size_t)pl.blk.x0 + xx;
    else
        memcpy(v, pl.p, m * sizeof *v);
    free_plan(&pl);
    qsort(v, m, sizeof *v, cmp_size);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
        if (!u || v[u - 1] != v[i])
            v[u++] = v[i];
    *pos = v;
    *n = u;
    return 0;
}

void kernel_verify(const ab_kernel *k, const float *out, int fp16, ab_verify *v)
{
    memset(v, 0, sizeof *v);
    v->tolerance = kernel_tolerance(k, fp16);
    size_t d = k->depth;
    stats st = {calloc(d + 1, sizeof(double)), calloc(d + 1, sizeof(double))};
    plan pl;
    int rc = make_plan(k, &pl);
    if (!st.ssq || !st.cnt || rc) {
        free(st.ssq);
        free(st.cnt);
        free_plan(&pl);
        v->max_abs_err = INFINITY;
        return;
    }
    double max_err = 0;
    size_t checked = 0;
    if (pl.kind == PLAN_ALL || pl.kind == PLAN_BLOCK) {
        rc = verify_rect(k, out, pl.blk, &st, &max_err, &checked);
    } else {
        double *y = ref_positions(k, pl.p, pl.n, &st);
        if (!y)
            rc = -1;
        for (size_t o = 0; y && o < k->cout; o++)
            for (size_t j = 0; j < pl.n; j++)
                note_error(out[chain_out_index(k, o, pl.p[j])], y[o * pl.n + j], &max_err);
        checked = y ? k->cout * pl.n : 0;
        free(y);
    }
    free_plan(&pl);
    /* sigma: a rounding error is relative to the value rounded, and what a
     * layer adds travels on through the later layers as the signal does, so
     * at the output each layer's share scales with the output's rms: that
     * is sigma, else a chain whose signal fades (same padding on a small
     * image loses some at the borders every layer) would be checked against
     * its input's magnitude and pass an all-zero output. A quantized
     * chain's error is absolute (a step of act_scale): the largest rms of
     * any layer. */
    double sigma = 0;
    for (size_t l = k->quant.on ? 0 : d; l <= d; l++) {
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
