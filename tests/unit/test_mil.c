/* test_mil.c: the structure of the MIL text: header and buildInfo, the
 * function signature, one weight const and one conv per layer at the right
 * BLOBFILE offsets, casts only for fp32 I/O, every value defined before use,
 * balanced brackets, and the ios16 variant; chip -> target mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/case.h"
#include "kernels/conv.h"
#include "kernels/mil.h"
#include "kernels/weightblob.h"

static ab_conv shape(size_t cin, size_t cout, size_t spatial, size_t depth, int fp16_io)
{
    ab_conv k;
    memset(&k, 0, sizeof k);
    k.cin = cin;
    k.cout = cout;
    k.spatial = spatial;
    k.depth = depth;
    k.fp16_io = fp16_io;
    k.kh = k.kw = 1; /* as kernel_make shapes every 1x1 layer */
    k.h = 1;
    k.w = spatial;
    return k;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = strstr(s, needle); p; p = strstr(p + len, needle))
        n++;
    return n;
}

static void assert_contains(const char *s, const char *needle)
{
    if (!strstr(s, needle))
        fail_msg("missing: %s\nin:\n%s", needle, s);
}

static void assert_balanced(const char *s)
{
    int round = 0, square = 0, curly = 0, angle = 0, in_str = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '"') {
            in_str = !in_str;
            continue;
        }
        if (in_str)
            continue;
        round += (*p == '(') - (*p == ')');
        square += (*p == '[') - (*p == ']');
        curly += (*p == '{') - (*p == '}');
        if (*p == '<')
            angle++;
        else if (*p == '>' && p[-1] != '-')
            angle--;
        assert_true(round >= 0 && square >= 0 && curly >= 0 && angle >= 0);
    }
    assert_false(in_str);
    assert_int_equal(round, 0);
    assert_int_equal(square, 0);
    assert_int_equal(curly, 0);
    assert_int_equal(angle, 0);
}

/* Every statement line "TYPE NAME = op(arg = VALUE, ...)" only uses names
 * defined on earlier lines (or the input x); returns the statements seen. */
static size_t assert_defined_before_use(const char *s)
{
    char defined[64][32];
    size_t ndef = 0, nstmt = 0;
    strcpy(defined[ndef++], "x");
    char *copy = strdup(s);
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
        char *eq = strstr(line, " = ");
        char *open = strchr(line, '(');
        if (!eq || !open || eq > open || strstr(line, "func main") || line[0] == '[')
            continue;
        /* the name just before " = " */
        char *end = eq, *start = eq;
        while (start > line && (isalnum((unsigned char)start[-1]) || start[-1] == '_'))
            start--;
        /* arguments: "name = value" pairs inside the op's parentheses */
        char *close = strchr(open, ')');
        for (char *a = open + 1; a && a < close;) {
            char *ae = strstr(a, " = ");
            if (!ae || ae > close)
                break;
            char *v = ae + 3;
            char id[32] = {0};
            size_t n = 0;
            while ((isalnum((unsigned char)v[n]) || v[n] == '_') && n < sizeof id - 1)
                n++;
            memcpy(id, v, n);
            int found = 0;
            for (size_t d = 0; d < ndef; d++)
                found |= strcmp(defined[d], id) == 0;
            if (!found)
                fail_msg("'%s' used before it is defined in: %s", id, line);
            a = strchr(v, ',');
            if (a)
                a += 2;
        }
        assert_true(ndef < 64);
        memcpy(defined[ndef], start, (size_t)(end - start));
        defined[ndef++][end - start] = '\0';
        nstmt++;
    }
    free(copy);
    return nstmt;
}

