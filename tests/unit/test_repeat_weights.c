/* test_repeat_weights.c: the programs of the phase repeats (kernel_vary,
 * kernel_weight_files_view). For every family and both weights layouts:
 * the kept files, patched in place for repeat 2..5, are byte for byte what
 * a rebuild from the varied weights gives; every file of every repeat
 * differs from the case's and from every other repeat's (so each compile is
 * cold: the simulator says "cold" for all five); repeat 1 puts back the
 * case's own bytes and weights. A program nobody reads (k->output_unread)
 * has no verified position, the simulator computes none of it (all NaN),
 * and verification fails on such an output: it never passes by default. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backends/ane_api.h"
#include "backends/ane_program.h"
#include "backends/ane_sim_prog.h"
#include "harness/case.h"
#include "kernels/kernel.h"

enum { DEPTH = 3, REPS = 5 };

static void make(ab_kernel *k, const char *name, long cin, long spatial)
{
    ab_case c;
    case_default(&c);
    long idx = 0;
    while (ab_kernel_names[idx] && strcmp(ab_kernel_names[idx], name))
        idx++;
    assert_non_null(ab_kernel_names[idx]);
    c.v[AX_KERNEL] = idx;
    c.v[AX_CIN] = c.v[AX_COUT] = cin;
    c.v[AX_DEPTH] = DEPTH;
    const ab_kernel_ops *ops = kernel_family(&c);
    if (ops->axes & (1u << AX_SPATIAL))
        c.v[AX_SPATIAL] = spatial;
    if (ops->axes & (1u << AX_H))
        c.v[AX_H] = c.v[AX_W] = 6;
    ab_err e;
    ab_err_clear(&e);
    if (kernel_make(k, &c, 5, &e) != AB_OK)
        fail_msg("kernel_make %s: %s", name, e.msg);
}

/* A copy of the files the kernel keeps for layout w. */
static ab_weight_file *snapshot(const ab_kernel *k, ab_weights_layout w, size_t *n)
{
    const ab_weight_file *v;
    assert_int_equal(kernel_weight_files_view(k, w, &v, n), 0);
    ab_weight_file *c = calloc(*n, sizeof *c);
    assert_non_null(c);
    for (size_t i = 0; i < *n; i++) {
        c[i] = v[i];
        c[i].bytes = malloc(v[i].len);
        assert_non_null(c[i].bytes);
        memcpy(c[i].bytes, v[i].bytes, v[i].len);
    }
    return c;
}

static int same(const ab_weight_file *a, const ab_weight_file *b)
{
    return a->len == b->len && !strcmp(a->path, b->path) && !memcmp(a->bytes, b->bytes, a->len);
}

static void check_family(const char *name, ab_weights_layout w)
{
    ab_kernel k;
    make(&k, name, 8, 16);
    size_t per = k.cout * k.cin * k.kh * k.kw, nw = per * k.depth, n;
    float *own_w = malloc(nw * sizeof *own_w);
    assert_non_null(own_w);
    memcpy(own_w, k.weights, nw * sizeof *own_w);
    ab_weight_file *seen[REPS + 1];
    seen[1] = snapshot(&k, w, &n);
    assert_int_equal(n, w == AB_WEIGHTS_PER_FILE ? DEPTH : 1);
    for (int rep = 2; rep <= REPS; rep++) {
        assert_int_equal(kernel_vary(&k, rep), 0);
        seen[rep] = snapshot(&k, w, &n);
        ab_weight_file *fresh;
        size_t nf;
        assert_int_equal(kernel_weight_files(&k, w, &fresh, &nf), 0);
        assert_int_equal(nf, n);
        for (size_t f = 0; f < n; f++) {
            if (!same(&seen[rep][f], &fresh[f]))
                fail_msg("%s repeat %d file %zu: patched bytes differ from a rebuild", name, rep, f);
            for (int o = 1; o < rep; o++)
                if (same(&seen[rep][f], &seen[o][f]))
                    fail_msg("%s repeat %d file %zu: the same bytes as repeat %d", name, rep, f, o);
        }
        kernel_weight_files_free(fresh, nf);
        if (!k.quant.on)
            for (size_t l = 0; l < k.depth; l++)
                assert_true(fabsf(k.weights[l * per] - own_w[l * per] - (float)rep * 0.015625f) < 1e-6f);
    }
    assert_int_equal(kernel_vary(&k, 1), 0);
    ab_weight_file *back = snapshot(&k, w, &n);
    for (size_t f = 0; f < n; f++)
        assert_true(same(&back[f], &seen[1][f]));
    assert_memory_equal(k.weights, own_w, nw * sizeof *own_w);
    kernel_weight_files_free(back, n);
    for (int rep = 1; rep <= REPS; rep++)
        kernel_weight_files_free(seen[rep], n);
    free(own_w);
    kernel_free(&k);
}

static void test_patched_files(void **st)
{
    (void)st;
    for (int i = 0; ab_kernel_names[i]; i++) {
        check_family(ab_kernel_names[i], AB_WEIGHTS_SINGLE);
        check_family(ab_kernel_names[i], AB_WEIGHTS_PER_FILE);
    }
}

