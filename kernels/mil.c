/* mil.c: MIL program text for `depth` chained 1x1 convolutions, in the form
 * the ANE compiler accepts from public generators (ANE-NOTES.md): a
 * program(1.3)/ios18 or program(1.0)/ios16 header with a buildInfo dict,
 * one function `main` taking x [1, cin, 1, S] and returning y [1, cout, 1, S],
 * the conv parameters declared once as consts, and per layer an fp16 weight
 * const read from the BLOBFILE weightblob_ref names for the weights layout
 * (weight.bin at the layer's chunk offset, or w<l>.bin at 64) followed by
 * its conv. fp32 I/O casts to fp16 after the input and back before the
 * output; fp16 I/O has no casts. */
#include "kernels/mil.h"
#include "kernels/weightblob.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ab_mil_target mil_target_for_chip(const char *chip)
{
    /* program(1.3)/ios18 on every chip: an M3 Pro ran it (maderix/ANE's
     * report, N MIL program) and no public run shows ios16 needed on M1-M3.
     * The target stays a parameter (recorded as the run's mil_target; the
     * doctor tries ios16 where ios18 fails). */
    (void)chip;
    return MIL_TARGET_IOS18;
}

const char *mil_target_name(ab_mil_target t)
{
    return t == MIL_TARGET_IOS16 ? "ios16" : "ios18";
}

const char *weights_layout_name(ab_weights_layout w)
{
    return w == AB_WEIGHTS_PER_FILE ? "per-file" : "single";
}

static const char *program_version(ab_mil_target t)
{
    return t == MIL_TARGET_IOS16 ? "1.0" : "1.3";
}

/* A growing text buffer; on allocation failure it drops the text (s = NULL)
 * and ignores further appends. */
typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(text *t, const char *fmt, ...)
{
    if (!t->s)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            free(t->s);
            t->s = NULL;
            return;
        }
        if ((size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = (t->cap + (size_t)n) * 2;
        char *s = realloc(t->s, cap);
        if (!s) {
            free(t->s);
            t->s = NULL;
            return;
        }
        t->s = s;
        t->cap = cap;
    }
}

static void add_header(text *t, ab_mil_target target)
{
    add(t, "program(%s)\n", program_version(target));
    add(t, "[buildInfo = dict<string, string>({{\"coremlc-component-MIL\", \"3510.2.1\"}, "
           "{\"coremlc-version\", \"3505.4.1\"}, {\"coremltools-component-milinternal\", \"\"}, "
           "{\"coremltools-version\", \"9.0\"}})]\n");
    add(t, "{\n");
}

static void add_conv_params(text *t)
{
    add(t, "        string c_pad_type = const()[name = string(\"c_pad_type\"), val = string(\"valid\")];\n");
    add(t, "        tensor<int32, [2]> c_strides = const()[name = string(\"c_strides\"), "
           "val = tensor<int32, [2]>([1, 1])];\n");
    add(t, "        tensor<int32, [4]> c_pad = const()[name = string(\"c_pad\"), "
           "val = tensor<int32, [4]>([0, 0, 0, 0])];\n");
    add(t, "        tensor<int32, [2]> c_dilations = const()[name = string(\"c_dilations\"), "
           "val = tensor<int32, [2]>([1, 1])];\n");
    add(t, "        int32 c_groups = const()[name = string(\"c_groups\"), val = int32(1)];\n");
}

/* `BLOBFILE(path = string("..."), offset = uint64(N))` of layer l in
 * layout w, into buf; 0, or -1 (then t is dropped). */
static int blobfile(text *t, const ab_kernel *k, ab_weights_layout w, size_t l, char *buf, size_t n)
{
    char path[64];
    size_t off;
    if (weightblob_ref(k, w, l, path, sizeof path, &off) ||
        snprintf(buf, n, "BLOBFILE(path = string(\"%s\"), offset = uint64(%zu))", path, off) >= (int)n) {
        free(t->s);
        t->s = NULL;
        return -1;
    }
    return 0;
}

