/* ane_sim_compute.c: the simulated program's output (ane_sim_prog.h), in
 * fp16 arithmetic: fp16 input and weights, fp32 products and sums
 * (cblas_sgemm for big shapes), an fp16 result after every layer, the int8
 * quantization where the program has one.
 *
 * The simulator's output only has to be right where the harness reads it:
 * verification reads a seeded sample of output positions (kernel.h,
 * kernel_verify_positions), and computing the whole output of a big int8
 * chain costs the host tens of seconds a case for nothing. So, given the
 * positions, it computes just them and sets every other element to NaN
 * (so a reader of an uncomputed element fails verification, loudly):
 *   - a program whose layers after the first are position-wise (1x1 convs
 *     without padding, linear layers) runs on the gathered positions only;
 *   - a chain of k x k convs runs on the bounding rectangle of the
 *     positions and, layer by layer, on the part of the earlier layers it
 *     depends on (its cone), as the CPU reference does (kernels/chain.c);
 *   - anything else, or no positions given, computes the whole output.
 * The modelled times never depend on this: they come from the program's
 * FLOPs and bytes (ane_sim.c). */
#include "backends/ane_sim_prog.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backends/blas.h"
#include "kernels/fp16.h"
#include "harness/platform.h"

/* The input surface as the program reads it: element (row r, column c)
 * of the I/O layout, made fp16 as the engine takes it. Read one by one:
 * a partial computation reads only the elements it needs. */
typedef struct surf {
    const uint8_t *p;
    size_t cols, row, elem; /* elements per row, bytes per row, bytes per element */
} surf;

static float in_at(const surf *s, size_t flat)
{
    const uint8_t *q = s->p + (flat / s->cols) * s->row + (flat % s->cols) * s->elem;
    if (s->elem == 2) {
        uint16_t h;
        memcpy(&h, q, 2);
        return fp16_to_float(h);
    }
    float f;
    memcpy(&f, q, 4);
    return fp16_round(f);
}

/* Output element flat (I/O layout) of the result surface set to v. */
static void out_put(const sim_prog *m, uint8_t *res, size_t flat, float v)
{
    uint8_t *q = res + (flat / m->out_cols) * sim_prog_out_row(m) + (flat % m->out_cols) * m->out_elem;
    if (m->out_elem == 2) {
        uint16_t h = fp16_from_float(v);
        memcpy(q, &h, 2);
    } else {
        memcpy(q, &v, 4);
    }
}

/* Every element of the result surface NaN (row padding zero, as packed). */
static void out_nan(const sim_prog *m, uint8_t *res)
{
    size_t row = sim_prog_out_row(m), used = m->out_cols * m->out_elem;
    uint8_t pat[4];
    if (m->out_elem == 2) {
        uint16_t h = 0x7e00; /* fp16 quiet NaN */
        memcpy(pat, &h, 2);
    } else {
        float f = NAN;
        memcpy(pat, &f, 4);
    }
    for (size_t r = 0; r < m->out_rows; r++) {
        uint8_t *d = res + r * row;
        for (size_t i = 0; i < used; i += m->out_elem)
            memcpy(d + i, pat, m->out_elem);
        memset(d + used, 0, row - used);
    }
}

/* C = A B (A m x k, B k x n, C m x n with rows ldc apart, row-major; bt: B
 * stored n x k) in fp32, through cblas_sgemm when blas is set (the
 * caller decides for a whole layer: blocks of one layer sum alike), else a
 * plain loop: OpenBLAS's threads keep spinning for a while after a call and
 * would steal the CPU from the modelled waits that follow on a small
 * machine. */
static void gemm(const float *a, const float *b, float *c, size_t m, size_t k, size_t n, int bt, size_t ldc,
                 int blas)
{
    if (blas) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, bt ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, 1.0f, a,
                    (int)k, b, bt ? (int)k : (int)n, 0.0f, c, (int)ldc);
        return;
    }
    for (size_t i = 0; i < m; i++) {
        float *cr = c + i * ldc;
        memset(cr, 0, n * sizeof *cr);
        for (size_t p = 0; p < k; p++) {
            float av = a[i * k + p];
            if (bt)
                for (size_t j = 0; j < n; j++)
                    cr[j] += av * b[j * k + p];
            else
                for (size_t j = 0; j < n; j++)
                    cr[j] += av * b[p * n + j];
        }
    }
}