static void test_fp32_single(void **state)
{
    (void)state;
    ab_conv k = shape(256, 256, 64, 1, 0);
    char *m = mil_conv_program(&k, MIL_TARGET_IOS18, AB_WEIGHTS_SINGLE);
    assert_non_null(m);
    assert_true(strncmp(m, "program(1.3)\n[buildInfo = dict<string, string>({{", 49) == 0);
    assert_contains(m, "    func main<ios18>(tensor<fp32, [1, 256, 1, 64]> x) {\n");
    assert_contains(m, "string c_pad_type = const()[name = string(\"c_pad_type\"), val = string(\"valid\")];");
    assert_contains(m, "conv(dilations = c_dilations, groups = c_groups, pad = c_pad, pad_type = c_pad_type, "
                       "strides = c_strides, weight = w0, x = x16)[name = string(\"conv0\")];");
    assert_contains(m, "val = tensor<int32, [2]>([1, 1])");
    assert_contains(m, "val = tensor<int32, [4]>([0, 0, 0, 0])");
    assert_contains(m, "val = int32(1)");
    assert_contains(m, "tensor<fp16, [1, 256, 1, 64]> x16 = cast(dtype = to_fp16, x = x)");
    assert_contains(m, "tensor<fp16, [256, 256, 1, 1]> w0 = const()");
    assert_contains(m, "BLOBFILE(path = string(\"@model_path/weights/weight.bin\"), offset = uint64(64))");
    assert_contains(m, "weight = w0, x = x16)");
    assert_contains(m, "tensor<fp32, [1, 256, 1, 64]> y = cast(dtype = to_fp32, x = h0)");
    assert_int_equal(count(m, " = conv("), 1);
    assert_int_equal(count(m, " = cast("), 2);
    assert_int_equal(count(m, "BLOBFILE("), 1);
    assert_int_equal(count(m, "func "), 1);
    /* 5 conv parameters, 2 cast dtypes, 1 weight */
    assert_int_equal(count(m, " = const()"), 8);
    const char *tail = "    } -> (y);\n}\n";
    size_t len = strlen(m);
    assert_true(len > strlen(tail) && strcmp(m + len - strlen(tail), tail) == 0);
    assert_balanced(m);
    assert_int_equal(assert_defined_before_use(m), 11);
    free(m);
}

static void test_fp16_chain(void **state)
{
    (void)state;
    ab_conv k = shape(64, 64, 32, 5, 1);
    char *m = mil_conv_program(&k, MIL_TARGET_IOS18, AB_WEIGHTS_SINGLE);
    assert_non_null(m);
    assert_contains(m, "func main<ios18>(tensor<fp16, [1, 64, 1, 32]> x) {");
    assert_int_equal(count(m, " = cast("), 0);
    assert_int_equal(count(m, "to_fp"), 0);
    assert_int_equal(count(m, " = conv("), 5);
    assert_int_equal(count(m, "BLOBFILE("), 5);
    assert_int_equal(count(m, " = const()"), 5 + 5);
    /* Weights at 64 + i*(64 + cout*cin*2), in layer order, each used once. */
    const char *at = m;
    for (size_t i = 0; i < 5; i++) {
        char want[160];
        snprintf(want, sizeof want,
                 "w%zu = const()[name = string(\"w%zu\"), val = tensor<fp16, [64, 64, 1, 1]>(BLOBFILE(path = "
                 "string(\"@model_path/weights/weight.bin\"), offset = uint64(%zu)))]",
                 i, i, (size_t)64 + i * (64 + 64 * 64 * 2));
        const char *p = strstr(at, want);
        if (!p)
            fail_msg("layer %zu weight missing or out of order: %s", i, want);
        at = p;
        if (i == 0)
            snprintf(want, sizeof want, "weight = w0, x = x)");
        else
            snprintf(want, sizeof want, "weight = w%zu, x = h%zu)", i, i - 1);
        assert_int_equal(count(m, want), 1);
    }
    /* the last conv is the output, in fp16 */
    assert_contains(m, "tensor<fp16, [1, 64, 1, 32]> y = conv(");
    assert_contains(m, "} -> (y);");
    assert_balanced(m);
    assert_int_equal(assert_defined_before_use(m), 5 + 10);
    free(m);
}