/* Layer l: weight const w<l> and conv from `in` to `out`. */
static void add_layer(text *t, const ab_kernel *k, ab_weights_layout w, size_t l, const char *in,
                      const char *out)
{
    size_t S = k->spatial;
    char bf[128];
    if (blobfile(t, k, w, l, bf, sizeof bf))
        return;
    add(t,
        "        tensor<fp16, [%zu, %zu, 1, 1]> w%zu = const()[name = string(\"w%zu\"), "
        "val = tensor<fp16, [%zu, %zu, 1, 1]>(%s)];\n",
        k->cout, k->cin, l, l, k->cout, k->cin, bf);
    add(t,
        "        tensor<fp16, [1, %zu, 1, %zu]> %s = conv(dilations = c_dilations, groups = c_groups, "
        "pad = c_pad, pad_type = c_pad_type, strides = c_strides, weight = w%zu, x = %s)"
        "[name = string(\"conv%zu\")];\n",
        k->cout, S, out, l, in, l);
}

char *mil_conv_program(const ab_kernel *k, ab_mil_target target, ab_weights_layout w)
{
    if (k->depth == 0 || (k->depth > 1 && k->cin != k->cout))
        return NULL;
    text t = {malloc(4096), 0, 4096};
    const char *io = k->fp16_io ? "fp16" : "fp32";
    size_t S = k->spatial;
    char in[32], out[32];

    add_header(&t, target);
    add(&t, "    func main<%s>(tensor<%s, [1, %zu, 1, %zu]> x) {\n", mil_target_name(target), io, k->cin, S);
    add_conv_params(&t);
    snprintf(in, sizeof in, "x");
    if (!k->fp16_io) {
        add(&t, "        string to_fp16 = const()[name = string(\"to_fp16\"), val = string(\"fp16\")];\n");
        add(&t,
            "        tensor<fp16, [1, %zu, 1, %zu]> x16 = cast(dtype = to_fp16, x = x)"
            "[name = string(\"cast_in\")];\n",
            k->cin, S);
        snprintf(in, sizeof in, "x16");
    }
    for (size_t l = 0; l < k->depth; l++) {
        int last = l + 1 == k->depth;
        if (last && k->fp16_io)
            snprintf(out, sizeof out, "y");
        else
            snprintf(out, sizeof out, "h%zu", l);
        add_layer(&t, k, w, l, in, out);
        memcpy(in, out, sizeof in);
    }
    if (!k->fp16_io) {
        add(&t, "        string to_fp32 = const()[name = string(\"to_fp32\"), val = string(\"fp32\")];\n");
        add(&t,
            "        tensor<fp32, [1, %zu, 1, %zu]> y = cast(dtype = to_fp32, x = %s)"
            "[name = string(\"cast_out\")];\n",
            k->cout, S, in);
    }
    add(&t, "    } -> (y);\n");
    add(&t, "}\n");
    return t.s;
}

/* ---- the chain families: conv2d, w8a8 (k x k convs over [1, C, H, W]) and
 * matmul (linear layers over [1, S, C]) ---- */

/* "[1, 256, 64, 64]" or, token-major, "[1, 64, 256]": layer l's output
 * (l = -1: the input). */
static void shape_text(const ab_kernel *k, long l, char *buf, size_t n)
{
    size_t c = l < 0 ? k->cin : k->cout;
    size_t h = l < 0 ? k->h : kernel_out_h(k, (size_t)l), w = l < 0 ? k->w : kernel_out_w(k, (size_t)l);
    if (k->token_major)
        snprintf(buf, n, "[1, %zu, %zu]", h * w, c);
    else
        snprintf(buf, n, "[1, %zu, %zu, %zu]", c, h, w);
}

static void add_conv_consts(text *t, const ab_kernel *k)
{
    size_t ph = k->pad == AB_PAD_SAME ? (k->kh - 1) / 2 : 0, pw = k->pad == AB_PAD_SAME ? (k->kw - 1) / 2 : 0;
    /* same padding as explicit "custom" pads (what converters emit for a padded conv) */
    add(t, "        string c_pad_type = const()[name = string(\"c_pad_type\"), val = string(\"%s\")];\n",
        k->pad == AB_PAD_SAME && (ph || pw) ? "custom" : "valid");
    add(t, "        tensor<int32, [2]> c_strides = const()[name = string(\"c_strides\"), "
           "val = tensor<int32, [2]>([1, 1])];\n");
    add(t,
        "        tensor<int32, [4]> c_pad = const()[name = string(\"c_pad\"), "
        "val = tensor<int32, [4]>([%zu, %zu, %zu, %zu])];\n",
        ph, ph, pw, pw);
    add(t, "        tensor<int32, [2]> c_dilations = const()[name = string(\"c_dilations\"), "
           "val = tensor<int32, [2]>([1, 1])];\n");
    add(t, "        int32 c_groups = const()[name = string(\"c_groups\"), val = int32(1)];\n");
}