/* After a layer: fp16 result, then to int8 and back (round half to even,
 * saturate) where the program quantizes. */
static void finish_layer(const sim_layer *l, float *y, size_t n)
{
    fp16_round_floats(y, n);
    if (l->qscale > 0)
        for (size_t j = 0; j < n; j++) {
            float q = nearbyintf(y[j] / (float)l->qscale);
            q = q > 127.0f ? 127.0f : q < -128.0f ? -128.0f : q;
            y[j] = fp16_round(q * (float)l->qscale);
        }
}

static size_t layer_weights(const sim_layer *l)
{
    return l->cout * l->cin * l->kh * l->kw;
}

static int position_wise(const sim_layer *l)
{
    return l->op == SIM_OP_LINEAR ||
           (l->kh * l->kw == 1 && !l->pad_t && !l->pad_l && !l->pad_b && !l->pad_r);
}

/* A rectangle of a layer's positions (rows y0.., columns x0..). */
typedef struct srect {
    long y0, x0;
    size_t hh, ww;
} srect;

/* Scratch of the computation: activations x, y, a block of a layer's weights wf,
 * the unfolded input col. */
typedef struct scratch {
    float *x, *y, *wf, *col;
} scratch;

static void scratch_free(scratch *s)
{
    free(s->x), free(s->y), free(s->wf), free(s->col);
}

static int scratch_get(scratch *s, size_t act, size_t w, size_t col)
{
    memset(s, 0, sizeof *s);
    s->x = malloc((act ? act : 1) * sizeof *s->x);
    s->y = malloc((act ? act : 1) * sizeof *s->y);
    s->wf = malloc((w + 1) * sizeof *s->wf);
    s->col = col ? malloc(col * sizeof *s->col) : NULL;
    if (!s->x || !s->y || !s->wf || (col && !s->col)) {
        scratch_free(s);
        return -1;
    }
    return 0;
}

static void swap(scratch *s)
{
    float *t = s->x;
    s->x = s->y;
    s->y = t;
}

/* col [cin*kh*kw][ro] of input x (held on rect ri of an ih x iw image) for
 * the output positions of rect ro, zero outside the image (the padding). */
static void unfold_rect(const sim_layer *l, const float *x, srect ri, srect ro, float *col)
{
    size_t n = ro.hh * ro.ww;
    for (size_t i = 0; i < l->cin; i++)
        for (size_t dy = 0; dy < l->kh; dy++)
            for (size_t dx = 0; dx < l->kw; dx++) {
                float *row = col + ((i * l->kh + dy) * l->kw + dx) * n;
                for (size_t oy = 0; oy < ro.hh; oy++)
                    for (size_t ox = 0; ox < ro.ww; ox++) {
                        long y = ro.y0 + (long)(oy + dy) - (long)l->pad_t;
                        long xx = ro.x0 + (long)(ox + dx) - (long)l->pad_l;
                        row[oy * ro.ww + ox] =
                            y < 0 || xx < 0 || (size_t)y >= l->ih || (size_t)xx >= l->iw
                                ? 0.0f
                                : x[(i * ri.hh + (size_t)(y - ri.y0)) * ri.ww + (size_t)(xx - ri.x0)];
                    }
            }
}

/* Weights made fp32 per block of at most this many output channels' worth
 * (256 KiB): a whole 2048 x 2048 layer in fp32 is 16 MiB of fresh memory. */
#define SIM_BLOCK_WEIGHTS 65536

/* One layer over np positions: x holds its input ([cin*kh*kw][positions]
 * or, linear, [positions][cin]), y gets its output; w16 the layer's fp16
 * weights, made fp32 a block of output channels at a time in wf (room for
 * SIM_BLOCK_WEIGHTS, or one channel's if more). */
