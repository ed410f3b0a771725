/* test_estimate.c: the work model behind `list --estimate` and the ETA:
 * fitted to records whose eval time grows with FLOPs and whose surrounding
 * cost grows with bytes, it predicts a bigger case as costing more (not the
 * mean of the cases seen), and the stop rule's least sampling time. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness/estimate.h"

static ab_case mk(long cin, long spatial)
{
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = cin;
    c.v[AX_COUT] = cin;
    c.v[AX_SPATIAL] = spatial;
    return c;
}

/* A record as a run would write it: eval = 1 us + flops / 50 GFLOPS,
 * surrounding cost 20 ms + bytes / 1 GB/s, min_samples samples. */
static void fake_record(const ab_case *c, const ab_settings *s, ab_record *r)
{
    record_init(r, c);
    r->status = AB_ST_OK;
    r->flops = case_flops(c);
    r->bytes = case_bytes(c);
    double e = 1e-6 + r->flops / 50e9;
    size_t n = (size_t)s->min_samples;
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = e * 1e9;
    record_set_eval_samples(r, x, n);
    free(x);
    r->warmup = s->warmup;
    r->wall_s = 0.02 + r->bytes / 1e9 + (double)(s->warmup + 1) * e + (double)n * e;
}

static void test_fit_predicts_by_size(void **state)
{
    (void)state;
    ab_settings s;
    settings_default(&s);
    s.min_time = 0;
    s.min_samples = 10;
    ab_est m;
    est_init(&m);
    ab_case small = mk(64, 64), big = mk(2048, 1024);
    assert_true(est_case_s(&m, &small, &s) < 0); /* not ready */
    long sizes[][2] = {{64, 64}, {128, 128}, {256, 256}, {512, 256}, {1024, 512}};
    for (size_t i = 0; i < 5; i++) {
        ab_case c = mk(sizes[i][0], sizes[i][1]);
        ab_record r;
        fake_record(&c, &s, &r);
        est_add(&m, &r, &s);
        record_free(&r);
    }
    ab_record want;
    fake_record(&big, &s, &want);
    double got = est_case_s(&m, &big, &s);
    /* Within 5% of the true cost of a case 16x larger than any seen. */
    if (fabs(got / want.wall_s - 1) > 0.05)
        fail_msg("big case: predicted %g s, true %g s", got, want.wall_s);
    record_free(&want);
    assert_true(est_case_s(&m, &small, &s) < 0.1 * got);
}

static void test_sampling(void **state)
{
    (void)state;
    ab_settings s;
    settings_default(&s);
    s.min_samples = 10;
    s.min_time = 0.1;
    s.max_time = 2.0;
    assert_true(fabs(est_sampling_s(1e-3, &s) - 0.1) < 1e-9);  /* min time rules */
    assert_true(fabs(est_sampling_s(0.05, &s) - 0.5) < 1e-9);  /* min samples rule */
    assert_true(fabs(est_sampling_s(1.0, &s) - 3.0) < 1e-9);   /* max time + the eval in flight */
    assert_true(est_sampling_s(0, &s) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_predicts_by_size),
        cmocka_unit_test(test_sampling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
