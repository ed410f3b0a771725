/* test_weights_layout.c: the two weights layouts for every kernel family.
 * Single: one file, @model_path/weights/weight.bin, the bytes weightblob_build
 * writes, every BLOBFILE naming it at the layer's chunk offset. Per file:
 * one file per layer, w<l>.bin, each a whole blob (file header, one chunk at
 * 64 with its true size and data offset 128, the layer's weights exactly as
 * in the single blob), every BLOBFILE naming its own file at offset 64 and
 * no weight.bin named. The simulator reads both to the same weights, and a
 * program whose BLOBFILE names a file that is not there fails to compile
 * naming it. The setting: --weights-layout single|per-file, echoed by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/ane_sim_prog.h"
#include "harness/case.h"
#include "harness/settings.h"
#include "kernels/kernel.h"
#include "kernels/weightblob.h"

enum { DEPTH = 3 };

static size_t count(const char *s, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = strstr(s, needle); p; p = strstr(p + len, needle))
        n++;
    return n;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A small case of family `name`, DEPTH layers deep. */
static void make(ab_kernel *k, const char *name)
{
    ab_case c;
    case_default(&c);
    const char *const *names = ab_kernel_names;
    long idx = 0;
    while (names[idx] && strcmp(names[idx], name))
        idx++;
    assert_non_null(names[idx]);
    c.v[AX_KERNEL] = idx;
    c.v[AX_CIN] = c.v[AX_COUT] = 8;
    c.v[AX_DEPTH] = DEPTH;
    const ab_kernel_ops *ops = kernel_family(&c); /* set only the axes the family has */
    if (ops->axes & (1u << AX_SPATIAL))
        c.v[AX_SPATIAL] = 16;
    if (ops->axes & (1u << AX_H))
        c.v[AX_H] = c.v[AX_W] = 6;
    ab_err e;
    ab_err_clear(&e);
    if (kernel_make(k, &c, 11, &e) != AB_OK)
        fail_msg("kernel_make %s: %s", name, e.msg);
    assert_string_equal(k->ops->name, name);
}

