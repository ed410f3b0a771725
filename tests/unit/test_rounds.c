/* test_rounds.c: the rounds of a sweep (--repeat): the interleaved case
 * list, merging a key's rounds into one record (median of the rounds'
 * medians, the hull of their intervals, every sample together, the spread
 * between rounds, a round not ok), and compare calling a change only when
 * the two sides' rounds do not overlap. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "harness/compare.h"
#include "harness/rounds.h"
#include "harness/scheduler.h"

static ab_case case_cin(long cin, size_t index)
{
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = cin;
    c.index = index;
    return c;
}

/* A record of cin in a round: n eval samples around median (+-spread/2). */
static void add_round(ab_run *run, long cin, int round, double median, double spread, size_t n, ab_status st)
{
    run->recs = realloc(run->recs, (run->n + 1) * sizeof *run->recs);
    ab_case c = case_cin(cin, 0);
    c.round = round;
    ab_record *r = &run->recs[run->n++];
    record_init(r, &c);
    r->status = st;
    r->flops = 1e9;
    if (st != AB_ST_OK) {
        record_set_text(&r->reason, "worker killed by SIGSEGV");
        return;
    }
    double *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = median * (1.0 + spread * ((double)i / (double)(n - 1) - 0.5));
    record_set_eval_samples(r, x, n);
    free(x);
    r->wall_s = 1.0;
    r->verify_pass = 1;
    r->contended = 0;
}

static void test_expand(void **state)
{
    (void)state;
    ab_case *cases = malloc(2 * sizeof *cases);
    cases[0] = case_cin(8, 0);
    cases[1] = case_cin(16, 1);
    size_t n = 2;
    ab_err e;
    assert_int_equal(rounds_expand(&cases, &n, 3, &e), AB_OK);
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(cases[i].round, (int)(i / 2) + 1); /* round after round */
        assert_int_equal(cases[i].v[AX_CIN], i % 2 ? 16 : 8);
        assert_int_equal(cases[i].index, i % 2);
    }
    free(cases);
}

/* Shuffled or not, rounds run whole and in order; --shuffle gives each
 * round an order of its own, and round 1 keeps the order a run without
 * --repeat has. */
static void test_order(void **state)
{
    (void)state;
    enum { N = 16 };
    ab_case *cases = malloc(N * sizeof *cases);
    for (size_t i = 0; i < N; i++)
        cases[i] = case_cin((long)(i + 1) * 8, i);
    size_t one[N], order[3 * N], n = N;
    assert_int_equal(scheduler_order(cases, N, 7, one), AB_OK);
    ab_err e;
    assert_int_equal(rounds_expand(&cases, &n, 3, &e), AB_OK);
    for (long seed = -1; seed <= 7; seed += 8) {
        assert_int_equal(scheduler_order(cases, n, seed, order), AB_OK);
        int same_as_round1 = 1;
        for (size_t k = 0; k < n; k++) {
            const ab_case *c = &cases[order[k]];
            assert_int_equal(c->round, (int)(k / N) + 1);
            if (seed < 0)
                assert_int_equal(order[k], k);
            else if (k < N)
                assert_int_equal(c->index, cases[one[k]].index);
            else if (k >= N && k < 2 * N)
                same_as_round1 &= c->index == cases[order[k - N]].index;
        }
        if (seed >= 0)
            assert_false(same_as_round1);
    }
    free(cases);
}