static void layer_gemm(const sim_layer *l, const uint16_t *w16, float *wf, const float *x, float *y, size_t np)
{
    size_t n = l->cin * l->kh * l->kw, rows = SIM_BLOCK_WEIGHTS / n;
    rows = rows < 1 ? 1 : rows > l->cout ? l->cout : rows;
    int blas = (double)l->cout * (double)n * (double)np > (double)(1 << 22);
    int threads = blas_serial_begin();
    for (size_t o0 = 0; o0 < l->cout; o0 += rows) {
        size_t m = l->cout - o0 < rows ? l->cout - o0 : rows;
        fp16_to_floats(w16 + o0 * n, wf, m * n);
        if (l->op == SIM_OP_LINEAR) /* Y [S][cout] = X [S][cin] W^T: columns o0.. */
            gemm(x, wf, y + o0, np, l->cin, m, 1, l->cout, blas);
        else
            gemm(wf, x, y + o0 * np, m, n, np, 0, np, blas);
    }
    blas_serial_end(threads);
}

/* Room the blocks of layer_gemm need. */
static size_t block_weights(const sim_layer *l)
{
    size_t n = l->cin * l->kh * l->kw;
    if (n > SIM_BLOCK_WEIGHTS)
        return n;
    return SIM_BLOCK_WEIGHTS < layer_weights(l) ? SIM_BLOCK_WEIGHTS : layer_weights(l);
}

/* The whole output: every layer on every position (rects of the whole image). */
static int compute_all(const sim_prog *m, const uint16_t *w, const float *in, float *out)
{
    size_t maxa = m->in_rows * m->in_cols, maxw = 0, maxb = 0, maxcol = 0;
    for (size_t i = 0; i < m->depth; i++) {
        const sim_layer *l = &m->layers[i];
        size_t a = l->cout * l->oh * l->ow, nl = layer_weights(l), c = l->cin * l->kh * l->kw * l->oh * l->ow;
        maxa = a > maxa ? a : maxa;
        maxw = nl > maxw ? nl : maxw;
        maxb = block_weights(l) > maxb ? block_weights(l) : maxb;
        if (!position_wise(l) && c > maxcol)
            maxcol = c;
    }
    if (maxa > (1u << 28) || maxw > (1u << 28) || maxcol > (1u << 28))
        return 1;
    scratch s;
    if (scratch_get(&s, maxa, maxb, maxcol))
        return -1;
    memcpy(s.x, in, m->in_rows * m->in_cols * sizeof *s.x);
    for (size_t i = 0; i < m->depth; i++) {
        const sim_layer *l = &m->layers[i];
        size_t nl = layer_weights(l), np = l->oh * l->ow;
        if (position_wise(l)) {
            layer_gemm(l, w, s.wf, s.x, s.y, np);
        } else {
            srect ri = {0, 0, l->ih, l->iw}, ro = {0, 0, l->oh, l->ow};
            unfold_rect(l, s.x, ri, ro, s.col);
            layer_gemm(l, w, s.wf, s.col, s.y, np);
        }
        w += nl;
        finish_layer(l, s.y, l->cout * np);
        swap(&s);
    }
    memcpy(out, s.x, m->out_rows * m->out_cols * sizeof *out);
    scratch_free(&s);
    return 0;
}

/* Final output element (channel o, position p) in the I/O layout. */
static size_t out_index(const sim_prog *m, size_t o, size_t p)
{
    const sim_layer *l = &m->layers[m->depth - 1];
    return m->token_major ? p * l->cout + o : o * (l->oh * l->ow) + p;
}

/* Layers after the first position-wise: layer 0 unfolded at the positions
 * (a gather for a 1x1 layer), the rest on those columns. */
