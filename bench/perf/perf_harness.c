/* perf_harness.c: the harness's own speed targets, measured side by side.
 *
 *  1. The harness floor: the null backend's eval median per sample (the cost
 *     of timing one eval: two clock reads and a call), next to the clock's
 *     own cost. Target: at most 100 ns.
 *  2. The cpu backend's GFLOPS against a bare cblas_sgemm loop on the same
 *     shapes (cin = cout in 256..2048, spatial 64..1024), as a ratio, A and
 *     B interleaved in rounds so drift on a shared machine hits both. Target:
 *     at least 0.97.
 * Usage: anebench_perf [--quick] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/blas.h"

#include "backends/backend.h"
#include "harness/clock.h"
#include "harness/record.h"
#include "harness/runner.h"
#include "harness/settings.h"
#include "kernels/kernel.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *x, size_t n)
{
    qsort(x, n, sizeof *x, cmp_double);
    return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* Bare loop: the same sgemm as the cpu engine, each call timed alone, for
 * about secs seconds; returns GFLOPS from the median call. */
static double bare_gflops(size_t ch, size_t sp, double secs)
{
    float *w = malloc(ch * ch * sizeof *w), *x = malloc(ch * sp * sizeof *x), *y = malloc(ch * sp * sizeof *y);
    for (size_t i = 0; i < ch * ch; i++)
        w[i] = (float)((i * 7919) % 1000) / 1000.0f - 0.5f;
    for (size_t i = 0; i < ch * sp; i++)
        x[i] = (float)((i * 104729) % 1000) / 1000.0f - 0.5f;
    size_t cap = 1 << 16, n = 0;
    double *t = malloc(cap * sizeof *t);
    for (int i = 0; i < 3; i++) /* warm-up */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)ch, (int)sp, (int)ch, 1.0f, w, (int)ch, x,
                    (int)sp, 0.0f, y, (int)sp);
    uint64_t start = ab_now_ns();
    while (n < cap && (double)(ab_now_ns() - start) / 1e9 < secs) {
        uint64_t t0 = ab_now_ns();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)ch, (int)sp, (int)ch, 1.0f, w, (int)ch, x,
                    (int)sp, 0.0f, y, (int)sp);
        t[n++] = (double)(ab_now_ns() - t0);
    }
    double g = 2.0 * (double)ch * (double)ch * (double)sp / median(t, n);
    free(t);
    free(w);
    free(x);
    free(y);
    return g;
}

/* Bare 3x3 conv, same padding, on ch x n x n: unfold (im2col) then one
 * sgemm, the pair timed per call as the cpu engine's eval does. */
static void bare_im2col(const float *x, size_t ch, size_t n, float *col)
{
    for (size_t i = 0; i < ch; i++)
        for (size_t dy = 0; dy < 3; dy++)
            for (size_t dx = 0; dx < 3; dx++) {
                float *row = col + ((i * 3 + dy) * 3 + dx) * n * n;
                for (size_t oy = 0; oy < n; oy++)
                    for (size_t ox = 0; ox < n; ox++) {
                        long y = (long)(oy + dy) - 1, xx = (long)(ox + dx) - 1;
                        row[oy * n + ox] = y < 0 || xx < 0 || y >= (long)n || xx >= (long)n
                                               ? 0.0f
                                               : x[(i * n + (size_t)y) * n + (size_t)xx];
                    }
            }
}

/* kind 0: 3x3 conv (ch channels on sp x sp); 1: matmul X [sp][ch] W^T. */
static double bare_family_gflops(int kind, size_t ch, size_t sp, double secs)
{
    size_t np = kind ? sp : sp * sp, kk = kind ? ch : ch * 9;
    float *w = malloc(ch * kk * sizeof *w), *x = malloc(ch * np * sizeof *x), *y = malloc(ch * np * sizeof *y);
    float *col = kind ? NULL : malloc(kk * np * sizeof *col);
    for (size_t i = 0; i < ch * kk; i++)
        w[i] = (float)((i * 7919) % 1000) / 1000.0f - 0.5f;
    for (size_t i = 0; i < ch * np; i++)
        x[i] = (float)((i * 104729) % 1000) / 1000.0f - 0.5f;
    size_t cap = 1 << 16, n = 0;
    double *t = malloc(cap * sizeof *t);
    uint64_t start = ab_now_ns();
    for (int warm = 3; n < cap && (warm > 0 || (double)(ab_now_ns() - start) / 1e9 < secs); warm--) {
        uint64_t t0 = ab_now_ns();
        if (kind) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)sp, (int)ch, (int)ch, 1.0f, x, (int)ch, w,
                        (int)ch, 0.0f, y, (int)ch);
        } else {
            bare_im2col(x, ch, sp, col);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)ch, (int)np, (int)kk, 1.0f, w, (int)kk,
                        col, (int)np, 0.0f, y, (int)np);
        }
        if (warm <= 0)
            t[n++] = (double)(ab_now_ns() - t0);
        else
            start = ab_now_ns();
    }
    double g = 2.0 * (double)ch * (double)kk * (double)np / median(t, n);
    free(t), free(w), free(x), free(y), free(col);
    return g;
}

static double family_gflops(ab_backend *b, int kind, size_t ch, size_t sp, const ab_settings *s)
{
    ab_case c;
    case_default(&c);
    c.v[AX_KERNEL] = kind ? AB_KERNEL_matmul : AB_KERNEL_conv2d;
    c.v[AX_CIN] = c.v[AX_COUT] = (long)ch;
    if (kind)
        c.v[AX_SPATIAL] = (long)sp;
    else
        c.v[AX_H] = c.v[AX_W] = (long)sp;
    ab_record r;
    run_case(b, &c, s, &r);
    double g = r.status == AB_ST_OK && r.verify_pass == 1 ? r.gflops_wall : NAN;
    if (r.status != AB_ST_OK)
        fprintf(stderr, "perf: %s: %s %s\n", r.key, status_name(r.status), r.reason);
    record_free(&r);
    return g;
}