static void test_merge(void **state)
{
    (void)state;
    ab_run run;
    memset(&run, 0, sizeof run);
    add_round(&run, 8, 1, 100, 0.02, 11, AB_ST_OK);
    add_round(&run, 16, 1, 50, 0.02, 11, AB_ST_OK);
    add_round(&run, 8, 2, 130, 0.02, 21, AB_ST_OK);
    add_round(&run, 16, 2, 50, 0.02, 11, AB_ST_CRASHED);
    add_round(&run, 8, 3, 110, 0.02, 11, AB_ST_OK);
    add_round(&run, 24, 1, 70, 0.02, 11, AB_ST_OK); /* one round only */
    ab_err e;
    assert_int_equal(rounds_merge(&run, &e), AB_OK);
    assert_int_equal(run.n, 3);
    assert_int_equal(rounds_most(&run), 3);

    const ab_record *a = &run.recs[0]; /* cin=8, in its first place */
    assert_int_equal(a->params.v[AX_CIN], 8);
    assert_int_equal(a->status, AB_ST_OK);
    assert_int_equal(a->n_rounds, 3);
    assert_true(fabs(a->eval.median - 110) < 1e-9); /* median of 100, 130, 110 */
    assert_int_equal(a->eval.n, 43);
    assert_int_equal(a->n_eval_samples, 43); /* every round's samples, together */
    assert_true(fabs(a->eval.min - 99) < 1e-9);
    assert_true(fabs(a->eval.max - 130 * 1.01) < 1e-9);
    /* the hull: from below round 1's median to above round 2's */
    assert_true(a->eval.ci_low <= 100 && a->eval.ci_high >= 130);
    assert_true(fabs(a->round_lo[AB_RS_EVAL] - 100) < 1e-9);
    assert_true(fabs(a->round_hi[AB_RS_EVAL] - 130) < 1e-9);
    assert_true(fabs(rounds_spread_pct(a, AB_RS_EVAL) - 30.0 / 110 * 100) < 1e-9);
    assert_true(fabs(a->gflops_wall - 1e9 / 110) < 1e-9);
    assert_true(fabs(a->wall_s - 3.0) < 1e-9);
    assert_int_equal(a->verify_pass, 1);

    const ab_record *b = &run.recs[1]; /* cin=16: round 2 crashed */
    assert_int_equal(b->params.v[AX_CIN], 16);
    assert_int_equal(b->status, AB_ST_CRASHED);
    assert_int_equal(b->n_rounds, 2);
    assert_string_equal(b->reason, "round 2 of 2: worker killed by SIGSEGV");

    const ab_record *c = &run.recs[2]; /* cin=24: untouched */
    assert_int_equal(c->n_rounds, 0);
    assert_true(fabs(c->eval.median - 70) < 1e-9);
    assert_true(isnan(rounds_spread_pct(c, AB_RS_EVAL)));
    run_free(&run);
}

/* Base: one round at 100. Other: a faster case in two rounds. The U test on
 * the samples together calls both significant; only where every round of
 * OTHER is beyond BASE's is the change called. */
static void test_compare_rounds(void **state)
{
    (void)state;
    ab_run base, other;
    memset(&base, 0, sizeof base);
    memset(&other, 0, sizeof other);
    add_round(&base, 8, 1, 100, 0.01, 41, AB_ST_OK);
    add_round(&base, 16, 1, 100, 0.01, 41, AB_ST_OK);
    add_round(&other, 8, 1, 80, 0.01, 41, AB_ST_OK); /* both rounds faster */
    add_round(&other, 8, 2, 85, 0.01, 41, AB_ST_OK);
    add_round(&other, 16, 1, 60, 0.01, 41, AB_ST_OK); /* round 2 as slow as BASE: drift */
    add_round(&other, 16, 2, 100.2, 0.01, 41, AB_ST_OK);
    ab_err e;
    assert_int_equal(rounds_merge(&base, &e), AB_OK);
    assert_int_equal(rounds_merge(&other, &e), AB_OK);
    ab_cmp_opts o;
    cmp_opts_default(&o);
    ab_cmp c;
    assert_int_equal(compare_records(base.recs, base.n, other.recs, other.n, &o, &c, &e), AB_OK);
    assert_int_equal(c.nrows, 2);
    assert_int_equal(c.rounds_base, 1);
    assert_int_equal(c.rounds_other, 2);
    for (size_t i = 0; i < c.nrows; i++) {
        const ab_cmp_row *r = &c.rows[i];
        assert_int_equal(r->rounds_base, 1);
        assert_int_equal(r->rounds_other, 2);
        assert_true(isnan(r->spread_base_pct));
        assert_true(r->significant); /* the pooled samples differ in both */
        if (r->base->params.v[AX_CIN] == 8) {
            assert_int_equal(r->cls, CMP_FASTER);
            assert_int_equal(r->rounds_overlap, 0);
            assert_true(fabs(r->vother - 82.5) < 1e-9);
            assert_true(fabs(r->spread_other_pct - 5.0 / 82.5 * 100) < 1e-9);
        } else {
            assert_int_equal(r->cls, CMP_UNCLEAR);
            assert_int_equal(r->rounds_overlap, 1);
        }
    }
    assert_int_equal(c.nrounds_overlap, 1);
    compare_free(&c);
    run_free(&base);
    run_free(&other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expand),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_compare_rounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
