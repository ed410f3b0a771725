/* test_sim_compute.c: the simulator computes only the output positions
 * verification reads (backends/ane_sim_compute.c, kernel_verify_positions).
 * For every family, on cases big enough that verification samples: the
 * partial output equals the whole output at the positions (to an fp16 ulp:
 * a gemm of another size may sum in another order), is
 * NaN elsewhere, and passes kernel_verify (so verification reads nothing
 * else); one position taken away makes it fail. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backends/ane_api.h"
#include "backends/ane_sim_prog.h"
#include "harness/case.h"
#include "kernels/kernel.h"

typedef struct run {
    ab_kernel k;
    sim_prog prog;
    uint16_t *w;
    uint8_t *in;
    size_t nout;
} run;

static void setup(run *r, const ab_case *c)
{
    ab_err e;
    memset(r, 0, sizeof *r);
    assert_int_equal(kernel_make(&r->k, c, 7, &e), AB_OK);
    char *mil = kernel_mil(&r->k, MIL_TARGET_IOS18, AB_WEIGHTS_SINGLE);
    size_t blen;
    uint8_t *blob = kernel_blob(&r->k, &blen);
    assert_non_null(mil);
    assert_non_null(blob);
    assert_int_equal(sim_prog_parse(&r->prog, mil), 0);
    r->prog.align = 64;
    size_t n;
    ane_weight_file f = {ANE_WEIGHT_BIN, blob, blen};
    assert_int_equal(sim_prog_weights(&r->prog, &f, 1, &r->w, &n, &e), AB_OK);
    free(mil);
    free(blob);
    size_t elem = r->k.fp16_io ? 2 : 4;
    r->in = malloc(sim_prog_in_bytes(&r->prog));
    assert_non_null(r->in);
    ane_pack_rows(r->k.input, r->k.in_rows, r->k.in_cols, elem, sim_prog_in_row(&r->prog), r->in);
    r->nout = r->k.out_rows * r->k.out_cols;
}

static float *output(run *r, const size_t *pos, size_t npos)
{
    ab_err e;
    uint8_t *img = malloc(sim_prog_out_bytes(&r->prog));
    float *out = malloc(r->nout * sizeof *out);
    assert_non_null(img);
    assert_non_null(out);
    assert_int_equal(sim_prog_compute(&r->prog, r->w, r->in, pos, npos, img, &e), AB_OK);
    ane_unpack_rows(img, r->k.out_rows, r->k.out_cols, r->k.fp16_io ? 2 : 4, sim_prog_out_row(&r->prog), out);
    free(img);
    return out;
}

static size_t out_index(const ab_kernel *k, size_t o, size_t p)
{
    return k->token_major ? p * k->cout + o : o * (k->oh * k->ow) + p;
}

static void check_case(const ab_case *c)
{
    run r;
    setup(&r, c);
    size_t *pos, npos;
    assert_int_equal(kernel_verify_positions(&r.k, &pos, &npos), 0);
    assert_non_null(pos); /* these cases are big enough to be sampled */
    assert_true(npos < r.k.oh * r.k.ow);
    float *all = output(&r, NULL, 0), *part = output(&r, pos, npos);
    ab_verify v;
    kernel_verify(&r.k, all, 1, &v); /* the ANE computes in fp16 */
    assert_true(v.pass);
    kernel_verify(&r.k, part, 1, &v); /* the ANE computes in fp16 */
    assert_true(v.pass);
    char *at = calloc(r.k.oh * r.k.ow, 1);
    assert_non_null(at);
    for (size_t j = 0; j < npos; j++)
        at[pos[j]] = 1;
    for (size_t o = 0; o < r.k.cout; o++)
        for (size_t p = 0; p < r.k.oh * r.k.ow; p++) {
            size_t i = out_index(&r.k, o, p);
            if (at[p]) /* a sum of other length may take another gemm (order): an fp16 ulp or so */
                assert_true(fabsf(all[i] - part[i]) <= 4e-3f * fabsf(all[i]) + 1e-3f);
            else
                assert_true(isnan(part[i]));
        }
    /* the first row of positions not computed (a block's bounding box
     * shrinks only when a whole row goes): verification notices */
    size_t skip = 1;
    while (r.k.oh > 1 && skip < npos && pos[skip] / r.k.ow == pos[0] / r.k.ow)
        skip++;
    assert_true(skip < npos);
    float *less = output(&r, pos + skip, npos - skip);
    kernel_verify(&r.k, less, 1, &v); /* the ANE computes in fp16 */
    assert_false(v.pass);
    free(less), free(all), free(part), free(at), free(pos);
    free(r.in), free(r.w);
    sim_prog_free(&r.prog);
    kernel_free(&r.k);
}

static ab_case make(int family, long cin, long spatial, long depth)
{
    ab_case c;
    case_default(&c);
    c.v[AX_KERNEL] = family;
    c.v[AX_CIN] = c.v[AX_COUT] = cin;
    c.v[AX_SPATIAL] = spatial;
    c.v[AX_DEPTH] = depth;
    return c;
}

static ab_case conv2d(long cin, long k, long h, long w, int pad, long depth)
{
    ab_case c = make(AB_KERNEL_conv2d, cin, ab_axes[AX_SPATIAL].def, depth);
    c.v[AX_KH] = c.v[AX_KW] = k;
    c.v[AX_H] = h;
    c.v[AX_W] = w;
    c.v[AX_PAD] = pad;
    return c;
}

static void test_conv1x1(void **st)
{
    (void)st;
    ab_case c = make(AB_KERNEL_conv1x1, 128, 8192, 1); /* one layer: sampled elements */
    check_case(&c);
    c = make(AB_KERNEL_conv1x1, 256, 512, 4); /* chain: sampled positions */
    c.v[AX_IO] = AB_IO_FP16;
    check_case(&c);
}

static ab_case conv2d(long cin, long k, long h, long w, int pad, long depth);

static void test_matmul(void **st)
{
    (void)st;
    ab_case c = make(AB_KERNEL_matmul, 256, 512, 2);
    check_case(&c);
}

static void test_w8a8(void **st)
{
    (void)st;
    ab_case c = conv2d(256, 1, 16, 32, AB_PAD_VALID, 3); /* maderix's int8 bench: 1x1 convs over 2-D */
    c.v[AX_KERNEL] = AB_KERNEL_w8a8;
    c.v[AX_IO] = AB_IO_FP16;
    check_case(&c);
}

static void test_conv2d(void **st)
{
    (void)st;
    ab_case c = conv2d(128, 3, 64, 64, AB_PAD_SAME, 1); /* one layer: gathered positions */
    check_case(&c);
    c = conv2d(64, 3, 32, 32, AB_PAD_SAME, 4); /* chain: a block and its cone */
    check_case(&c);
    c = conv2d(32, 3, 40, 40, AB_PAD_VALID, 3);
    check_case(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conv1x1),
        cmocka_unit_test(test_matmul),
        cmocka_unit_test(test_w8a8),
        cmocka_unit_test(test_conv2d),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
