/* test_progress.c: the progress ETA predicts from the sizes of the cases
 * left and the cost per unit of work of those finished, not from their
 * count (the issue: 1m15s at the start of `full`, 29m in the middle), and
 * k of N counts the cases a resumed run had finished before. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness/progress.h"

/* A finished record of c: eval = flops / 10 GFLOPS, 10 samples, 5 ms around. */
static void fake(const ab_case *c, const ab_settings *s, ab_record *r)
{
    record_init(r, c);
    r->status = AB_ST_OK;
    r->flops = case_flops(c);
    r->bytes = case_bytes(c);
    double e = r->flops / 10e9, x[10];
    for (int i = 0; i < 10; i++)
        x[i] = e * 1e9;
    record_set_eval_samples(r, x, 10);
    r->warmup = s->warmup;
    r->wall_s = 0.005 + (double)(s->warmup + 1 + 10) * e;
}

static void test_eta_by_size(void **state)
{
    (void)state;
    ab_settings s;
    settings_default(&s);
    s.min_time = 0;
    s.min_samples = 10;
    s.warmup = 2;
    /* Four small cases, then two 64x bigger ones (a sweep's big end). */
    long cin[] = {64, 96, 128, 160, 1024, 1024};
    ab_case cases[6];
    size_t order[6];
    for (int i = 0; i < 6; i++) {
        case_default(&cases[i]);
        cases[i].v[AX_CIN] = cases[i].v[AX_COUT] = cin[i];
        cases[i].v[AX_SPATIAL] = 256;
        order[i] = (size_t)i;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ab_progress p;
    progress_init(&p, f, 6, 0);
    progress_plan(&p, cases, order, &s, NULL, 0);
    assert_true(progress_eta(&p) < 0); /* nothing measured yet */
    double truth = 0;
    ab_record r;
    for (int i = 0; i < 6; i++) {
        fake(&cases[i], &s, &r);
        if (i >= 4)
            truth += r.wall_s;
        if (i < 4) {
            progress_start(&p, (size_t)i, "x");
            progress_done(&p, &r, r.wall_s);
        }
        record_free(&r);
    }
    double eta = progress_eta(&p);
    /* By count it would be 2 x the small cases' mean, about 1/30 of the truth. */
    if (fabs(eta / truth - 1) > 0.10)
        fail_msg("eta %g s, the two big cases cost %g s", eta, truth);
    progress_finish(&p);
    fclose(f);
    free(buf);
}

static void test_resume_counts_on(void **state)
{
    (void)state;
    ab_settings s;
    settings_default(&s);
    ab_case cases[3];
    size_t order[1] = {0};
    for (int i = 0; i < 3; i++) {
        case_default(&cases[i]);
        cases[i].v[AX_CIN] = cases[i].v[AX_COUT] = 8 << i;
    }
    ab_record before[2];
    fake(&cases[1], &s, &before[0]);
    fake(&cases[2], &s, &before[1]);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ab_progress p;
    progress_init(&p, f, 1, 0);
    progress_plan(&p, cases, order, &s, before, 2);
    assert_true(progress_eta(&p) >= 0); /* fitted to the run's earlier cases */
    ab_record r;
    fake(&cases[0], &s, &r);
    progress_start(&p, 0, "x");
    progress_done(&p, &r, 0.01);
    record_free(&r);
    progress_finish(&p);
    fclose(f);
    if (!strstr(buf, "[3/3] conv1x1 cin=8 "))
        fail_msg("not counted on from the 2 cases done before: %s", buf);
    free(buf);
    record_free(&before[0]);
    record_free(&before[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eta_by_size),
        cmocka_unit_test(test_resume_counts_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