/* Layer l's weight constant w<l>: fp16 from the blob, or int8 from the blob
 * dequantized by the compiler (constexpr_affine_dequantize). */
static void add_weight(text *t, const ab_kernel *k, ab_weights_layout w, size_t l)
{
    char dims[64], bf[128];
    if (blobfile(t, k, w, l, bf, sizeof bf))
        return;
    if (k->token_major)
        snprintf(dims, sizeof dims, "[%zu, %zu]", k->cout, k->cin);
    else
        snprintf(dims, sizeof dims, "[%zu, %zu, %zu, %zu]", k->cout, k->cin, k->kh, k->kw);
    if (!k->quant.on) {
        add(t,
            "        tensor<fp16, %s> w%zu = const()[name = string(\"w%zu\"), val = tensor<fp16, %s>(%s)];\n",
            dims, l, l, dims, bf);
        return;
    }
    add(t,
        "        tensor<fp16, %s> w%zu = constexpr_affine_dequantize()[axis = int32(0), name = "
        "string(\"w%zu\"), "
        "quantized_data = tensor<int8, %s>(%s), scale = fp16(%a), zero_point = int8(0)];\n",
        dims, l, l, dims, bf, k->quant.wscale);
}

char *mil_chain_program(const ab_kernel *k, ab_mil_target target, ab_weights_layout w)
{
    if (k->depth == 0 || (k->depth > 1 && k->cin != k->cout))
        return NULL;
    text t = {malloc(4096), 0, 4096};
    const char *io = k->fp16_io ? "fp16" : "fp32";
    char in[32], out[32], shp[64];

    add_header(&t, target);
    shape_text(k, -1, shp, sizeof shp);
    add(&t, "    func main<%s>(tensor<%s, %s> x) {\n", mil_target_name(target), io, shp);
    if (!k->token_major)
        add_conv_consts(&t, k);
    if (k->quant.on) {
        add(&t, "        string q_dtype = const()[name = string(\"q_dtype\"), val = string(\"int8\")];\n");
        add(&t, "        fp16 q_scale = const()[name = string(\"q_scale\"), val = fp16(%a)];\n", k->quant.act_scale);
    }
    snprintf(in, sizeof in, "x");
    if (!k->fp16_io) {
        add(&t, "        string to_fp16 = const()[name = string(\"to_fp16\"), val = string(\"fp16\")];\n");
        add(&t, "        tensor<fp16, %s> x16 = cast(dtype = to_fp16, x = x)[name = string(\"cast_in\")];\n", shp);
        snprintf(in, sizeof in, "x16");
    }
    for (size_t l = 0; l < k->depth; l++) {
        int last = l + 1 == k->depth;
        snprintf(out, sizeof out, last && k->fp16_io ? "y" : "h%zu", l);
        shape_text(k, (long)l, shp, sizeof shp);
        add_weight(&t, k, w, l);
        if (k->token_major)
            add(&t, "        tensor<fp16, %s> %s = linear(weight = w%zu, x = %s)[name = string(\"linear%zu\")];\n", shp,
                out, l, in, l);
        else
            add(&t,
                "        tensor<fp16, %s> %s = conv(dilations = c_dilations, groups = c_groups, pad = c_pad, "
                "pad_type = c_pad_type, strides = c_strides, weight = w%zu, x = %s)[name = string(\"conv%zu\")];\n",
                shp, out, l, in, l);
        memcpy(in, out, sizeof in);
        if (k->quant.on && !last) { /* int8 activations between layers */
            add(&t,
                "        tensor<int8, %s> q%zu = quantize(input = %s, output_dtype = q_dtype, scale = q_scale)"
                "[name = string(\"q%zu\")];\n",
                shp, l, in, l);
            add(&t, "        tensor<fp16, %s> dq%zu = dequantize(input = q%zu, scale = q_scale)[name = string(\"dq%zu\")];\n",
                shp, l, l, l);
            snprintf(in, sizeof in, "dq%zu", l);
        }
    }
    if (!k->fp16_io) {
        shape_text(k, (long)k->depth - 1, shp, sizeof shp);
        add(&t, "        string to_fp32 = const()[name = string(\"to_fp32\"), val = string(\"fp32\")];\n");
        add(&t, "        tensor<fp32, %s> y = cast(dtype = to_fp32, x = %s)[name = string(\"cast_out\")];\n", shp, in);
    }
    add(&t, "    } -> (y);\n");
    add(&t, "}\n");
    return t.s;
}
