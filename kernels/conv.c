/* conv.c: the 1x1 convolution family's data, its plain-C reference, and the
 * check of a backend's output against it.
 *
 * Data. Weights are uniform in [-1, 1) times sqrt(3/cin) (variance 1/cin),
 * inputs uniform in [-1, 1) (pre-rounded to fp16 values when io=fp16). With
 * variance-1/cin weights each layer keeps the expected magnitude of its input
 * (E|y|^2 = E|x|^2), so the activations of every layer of a deep chain stay
 * near the input's rms, 1/sqrt(3), instead of shrinking geometrically into
 * fp16 zeros (zeros would make both the timing and the check meaningless).
 *
 * Tolerance. Let u be the unit roundoff (fp32: 2^-24, fp16: 2^-11) and
 * sigma the rms of the activations (the input's 1/sqrt(3) by construction in
 * conv_tolerance; the largest layer rms measured on the checked reference
 * columns in conv_verify). A rounding error has rms about u*|v|/sqrt(3).
 *  - fp32 (sgemm): only the cin-term accumulation rounds, a random walk of
 *    about u*sigma*sqrt(cin/6) per layer, and the backend's final rounding;
 *    taken linearly over depth and 8x for the tail of the largest of up to
 *    ~10^7 elements (about 5.7 sigma) plus margin:
 *        tol32 = 8 * u32 * sigma * depth * (sqrt(cin) + 2)
 *  - fp16 (ANE): per layer the input/activation, the weights and the output
 *    are each rounded to fp16 (3 terms of rms u*sigma/sqrt(3) each, since the
 *    weights keep the magnitude), and an fp16 accumulator (if the engine uses
 *    one) adds a random walk of about u*sigma*sqrt(cin/6); sequential fp16
 *    sums were measured at up to twice that, so the term is taken as
 *    u*sigma*sqrt(cin/3). Independent layers add in quadrature:
 *        rms16 = u16 * sigma * sqrt(depth * (3 + cin) / 3)
 *        tol16 = 12 * rms16   (5.7 for the tail of the max, ~2x margin)
 *    Emulated fp16 chains reach up to ~20% of tol16 with fp32 accumulation
 *    and up to ~55% with fp16 accumulation (cin 1..1024, depth 1..64);
 *    test_conv.c checks both on emulated fp16 outputs. */
#include "kernels/conv.h"
#include "kernels/fp16.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EXHAUSTIVE_MACS 16777216.0 /* 2^24 multiply-adds */
#define SAMPLE_ELEMS 4096
#define U32 5.9604644775390625e-08  /* 2^-24 */
#define U16 4.8828125e-04           /* 2^-11 */
#define SIGMA_EXPECTED 0.57735026918962576 /* rms of U[-1,1): 1/sqrt(3) */

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

uint64_t conv_seed_for(const ab_case *c, uint64_t run_seed)
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

/* ---- data ---- */

static int mul_ok(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > SIZE_MAX / a)
        return 0;
    *out = a * b;
    return 1;
}

int conv_make(ab_conv *k, const ab_case *c, uint64_t seed, ab_err *e)
{
    memset(k, 0, sizeof *k);
    long cin = c->v[AX_CIN], cout = c->v[AX_COUT], sp = c->v[AX_SPATIAL], depth = c->v[AX_DEPTH];
    if (cout == AB_AXIS_SAME)
        cout = cin;
    if (cin <= 0 || cout <= 0 || sp <= 0 || depth <= 0)
        return ab_errf(e, AB_EUSAGE, "conv: sizes must be positive (cin=%ld cout=%ld spatial=%ld depth=%ld)",
                       cin, cout, sp, depth);
    if (depth > 1 && cin != cout)
        return ab_errf(e, AB_EUSAGE, "depth=%ld: chained convs need cin == cout (cin=%ld cout=%ld)", depth,
                       cin, cout);
    size_t nw, nx;
    if (!mul_ok((size_t)cout, (size_t)cin, &nw) || !mul_ok(nw, (size_t)depth, &nw) ||
        !mul_ok(nw, sizeof(float), &(size_t){0}) || !mul_ok((size_t)cin, (size_t)sp, &nx) ||
        !mul_ok(nx, sizeof(float), &(size_t){0}))
        return ab_errf(e, AB_EUSAGE, "conv: cin=%ld cout=%ld spatial=%ld depth=%ld is too large", cin, cout,
                       sp, depth);
    k->c = *c;
    k->cin = (size_t)cin;
    k->cout = (size_t)cout;
    k->spatial = (size_t)sp;
    k->depth = (size_t)depth;
    k->fp16_io = c->v[AX_IO] == AB_IO_FP16;
    k->seed = conv_seed_for(c, seed);
    k->weights = malloc(nw * sizeof(float));
    k->input = malloc(nx * sizeof(float));
    if (!k->weights || !k->input) {
        conv_free(k);
        return ab_errf(e, AB_EFAIL, "conv: out of memory for cin=%ld cout=%ld spatial=%ld depth=%ld", cin,
                       cout, sp, depth);
    }
    ab_rng r;
    rng_seed(&r, k->seed);
    double ws = sqrt(3.0 / (double)cin);
    for (size_t i = 0; i < nw; i++)
        k->weights[i] = (float)((2.0 * rng_uniform(&r) - 1.0) * ws);
    for (size_t i = 0; i < nx; i++) {
        float x = (float)(2.0 * rng_uniform(&r) - 1.0);
        k->input[i] = k->fp16_io ? fp16_round(x) : x;
    }
    return AB_OK;
}

