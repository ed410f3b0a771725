/* ane_sim_prog.h: a program as the ANE simulator sees it (internal to
 * backends/ane_sim*.c): shapes parsed from the MIL text the kernels
 * generator writes (kernels/mil.h), weights read from weight.bin after
 * checking every chunk against those shapes, and the output computed in
 * fp16 arithmetic: fp16 input and weights, fp32 products and sums
 * (cblas_sgemm for big shapes), fp16 result after every layer. Surfaces are
 * channel-first with rows of ane_row_stride(S, elem, align), align the
 * profile's (what the simulated model's attributes state). */
#ifndef AB_ANE_SIM_PROG_H
#define AB_ANE_SIM_PROG_H

#include <stddef.h>
#include <stdint.h>
#include "backends/ane_api.h"
#include "harness/error.h"

typedef struct sim_prog {
    char parse_err[200]; /* "" when the program parsed */
    size_t depth, spatial;
    size_t *chan;             /* chan[0] = cin, chan[i+1] = cout of layer i */
    size_t *woff;             /* BLOBFILE offset of layer i's chunk */
    size_t in_elem, out_elem; /* 4 fp32, 2 fp16 */
    double flops, io_bytes, weight_mib;
    size_t align; /* row alignment of its surfaces (set by the simulator after parsing) */
} sim_prog;

/* Row stride of the program's input / output surface. */
size_t sim_prog_in_row(const sim_prog *p);
size_t sim_prog_out_row(const sim_prog *p);

/* Reads the input/output types, shapes and each conv's weight chunk
 * offset. 0, or -1 with p->parse_err saying why (then nothing else holds). */
int sim_prog_parse(sim_prog *p, const char *mil);
void sim_prog_free(sim_prog *p);

/* Checks weight.bin (header, each chunk's magic, size and offset) against
 * the program and returns the fp16 payloads, layers back to back (malloc'd,
 * *n halves). AB_EFAIL with the compiler-style reason otherwise. */
int sim_prog_weights(const sim_prog *p, const uint8_t *blob, size_t len, uint16_t **w, size_t *n, ab_err *e);

/* Surface sizes of the program's input and output. */
size_t sim_prog_in_bytes(const sim_prog *p);
size_t sim_prog_out_bytes(const sim_prog *p);

/* out = program(w)(in), both surface images. */
int sim_prog_compute(const sim_prog *p, const uint16_t *w, const uint8_t *in, uint8_t *out, ab_err *e);

#endif