static double harness_gflops(ab_backend *b, size_t ch, size_t sp, const ab_settings *s)
{
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = (long)ch;
    c.v[AX_SPATIAL] = (long)sp;
    ab_record r;
    run_case(b, &c, s, &r);
    double g = r.status == AB_ST_OK ? r.gflops_wall : NAN;
    if (r.status != AB_ST_OK)
        fprintf(stderr, "perf: %s: %s %s\n", r.key, status_name(r.status), r.reason);
    record_free(&r);
    return g;
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && !strcmp(argv[1], "--quick");
    ab_err e;
    ab_clock_info ci;
    clock_calibrate(&ci);

    /* 1. Harness floor. */
    ab_backend nb;
    if (backend_open(&nb, "null", &e) != AB_OK) {
        fprintf(stderr, "perf: %s\n", e.msg);
        return 1;
    }
    ab_settings s;
    settings_default(&s);
    s.warmup = 1000;
    s.min_samples = 200000;
    s.max_samples = 200000;
    s.min_time = 0;
    s.max_time = 5;
    ab_case c;
    case_default(&c);
    ab_record r;
    run_case(&nb, &c, &s, &r);
    printf("harness floor (null backend, %zu samples): eval median %.1f ns per sample "
           "[target <= 100 ns] %s\n",
           r.eval.n, r.eval.median, r.eval.median <= 100 ? "MET" : "MISSED");
    printf("  clock %s: %.1f ns per read, resolution %.0f ns\n", ci.source, ci.overhead_ns, ci.resolution_ns);
    record_free(&r);
    backend_close(&nb);

    /* 2. cpu backend vs bare sgemm. */
    ab_backend cb;
    if (backend_open(&cb, "cpu", &e) != AB_OK) {
        fprintf(stderr, "perf: %s\n", e.msg);
        return 1;
    }
    settings_default(&s);
    s.warmup = 3;
    s.min_time = quick ? 0.1 : 0.4;
    s.max_time = quick ? 0.2 : 0.6;
    s.noise = 0.5;
    static const size_t chans[] = {256, 512, 1024, 2048}, spats[] = {64, 256, 1024};
    const int rounds = quick ? 1 : 3;
    double worst = INFINITY, logsum = 0;
    int count = 0;
    printf("\ncpu backend vs bare cblas_sgemm loop (GFLOPS from medians; %d interleaved rounds)\n", rounds);
    printf("  %6s %6s %12s %12s %8s\n", "cin", "S", "harness", "bare", "ratio");
    for (size_t i = 0; i < sizeof chans / sizeof chans[0]; i++)
        for (size_t j = 0; j < sizeof spats / sizeof spats[0]; j++) {
            double h[3], bare[3];
            for (int k = 0; k < rounds; k++) {
                h[k] = harness_gflops(&cb, chans[i], spats[j], &s);
                bare[k] = bare_gflops(chans[i], spats[j], s.max_time);
            }
            double hm = median(h, (size_t)rounds), bm = median(bare, (size_t)rounds), ratio = hm / bm;
            printf("  %6zu %6zu %12.2f %12.2f %8.3f\n", chans[i], spats[j], hm, bm, ratio);
            if (ratio < worst)
                worst = ratio;
            logsum += log(ratio);
            count++;
        }
    double geo = exp(logsum / count);
    printf("cpu/bare ratio: geomean %.3f, worst %.3f [target >= 0.97] %s\n", geo, worst,
           geo >= 0.97 ? "MET" : "MISSED");

    /* 3. The other float families: conv2d 3x3 (im2col + sgemm) and matmul
     * (sgemm X W^T) against bare loops of the same calls. */
    static const size_t cch[] = {64, 128, 256}, csp[] = {16, 32}, mch[] = {256, 512, 1024}, msp[] = {64, 256, 1024};
    for (int kind = 0; kind < 2; kind++) {
        const size_t *chs = kind ? mch : cch, *sps = kind ? msp : csp;
        size_t nch = 3, nsp = kind ? 3 : 2;
        worst = INFINITY, logsum = 0, count = 0;
        printf("\ncpu backend vs bare %s loop (GFLOPS from medians, verified; %d interleaved rounds)\n",
               kind ? "cblas_sgemm X W^T (matmul)" : "im2col + cblas_sgemm (conv2d 3x3, same)", rounds);
        printf("  %6s %6s %12s %12s %8s\n", "cin", kind ? "S" : "h=w", "harness", "bare", "ratio");
        for (size_t i = 0; i < nch; i++)
            for (size_t j = 0; j < nsp; j++) {
                double h[3], bare[3];
                for (int k = 0; k < rounds; k++) {
                    h[k] = family_gflops(&cb, kind, chs[i], sps[j], &s);
                    bare[k] = bare_family_gflops(kind, chs[i], sps[j], s.max_time);
                }
                double hm = median(h, (size_t)rounds), bm = median(bare, (size_t)rounds), ratio = hm / bm;
                printf("  %6zu %6zu %12.2f %12.2f %8.3f\n", chs[i], sps[j], hm, bm, ratio);
                worst = ratio < worst ? ratio : worst;
                logsum += log(ratio);
                count++;
            }
        geo = exp(logsum / count);
        printf("%s cpu/bare ratio: geomean %.3f, worst %.3f [target >= 0.9] %s\n", kind ? "matmul" : "conv2d",
               geo, worst, geo >= 0.9 ? "MET" : "MISSED");
    }
    backend_close(&cb);
    return 0;
}