void conv_free(ab_conv *k)
{
    free(k->weights);
    free(k->input);
    k->weights = NULL;
    k->input = NULL;
}

/* ---- reference ---- */

/* Runs input column s through every layer in double. a and b hold
 * max(cin, cout) doubles each; returns the one holding the cout outputs.
 * If ssq is given, ssq[l] += the squared norm of layer l's input (l = 0) or
 * output (l = 1..depth). */
static const double *ref_column(const ab_conv *k, size_t s, double *a, double *b, double *ssq)
{
    size_t S = k->spatial, n = k->cin;
    double *x = a, *y = b, sum = 0;
    for (size_t i = 0; i < n; i++) {
        x[i] = k->input[i * S + s];
        sum += x[i] * x[i];
    }
    if (ssq)
        ssq[0] += sum;
    for (size_t l = 0; l < k->depth; l++) {
        const float *w = k->weights + l * k->cout * k->cin;
        sum = 0;
        for (size_t o = 0; o < k->cout; o++) {
            double acc = 0;
            for (size_t i = 0; i < k->cin; i++)
                acc += (double)w[o * k->cin + i] * x[i];
            y[o] = acc;
            sum += acc * acc;
        }
        if (ssq)
            ssq[l + 1] += sum;
        double *t = x;
        x = y;
        y = t;
    }
    return x;
}

static double *column_buffers(const ab_conv *k)
{
    size_t n = k->cin > k->cout ? k->cin : k->cout;
    return malloc(2 * n * sizeof(double));
}

double conv_ref_at(const ab_conv *k, size_t o, size_t s)
{
    if (o >= k->cout || s >= k->spatial)
        return NAN;
    if (k->depth == 1) {
        double acc = 0;
        const float *w = k->weights + o * k->cin;
        for (size_t i = 0; i < k->cin; i++)
            acc += (double)w[i] * k->input[i * k->spatial + s];
        return acc;
    }
    double *buf = column_buffers(k);
    if (!buf)
        return NAN;
    size_t n = k->cin > k->cout ? k->cin : k->cout;
    double v = ref_column(k, s, buf, buf + n, NULL)[o];
    free(buf);
    return v;
}

void conv_ref_all(const ab_conv *k, float *out)
{
    size_t S = k->spatial, n = k->cin > k->cout ? k->cin : k->cout;
    double *buf = column_buffers(k);
    for (size_t s = 0; s < S; s++) {
        const double *y = buf ? ref_column(k, s, buf, buf + n, NULL) : NULL;
        for (size_t o = 0; o < k->cout; o++)
            out[o * S + s] = y ? (float)y[o] : NAN;
    }
    free(buf);
}

/* ---- tolerance and verification ---- */

/* The tolerance per unit of activation rms (see the header comment). */
static double tolerance_factor(const ab_conv *k, int fp16)
{
    double d = (double)k->depth, n = (double)k->cin;
    if (fp16)
        return 12.0 * U16 * sqrt(d * (3.0 + n) / 3.0);
    return 8.0 * U32 * d * (sqrt(n) + 2.0);
}

double conv_tolerance(const ab_conv *k, int fp16)
{
    return tolerance_factor(k, fp16) * SIGMA_EXPECTED;
}

