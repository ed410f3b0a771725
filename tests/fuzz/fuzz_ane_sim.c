/* fuzz_ane_sim.c: libFuzzer target for the ANE simulator's program parsing
 * and weight validation (backends/ane_sim.c) through the ane_api seam.
 * Input: 2 bytes little-endian MIL length, the MIL text, then weight.bin.
 * The program is created, compiled (waits scaled to nothing), loaded and
 * evaluated on 64 KiB surfaces, on profile m5 or m5-hw by the input's
 * length. Besides "no crash, no out-of-bounds read", a compile must either
 * fail with a message or yield a model that loads and evaluates (or refuses
 * surfaces too small, with a message), and an eval without a hardware time
 * says why. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/ane_api.h"

/* The single layout's one weight file, as model_create takes it. */
#define WB(b, n) &(ane_weight_file){ANE_WEIGHT_BIN, (b), (n)}, 1

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("ANEBENCH_SIM_SCALE", "0.000001", 1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t mlen = (size_t)(data[0] | data[1] << 8);
    if (mlen > size - 2)
        mlen = size - 2;
    char *mil = malloc(mlen + 1);
    size_t wlen = size - 2 - mlen;
    uint8_t *blob = malloc(wlen ? wlen : 1); /* exact size: ASan sees over-reads */
    if (!mil || !blob)
        abort();
    memcpy(mil, data + 2, mlen);
    mil[mlen] = '\0';
    memcpy(blob, data + 2 + mlen, wlen);

    const ane_api_ops *S = &ane_api_sim;
    ane_api *a = NULL;
    ane_model *m = NULL;
    ane_buf *in = NULL, *out = NULL;
    ab_err e;
    /* both m5 branches of perf stats: none (as the seed) and the what-if */
    if (S->open(&a, size & 1 ? "m5-hw" : "m5", &e) != AB_OK)
        abort();
    if (S->model_create(a, mil, WB(blob, wlen), &m, &e) != AB_OK)
        abort();
    if (S->buf_create(a, 65536, &in, &e) != AB_OK || S->buf_create(a, 65536, &out, &e) != AB_OK)
        abort();
    uint8_t *img = calloc(1, 65536);
    for (size_t i = 0; img && i < 65536; i++)
        img[i] = (uint8_t)(i * 7);
    if (!img || S->buf_write(a, in, img, 65536, &e) != AB_OK)
        abort();
    ane_eval_req rq = {.qos = 21, .perf_stats = true, .in = in, .out = out};
    ab_err_clear(&e);
    if (S->eval_prepare(a, m, &rq, &e) != AB_OK && !e.msg[0])
        abort();
    ab_err_clear(&e);
    if (S->compile(a, m, 21, &e) == AB_OK) {
        if (S->load(a, m, 21, &e) != AB_OK)
            abort(); /* a compiled program always loads */
        ane_eval_res res;
        ab_err_clear(&e);
        int rc = S->eval(a, m, &rq, &res, &e);
        if (rc != AB_OK && !e.msg[0])
            abort();
        if (rc == AB_OK && !res.has_hw && !res.hw_reason[0])
            abort(); /* no hardware time always says why */
        if (S->unload(a, m, 21, &e) != AB_OK)
            abort();
    } else if (!e.msg[0]) {
        abort(); /* a failure always says why */
    }
    free(img);
    S->buf_free(a, in);
    S->buf_free(a, out);
    S->model_free(a, m);
    S->close(a);
    free(mil);
    free(blob);
    return 0;
}