static int compute_gather(const sim_prog *m, const uint16_t *w, const surf *in, const size_t *pos, size_t np,
                          uint8_t *res)
{
    size_t maxc = 0, maxw = 0;
    for (size_t i = 0; i < m->depth; i++) {
        const sim_layer *l = &m->layers[i];
        size_t c = (l->cin > l->cout ? l->cin : l->cout) * l->kh * l->kw, nb = block_weights(l);
        maxc = c > maxc ? c : maxc;
        maxw = nb > maxw ? nb : maxw;
    }
    scratch s;
    if (scratch_get(&s, maxc * np, maxw, 0))
        return -1;
    const sim_layer *l0 = &m->layers[0];
    if (l0->op == SIM_OP_LINEAR) {
        for (size_t j = 0; j < np; j++)
            for (size_t c = 0; c < l0->cin; c++)
                s.x[j * l0->cin + c] = in_at(in, pos[j] * l0->cin + c);
    } else {
        for (size_t i = 0; i < l0->cin; i++)
            for (size_t dy = 0; dy < l0->kh; dy++)
                for (size_t dx = 0; dx < l0->kw; dx++) {
                    float *row = s.x + ((i * l0->kh + dy) * l0->kw + dx) * np;
                    for (size_t j = 0; j < np; j++) {
                        long y = (long)(pos[j] / l0->ow + dy) - (long)l0->pad_t;
                        long x = (long)(pos[j] % l0->ow + dx) - (long)l0->pad_l;
                        row[j] = y < 0 || x < 0 || (size_t)y >= l0->ih || (size_t)x >= l0->iw
                                     ? 0.0f
                                     : in_at(in, (i * l0->ih + (size_t)y) * l0->iw + (size_t)x);
                    }
                }
    }
    for (size_t i = 0; i < m->depth; i++) {
        const sim_layer *l = &m->layers[i];
        size_t nl = layer_weights(l);
        layer_gemm(l, w, s.wf, s.x, s.y, np);
        w += nl;
        finish_layer(l, s.y, l->cout * np);
        swap(&s);
    }
    const sim_layer *ll = &m->layers[m->depth - 1];
    for (size_t o = 0; o < ll->cout; o++)
        for (size_t j = 0; j < np; j++)
            out_put(m, res, out_index(m, o, pos[j]), m->token_major ? s.x[j * ll->cout + o] : s.x[o * np + j]);
    scratch_free(&s);
    return 0;
}

/* A chain of convolutions on the bounding rectangle of the positions and
 * its cone in the earlier layers (clipped to each layer's image). */
static int compute_cone(const sim_prog *m, const uint16_t *w, const surf *in, const size_t *pos, size_t np,
                        uint8_t *res)
{
    size_t d = m->depth;
    const sim_layer *ll = &m->layers[d - 1];
    srect *rs = malloc((d + 1) * sizeof *rs);
    if (!rs)
        return -1;
    size_t y0 = SIZE_MAX, y1 = 0, x0 = SIZE_MAX, x1 = 0;
    for (size_t j = 0; j < np; j++) {
        size_t y = pos[j] / ll->ow, x = pos[j] % ll->ow;
        y0 = y < y0 ? y : y0, y1 = y > y1 ? y : y1;
        x0 = x < x0 ? x : x0, x1 = x > x1 ? x : x1;
    }
    rs[d] = (srect){(long)y0, (long)x0, y1 - y0 + 1, x1 - x0 + 1};
    size_t maxa = rs[d].hh * rs[d].ww * ll->cout, maxw = 0, maxcol = 0;
    for (size_t i = d; i-- > 0;) {
        const sim_layer *l = &m->layers[i];
        srect o = rs[i + 1];
        long ya = o.y0 - (long)l->pad_t, yb = o.y0 + (long)(o.hh + l->kh - 1) - (long)l->pad_t;
        long xa = o.x0 - (long)l->pad_l, xb = o.x0 + (long)(o.ww + l->kw - 1) - (long)l->pad_l;
        ya = ya < 0 ? 0 : ya, xa = xa < 0 ? 0 : xa;
        yb = yb > (long)l->ih ? (long)l->ih : yb, xb = xb > (long)l->iw ? (long)l->iw : xb;
        rs[i] = (srect){ya, xa, (size_t)(yb - ya), (size_t)(xb - xa)};
        size_t a = l->cin * rs[i].hh * rs[i].ww, c = l->cin * l->kh * l->kw * o.hh * o.ww;
        size_t nl = block_weights(l);
        size_t ao = l->cout * o.hh * o.ww;
        maxa = a > maxa ? a : maxa;
        maxa = ao > maxa ? ao : maxa;
        maxcol = c > maxcol ? c : maxcol;
        maxw = nl > maxw ? nl : maxw;
    }
    scratch s;
    if (scratch_get(&s, maxa, maxw, maxcol)) {
        free(rs);
        return -1;
    }
    const sim_layer *l0 = &m->layers[0];
    for (size_t i = 0; i < l0->cin; i++)
        for (size_t y = 0; y < rs[0].hh; y++)
            for (size_t x = 0; x < rs[0].ww; x++)
                s.x[(i * rs[0].hh + y) * rs[0].ww + x] =
                    in_at(in, (i * l0->ih + (size_t)rs[0].y0 + y) * l0->iw + (size_t)rs[0].x0 + x);
    for (size_t i = 0; i < d; i++) {
        const sim_layer *l = &m->layers[i];
        size_t nl = layer_weights(l), no = rs[i + 1].hh * rs[i + 1].ww;
        unfold_rect(l, s.x, rs[i], rs[i + 1], s.col);
        layer_gemm(l, w, s.wf, s.col, s.y, no);
        w += nl;
        finish_layer(l, s.y, l->cout * no);
        swap(&s);
    }
    srect f = rs[d];
    for (size_t o = 0; o < ll->cout; o++)
        for (size_t y = 0; y < f.hh; y++)
            for (size_t x = 0; x < f.ww; x++)
                out_put(m, res, out_index(m, o, ((size_t)f.y0 + y) * ll->ow + (size_t)f.x0 + x),
                        s.x[(o * f.hh + y) * f.ww + x]);
    scratch_free(&s);
    free(rs);
    return 0;
}