/* Worst error so far; a NaN or infinite output counts as infinitely wrong. */
static void note_error(double got, double want, double *max_err)
{
    double err = fabs(got - want);
    if (!(err <= *max_err))
        *max_err = isnan(err) || isinf(err) ? INFINITY : err;
}

/* Checks whole columns (every output of each): all of them, or ncols chosen
 * at random without repetition. Returns 0 or -1 (out of memory). */
static int verify_columns(const ab_conv *k, const float *out, size_t ncols, ab_rng *r, double *ssq,
                          double *max_err, size_t *checked)
{
    size_t S = k->spatial, n = k->cin > k->cout ? k->cin : k->cout;
    double *buf = column_buffers(k);
    size_t *cols = ncols < S ? malloc(S * sizeof *cols) : NULL;
    if (!buf || (ncols < S && !cols)) {
        free(buf);
        free(cols);
        return -1;
    }
    if (cols) { /* partial Fisher-Yates: the first ncols entries */
        for (size_t i = 0; i < S; i++)
            cols[i] = i;
        for (size_t i = 0; i < ncols; i++) {
            size_t j = i + (size_t)(rng_next(r) % (S - i));
            size_t t = cols[i];
            cols[i] = cols[j];
            cols[j] = t;
        }
    }
    for (size_t c = 0; c < ncols; c++) {
        size_t s = cols ? cols[c] : c;
        const double *y = ref_column(k, s, buf, buf + n, ssq);
        for (size_t o = 0; o < k->cout; o++)
            note_error(out[o * S + s], y[o], max_err);
        *checked += k->cout;
    }
    free(buf);
    free(cols);
    return 0;
}

/* depth 1, large: SAMPLE_ELEMS random elements, each its own dot product. */
static void verify_elements(const ab_conv *k, const float *out, ab_rng *r, double *ssq, double *max_err,
                            size_t *checked)
{
    size_t S = k->spatial;
    for (size_t i = 0; i < k->cin * S; i++)
        ssq[0] += (double)k->input[i] * k->input[i];
    for (size_t i = 0; i < SAMPLE_ELEMS; i++) {
        size_t o = (size_t)(rng_next(r) % k->cout), s = (size_t)(rng_next(r) % S);
        double want = conv_ref_at(k, o, s);
        ssq[1] += want * want * (double)k->cout; /* scaled to a column's norm */
        note_error(out[o * S + s], want, max_err);
    }
    *checked = SAMPLE_ELEMS;
}

void conv_verify(const ab_conv *k, const float *out, int fp16, ab_verify *v)
{
    memset(v, 0, sizeof *v);
    v->tolerance = conv_tolerance(k, fp16);
    double *ssq = calloc(k->depth + 1, sizeof *ssq);
    if (!ssq) {
        v->max_abs_err = INFINITY;
        return;
    }
    ab_rng r;
    rng_seed(&r, k->seed ^ 0x5eed5eed5eed5eedULL);
    double macs = (double)k->cout * (double)k->spatial * (double)k->cin * (double)k->depth;
    double max_err = 0;
    size_t checked = 0, ncols = 0; /* columns whose norms are in ssq */
    int rc = 0;
    if (macs <= EXHAUSTIVE_MACS) {
        ncols = k->spatial;
        rc = verify_columns(k, out, ncols, &r, ssq, &max_err, &checked);
    } else if (k->depth == 1) {
        verify_elements(k, out, &r, ssq, &max_err, &checked);
    } else {
        ncols = (SAMPLE_ELEMS + k->cout - 1) / k->cout;
        if (ncols > k->spatial)
            ncols = k->spatial;
        rc = verify_columns(k, out, ncols, &r, ssq, &max_err, &checked);
    }
    if (rc != 0) {
        free(ssq);
        v->max_abs_err = INFINITY;
        return;
    }
    /* sigma: the largest per-layer activation rms among the checked data. */
    double sigma = 0;
    for (size_t l = 0; l <= k->depth; l++) {
        double width = (double)(l == 0 ? k->cin : k->cout);
        double cols = (double)(ncols ? ncols : (l == 0 ? k->spatial : SAMPLE_ELEMS));
        double rms = sqrt(ssq[l] / (width * cols));
        if (rms > sigma)
            sigma = rms;
    }
    free(ssq);
    v->tolerance = tolerance_factor(k, fp16) * sigma;
    v->max_abs_err = max_err;
    v->checked = checked;
    v->pass = max_err <= v->tolerance;
}