static void check_family(const char *name)
{
    ab_kernel k;
    make(&k, name);
    size_t payload = k.cout * k.cin * k.kh * k.kw * (k.quant.on ? 1 : 2);
    size_t blen;
    uint8_t *blob = weightblob_build(&k, &blen);
    assert_non_null(blob);

    /* single: one file, the blob itself */
    ab_weight_file *f;
    size_t n;
    assert_int_equal(kernel_weight_files(&k, AB_WEIGHTS_SINGLE, &f, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(f[0].path, "@model_path/weights/weight.bin");
    assert_int_equal(f[0].len, blen);
    assert_memory_equal(f[0].bytes, blob, blen);
    kernel_weight_files_free(f, n);
    char *mil = kernel_mil(&k, MIL_TARGET_IOS18, AB_WEIGHTS_SINGLE);
    assert_non_null(mil);
    assert_int_equal(count(mil, "BLOBFILE("), DEPTH);
    assert_int_equal(count(mil, "BLOBFILE(path = string(\"@model_path/weights/weight.bin\")"), DEPTH);
    for (size_t l = 0; l < DEPTH; l++) {
        char want[160];
        snprintf(want, sizeof want, "string(\"@model_path/weights/weight.bin\"), offset = uint64(%zu))",
                 weightblob_layer_offset(&k, l));
        if (count(mil, want) != 1)
            fail_msg("%s single: layer %zu: no %s in\n%s", name, l, want, mil);
    }
    free(mil);

    /* per file: one whole blob per layer */
    assert_int_equal(kernel_weight_files(&k, AB_WEIGHTS_PER_FILE, &f, &n), 0);
    assert_int_equal(n, DEPTH);
    for (size_t l = 0; l < DEPTH; l++) {
        char path[64];
        snprintf(path, sizeof path, "@model_path/weights/w%zu.bin", l);
        assert_string_equal(f[l].path, path);
        const uint8_t *b = f[l].bytes;
        assert_int_equal(f[l].len, 128 + payload);
        assert_int_equal(b[0], 0x01);
        assert_int_equal(b[4], 0x02);
        assert_memory_equal(b + 64, "\xEF\xBE\xAD\xDE\x01", 5);
        assert_int_equal(rd32(b + 72), payload);
        assert_int_equal(rd32(b + 80), 128);
        /* the layer's weights, byte for byte as the single blob holds them */
        assert_memory_equal(b + 128, blob + weightblob_layer_offset(&k, l) + 64, payload);
        if (l > 0) /* layers differ: each file holds its own layer */
            assert_memory_not_equal(b + 128, f[0].bytes + 128, payload);
    }
    mil = kernel_mil(&k, MIL_TARGET_IOS18, AB_WEIGHTS_PER_FILE);
    assert_non_null(mil);
    assert_int_equal(count(mil, "weight.bin"), 0);
    assert_int_equal(count(mil, "BLOBFILE("), DEPTH);
    assert_int_equal(count(mil, "offset = uint64(64)"), DEPTH);
    for (size_t l = 0; l < DEPTH; l++) {
        char want[160];
        snprintf(want, sizeof want,
                 "BLOBFILE(path = string(\"@model_path/weights/w%zu.bin\"), offset = uint64(64))", l);
        if (count(mil, want) != 1)
            fail_msg("%s per file: layer %zu: no %s in\n%s", name, l, want, mil);
        /* ... and it is layer l's weight constant */
        char decl[64];
        snprintf(decl, sizeof decl, "w%zu = ", l);
        const char *at = strstr(mil, decl), *bf = strstr(mil, want);
        assert_non_null(at);
        assert_true(bf > at && !memchr(at, '\n', (size_t)(bf - at)));
    }

    /* the simulator reads the same weights from either layout */
    char *mil1 = kernel_mil(&k, MIL_TARGET_IOS18, AB_WEIGHTS_SINGLE);
    sim_prog p1, p2;
    assert_int_equal(sim_prog_parse(&p1, mil1), 0);
    assert_int_equal(sim_prog_parse(&p2, mil), 0);
    ane_weight_file one = {ANE_WEIGHT_BIN, blob, blen}, many[DEPTH];
    for (size_t l = 0; l < DEPTH; l++)
        many[l] = (ane_weight_file){f[l].path, f[l].bytes, f[l].len};
    uint16_t *w1, *w2;
    size_t n1, n2;
    ab_err e;
    ab_err_clear(&e);
    assert_int_equal(sim_prog_weights(&p1, &one, 1, &w1, &n1, &e), AB_OK);
    if (sim_prog_weights(&p2, many, DEPTH, &w2, &n2, &e) != AB_OK)
        fail_msg("%s per file: %s", name, e.msg);
    assert_int_equal(n1, n2);
    assert_memory_equal(w1, w2, n1 * sizeof *w1);
    free(w1);
    free(w2);
    /* the single blob does not serve the per-file program: w0.bin is not there */
    assert_int_equal(sim_prog_weights(&p2, &one, 1, &w2, &n2, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "cannot open BLOBFILE @model_path/weights/w0.bin"));
    /* nor does a set missing one layer's file */
    ab_err_clear(&e);
    many[1].path = "@model_path/weights/w1.bin.missing";
    assert_int_equal(sim_prog_weights(&p2, many, DEPTH, &w2, &n2, &e), AB_EFAIL);
    assert_non_null(strstr(e.msg, "cannot open BLOBFILE @model_path/weights/w1.bin"));
    /* a file holding the wrong layer size is refused, not read past */
    ab_err_clear(&e);
    many[1] = (ane_weight_file){f[1].path, f[1].bytes, f[1].len - 1};
    assert_int_equal(sim_prog_weights(&p2, many, DEPTH, &w2, &n2, &e), AB_EFAIL);
    sim_prog_free(&p1);
    sim_prog_free(&p2);
    free(mil1);
    free(mil);
    kernel_weight_files_free(f, n);
    free(blob);
    kernel_free(&k);
}

static void test_conv1x1(void **state)
{
    (void)state;
    check_family("conv1x1");
}

static void test_conv2d(void **state)
{
    (void)state;
    check_family("conv2d");
}

static void test_matmul(void **state)
{
    (void)state;
    check_family("matmul");
}

static void test_w8a8(void **state)
{
    (void)state;
    check_family("w8a8");
}

static void test_ios16_per_file(void **state)
{
    (void)state;
    ab_kernel k;
    make(&k, "conv1x1");
    char *mil = kernel_mil(&k, MIL_TARGET_IOS16, AB_WEIGHTS_PER_FILE);
    assert_non_null(mil);
    assert_true(strncmp(mil, "program(1.0)\n", 13) == 0);
    assert_int_equal(count(mil, "@model_path/weights/w2.bin"), 1);
    free(mil);
    kernel_free(&k);
    assert_string_equal(weights_layout_name(AB_WEIGHTS_SINGLE), "single");
    assert_string_equal(weights_layout_name(AB_WEIGHTS_PER_FILE), "per-file");
}

static void test_setting(void **state)
{
    (void)state;
    ab_settings s;
    settings_default(&s);
    assert_int_equal(s.weights_layout, AB_WEIGHTS_SINGLE);
    const ab_setting_def *d = settings_find("--weights-layout");
    assert_non_null(d);
    ab_err e;
    ab_err_clear(&e);
    assert_int_equal(settings_set(&s, d, "per-file", &e), 0);
    assert_int_equal(s.weights_layout, AB_WEIGHTS_PER_FILE);
    cJSON *o = settings_to_json(&s);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "weights_layout")), "per-file");
    /* the echo reads back */
    ab_settings t;
    settings_default(&t);
    assert_int_equal(settings_apply_json(&t, o, "run.json", &e), 0);
    assert_int_equal(t.weights_layout, AB_WEIGHTS_PER_FILE);
    cJSON_Delete(o);
    assert_int_equal(settings_set(&s, d, "single", &e), 0);
    assert_int_equal(s.weights_layout, AB_WEIGHTS_SINGLE);
    /* bad values name themselves; nothing else is taken (no indices, no prefixes) */
    static const char *const bad[] = {"perfile", "1", "per", "single|per-file", "", "Per-File"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ab_err_clear(&e);
        assert_int_equal(settings_set(&s, d, bad[i], &e), AB_EUSAGE);
        assert_non_null(strstr(e.msg, "--weights-layout"));
    }
    ab_err_clear(&e);
    assert_int_equal(settings_set(&s, d, "perfile", &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "'perfile' is not one of single|per-file"));
    cJSON *num = cJSON_Parse("{\"weights_layout\": 1}");
    assert_int_equal(settings_apply_json(&t, num, "sweep.json", &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "weights_layout"));
    cJSON_Delete(num);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conv1x1), cmocka_unit_test(test_conv2d),         cmocka_unit_test(test_matmul),
        cmocka_unit_test(test_w8a8),    cmocka_unit_test(test_ios16_per_file), cmocka_unit_test(test_setting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