/* The whole output: the input unpacked, every layer on every position. */
static int compute_whole(const sim_prog *m, const uint16_t *w, const uint8_t *in, uint8_t *res)
{
    size_t nin = m->in_rows * m->in_cols, nout = m->out_rows * m->out_cols;
    float *x = ab_host_alloc((nin ? nin : 1) * sizeof *x);
    float *y = ab_host_alloc((nout ? nout : 1) * sizeof *y);
    int rc = -1;
    if (x && y) {
        ane_unpack_rows(in, m->in_rows, m->in_cols, m->in_elem, sim_prog_in_row(m), x);
        fp16_round_floats(x, nin);
        rc = compute_all(m, w, x, y);
        if (!rc)
            ane_pack_rows(y, m->out_rows, m->out_cols, m->out_elem, sim_prog_out_row(m), res);
    }
    free(x), free(y);
    return rc;
}

int sim_prog_compute(const sim_prog *m, const uint16_t *w, const uint8_t *in, const size_t *pos, size_t npos,
                     uint8_t *res, ab_err *e)
{
    size_t nlast = m->depth ? m->layers[m->depth - 1].oh * m->layers[m->depth - 1].ow : 0;
    for (size_t j = 0; pos && j < npos; j++)
        if (pos[j] >= nlast)
            pos = NULL; /* not positions of this program: compute it all */
    int later_pw = 1, all_conv = 1;
    for (size_t i = 0; i < m->depth; i++) {
        later_pw &= i == 0 || position_wise(&m->layers[i]);
        all_conv &= m->layers[i].op == SIM_OP_CONV;
    }
    surf s = {in, m->in_cols, sim_prog_in_row(m), m->in_elem};
    int rc;
    if (pos && !npos) { /* nobody reads it */
        out_nan(m, res);
        rc = 0;
    } else if (!pos || !m->depth || !(later_pw || all_conv)) {
        rc = compute_whole(m, w, in, res);
    } else {
        out_nan(m, res);
        rc = later_pw ? compute_gather(m, w, &s, pos, npos, res) : compute_cone(m, w, &s, pos, npos, res);
    }
    if (rc > 0)
        return ab_errf(e, AB_EFAIL, "program too large for the simulator to compute [simulated]");
    return rc ? ab_errf(e, AB_EFAIL, "out of memory computing the simulated output") : AB_OK;
}