/* Built for the first time while varied: still what a rebuild gives. */
static void test_built_while_varied(void **st)
{
    (void)st;
    ab_kernel k;
    make(&k, "w8a8", 8, 16);
    assert_int_equal(kernel_vary(&k, 3), 0);
    const ab_weight_file *v;
    ab_weight_file *fresh;
    size_t n, nf;
    assert_int_equal(kernel_weight_files_view(&k, AB_WEIGHTS_SINGLE, &v, &n), 0);
    assert_int_equal(kernel_weight_files(&k, AB_WEIGHTS_SINGLE, &fresh, &nf), 0);
    assert_true(same(&v[0], &fresh[0]));
    kernel_weight_files_free(fresh, nf);
    kernel_free(&k);
}

/* Through the simulator: the case's program and its four repeats all
 * compile cold (distinct content), in both layouts. */
static void test_sim_cold(void **st)
{
    (void)st;
    setenv("ANEBENCH_SIM_SCALE", "0.001", 1);
    for (int w = 0; w < 2; w++) {
        ane_api *a = NULL;
        ab_err e;
        ab_err_clear(&e);
        assert_int_equal(ane_api_sim.open(&a, "m5", &e), AB_OK);
        ab_kernel k;
        make(&k, "conv1x1", 32, 16);
        for (int rep = 1; rep <= REPS; rep++) {
            assert_int_equal(kernel_vary(&k, rep), 0);
            ane_model *m = NULL;
            assert_int_equal(
                ane_program_create(&ane_api_sim, a, &k, MIL_TARGET_IOS18, (ab_weights_layout)w, &m, &e),
                AB_OK);
            assert_int_equal(ane_api_sim.compile(a, m, 21, &e), AB_OK);
            assert_string_equal(ane_api_sim.compile_cache(a, m), "cold");
            ane_api_sim.model_free(a, m);
        }
        kernel_free(&k);
        ane_api_sim.close(a);
    }
    unsetenv("ANEBENCH_SIM_SCALE");
}

/* A program nobody reads: no verified position, nothing computed, and
 * verification fails on what the simulator leaves (NaN). The same case
 * read normally computes its positions and passes. */
static void test_unread_output(void **st)
{
    (void)st;
    ab_kernel k;
    make(&k, "conv1x1", 512, 256); /* big enough that verification samples */
    size_t *pos, npos;
    k.output_unread = 1;
    assert_int_equal(kernel_verify_positions(&k, &pos, &npos), 0);
    assert_non_null(pos);
    assert_int_equal(npos, 0);
    char *mil = kernel_mil(&k, MIL_TARGET_IOS18, AB_WEIGHTS_SINGLE);
    size_t blen;
    uint8_t *blob = kernel_blob(&k, &blen);
    sim_prog p;
    assert_int_equal(sim_prog_parse(&p, mil), 0);
    p.align = 64;
    uint16_t *w;
    size_t nw;
    ab_err e;
    ane_weight_file f = {ANE_WEIGHT_BIN, blob, blen};
    assert_int_equal(sim_prog_weights(&p, &f, 1, &w, &nw, &e), AB_OK);
    uint8_t *in = malloc(sim_prog_in_bytes(&p)), *img = malloc(sim_prog_out_bytes(&p));
    float *out = malloc(k.out_rows * k.out_cols * sizeof *out);
    assert_non_null(in);
    assert_non_null(img);
    assert_non_null(out);
    ane_pack_rows(k.input, k.in_rows, k.in_cols, 4, sim_prog_in_row(&p), in);
    assert_int_equal(sim_prog_compute(&p, w, in, pos, npos, img, &e), AB_OK);
    ane_unpack_rows(img, k.out_rows, k.out_cols, 4, sim_prog_out_row(&p), out);
    for (size_t i = 0; i < k.out_rows * k.out_cols; i++)
        if (!isnan(out[i]))
            fail_msg("element %zu computed for a program nobody reads", i);
    ab_verify v;
    kernel_verify(&k, out, 1, &v);
    assert_false(v.pass);
    free(pos);
    /* Read normally: its positions computed, verification passes. */
    k.output_unread = 0;
    assert_int_equal(kernel_verify_positions(&k, &pos, &npos), 0);
    assert_non_null(pos);
    assert_true(npos > 0);
    assert_int_equal(sim_prog_compute(&p, w, in, pos, npos, img, &e), AB_OK);
    ane_unpack_rows(img, k.out_rows, k.out_cols, 4, sim_prog_out_row(&p), out);
    kernel_verify(&k, out, 1, &v);
    assert_true(v.pass);
    assert_true(v.checked > 0);
    free(pos);
    free(in);
    free(img);
    free(out);
    free(w);
    free(blob);
    free(mil);
    sim_prog_free(&p);
    kernel_free(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patched_files),
        cmocka_unit_test(test_built_while_varied),
        cmocka_unit_test(test_sim_cold),
        cmocka_unit_test(test_unread_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