static void test_offsets_point_at_chunks(void **state)
{
    (void)state;
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = 16;
    c.v[AX_SPATIAL] = 32;
    c.v[AX_DEPTH] = 3;
    ab_conv k;
    assert_int_equal(conv_make(&k, &c, 5, NULL), AB_OK);
    char *m = mil_conv_program(&k, MIL_TARGET_IOS18, AB_WEIGHTS_SINGLE);
    size_t len;
    uint8_t *blob = weightblob_build(&k, &len);
    assert_non_null(m);
    assert_non_null(blob);
    size_t seen = 0;
    for (const char *p = strstr(m, "offset = uint64("); p; p = strstr(p + 1, "offset = uint64(")) {
        size_t off = strtoul(p + 16, NULL, 10);
        assert_true(off + 64 <= len);
        assert_memory_equal(blob + off, "\xEF\xBE\xAD\xDE", 4);
        seen++;
    }
    assert_int_equal(seen, 3);
    free(blob);
    free(m);
    conv_free(&k);
}

static void test_rectangular_and_ios16(void **state)
{
    (void)state;
    ab_conv k = shape(96, 48, 128, 1, 0);
    char *m = mil_conv_program(&k, MIL_TARGET_IOS16, AB_WEIGHTS_SINGLE);
    assert_non_null(m);
    assert_true(strncmp(m, "program(1.0)\n", 13) == 0);
    assert_contains(m, "func main<ios16>(tensor<fp32, [1, 96, 1, 128]> x)");
    assert_contains(m, "tensor<fp16, [48, 96, 1, 1]> w0 = const()");
    assert_contains(m, "tensor<fp16, [1, 48, 1, 128]> h0 = conv(");
    assert_contains(m, "tensor<fp32, [1, 48, 1, 128]> y = cast(");
    assert_int_equal(count(m, "ios18"), 0);
    assert_int_equal(count(m, "program(1.3)"), 0);
    assert_balanced(m);
    free(m);
    /* chains need square layers */
    k = shape(96, 48, 128, 2, 0);
    assert_null(mil_conv_program(&k, MIL_TARGET_IOS18, AB_WEIGHTS_SINGLE));
}

static void test_target_for_chip(void **state)
{
    (void)state;
    assert_int_equal(mil_target_for_chip("Apple M4"), MIL_TARGET_IOS18);
    assert_int_equal(mil_target_for_chip("Apple M4 Max"), MIL_TARGET_IOS18);
    assert_int_equal(mil_target_for_chip("Apple M5"), MIL_TARGET_IOS18);
    assert_int_equal(mil_target_for_chip("Apple M1"), MIL_TARGET_IOS18);
    assert_int_equal(mil_target_for_chip("Apple M1 Pro"), MIL_TARGET_IOS18);
    assert_int_equal(mil_target_for_chip("Apple M2 Ultra"), MIL_TARGET_IOS18);
    assert_int_equal(mil_target_for_chip("Apple M3 Max"), MIL_TARGET_IOS18);
    assert_int_equal(mil_target_for_chip("Apple M10"), MIL_TARGET_IOS18);
    assert_int_equal(mil_target_for_chip("Intel(R) Xeon(R) CPU @ 2.20GHz"), MIL_TARGET_IOS18);
    assert_int_equal(mil_target_for_chip(""), MIL_TARGET_IOS18);
    assert_int_equal(mil_target_for_chip(NULL), MIL_TARGET_IOS18);
    assert_string_equal(mil_target_name(MIL_TARGET_IOS18), "ios18");
    assert_string_equal(mil_target_name(MIL_TARGET_IOS16), "ios16");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fp32_single),
        cmocka_unit_test(test_fp16_chain),
        cmocka_unit_test(test_offsets_point_at_chunks),
        cmocka_unit_test(test_rectangular_and_ios16),
        cmocka_unit_test(test_target_for_chip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
