/* test_mannwhitney.c: the Mann-Whitney U test against scipy's values
 * (tests/unit/mwu_expected.h, written by tests/tools/gen_mwu_expected.py). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "harness/mannwhitney.h"
#include "unit/mwu_expected.h"

#define NSETS (sizeof mwu_expected / sizeof mwu_expected[0])

static void assert_close(double got, double want, double rel, const char *what, const char *name)
{
    double tol = rel * fabs(want) + 1e-15;
    if (!(fabs(got - want) <= tol))
        fail_msg("%s %s: got %.17g, scipy %.17g", name, what, got, want);
}

/* U and p with the method scipy used, for every set. */
static void test_matches_scipy(void **state)
{
    (void)state;
    for (size_t i = 0; i < NSETS; i++) {
        const struct mwu_expected *c = &mwu_expected[i];
        ab_mwu r;
        ab_err e;
        ab_err_clear(&e);
        int rc = mwu_test(c->x, c->n1, c->y, c->n2, c->exact ? MWU_EXACT : MWU_ASYMPTOTIC, &r, &e);
        if (rc != AB_OK)
            fail_msg("%s: %s", c->name, e.msg);
        assert_close(r.u1, c->u1, 0, "U", c->name);
        assert_close(r.u2, (double)(c->n1 * c->n2) - c->u1, 0, "U2", c->name);
        assert_close(r.p, c->p, 1e-9, "p", c->name);
        assert_int_equal(r.exact, c->exact);
        assert_int_equal(r.tie_groups > 0, c->ties);
    }
}

/* MWU_AUTO: exact only without ties and with both sizes <= 20, and then the
 * same p as scipy's exact method. */
static void test_auto_choice(void **state)
{
    (void)state;
    for (size_t i = 0; i < NSETS; i++) {
        const struct mwu_expected *c = &mwu_expected[i];
        ab_mwu r;
        assert_int_equal(mwu_test(c->x, c->n1, c->y, c->n2, MWU_AUTO, &r, NULL), AB_OK);
        int want_exact = !c->ties && c->n1 <= AB_MWU_EXACT_MAX && c->n2 <= AB_MWU_EXACT_MAX;
        if (r.exact != want_exact)
            fail_msg("%s: auto chose exact=%d", c->name, r.exact);
        if (want_exact)
            assert_close(r.p, c->p, 1e-9, "auto p", c->name);
        assert_true(r.p >= 0.0 && r.p <= 1.0);
    }
}

/* Swapping the samples swaps U1 and U2 and keeps the two-sided p. */
static void test_symmetry(void **state)
{
    (void)state;
    for (size_t i = 0; i < NSETS; i++) {
        const struct mwu_expected *c = &mwu_expected[i];
        ab_mwu a, b;
        ab_mwu_method m = c->exact ? MWU_EXACT : MWU_ASYMPTOTIC;
        assert_int_equal(mwu_test(c->x, c->n1, c->y, c->n2, m, &a, NULL), AB_OK);
        assert_int_equal(mwu_test(c->y, c->n2, c->x, c->n1, m, &b, NULL), AB_OK);
        assert_close(b.u1, a.u2, 0, "swapped U", c->name);
        assert_close(b.p, a.p, 1e-12, "swapped p", c->name);
    }
}

/* The exact distribution: a full tail is 1, the extreme tail is 1/C(m+n, m),
 * and an interior point matches a hand count (m = n = 2: U in 0..4 with
 * counts 1,1,2,1,1 of 6). */
static void test_exact_sf(void **state)
{
    (void)state;
    assert_close(mwu_exact_sf(0, 7, 9), 1.0, 1e-15, "sf(0)", "7x9");
    assert_close(mwu_exact_sf(63, 7, 9), 1.0 / 11440.0, 1e-12, "sf(max)", "7x9");
    assert_close(mwu_exact_sf(64, 7, 9), 0.0, 0, "sf(max+1)", "7x9");
    assert_close(mwu_exact_sf(2, 2, 2), 4.0 / 6.0, 1e-15, "sf(2)", "2x2");
    assert_close(mwu_exact_sf(3, 2, 2), 2.0 / 6.0, 1e-15, "sf(3)", "2x2");
    assert_close(mwu_exact_sf(4, 2, 2), 1.0 / 6.0, 1e-15, "sf(4)", "2x2");
    /* 28 + 28: C(56, 28) < 2^53 is the largest balanced size counted exactly. */
    assert_false(isnan(mwu_exact_sf(392, 28, 28)));
    assert_true(isnan(mwu_exact_sf(10, 29, 29)));
}

/* Every value equal: no evidence either way, p = 1 (scipy gives NaN). */
static void test_all_tied(void **state)
{
    (void)state;
    const double x[] = {5, 5, 5, 5}, y[] = {5, 5, 5};
    ab_mwu r;
    assert_int_equal(mwu_test(x, 4, y, 3, MWU_AUTO, &r, NULL), AB_OK);
    assert_int_equal(r.exact, 0);
    assert_true(r.p == 1.0);
    assert_true(r.u1 == 6.0);
}

static void test_errors(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3}, bad[] = {1, NAN};
    double big[60];
    for (int i = 0; i < 60; i++)
        big[i] = i;
    ab_mwu r;
    ab_err e;
    assert_int_equal(mwu_test(x, 0, x, 3, MWU_AUTO, &r, &e), AB_EUSAGE);
    assert_int_equal(e.code, AB_EUSAGE);
    assert_int_equal(mwu_test(x, 3, bad, 2, MWU_AUTO, &r, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "NaN"));
    assert_int_equal(mwu_test(big, 30, big + 30, 30, MWU_EXACT, &r, &e), AB_EUSAGE);
    assert_int_equal(mwu_test(big, 30, big + 30, 30, MWU_AUTO, &r, &e), AB_OK);
    assert_int_equal(r.exact, 0);
    assert_true(r.u1 == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_scipy), cmocka_unit_test(test_auto_choice),
        cmocka_unit_test(test_symmetry),      cmocka_unit_test(test_exact_sf),
        cmocka_unit_test(test_all_tied),      cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
