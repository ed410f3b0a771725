/* ane_sim_prog.h: a program as the ANE simulator sees it (internal to
 * backends/ane_sim*.c): read statement by statement from the MIL text, for
 * the ops the public generators emit (ANE-NOTES.md; maderix/ANE's
 * inmem_bench, sram_probe, ane_int8_bench and ane_mil_gen.h): const with
 * BLOBFILE weights, constexpr_affine_dequantize (int8 weights, zero point
 * 0), cast, conv (stride 1, dilation 1, groups 1; pad_type valid, same or
 * custom), linear without bias, quantize / dequantize to int8 between
 * layers. Anything else is a parse error, reported at compile as the
 * framework reports a program it cannot compile. Weights are read from the
 * file each BLOBFILE names (one weight.bin, or one file per layer) after
 * checking every chunk against those shapes; the output is computed in
 * fp16 arithmetic (ane_sim_compute.c), where it will be read. Surfaces are rows of
 * ane_row_stride(cols, elem, align), align the profile's (what the simulated
 * model's attributes state): [C][H] rows of W for a rank-4 tensor, [S] rows
 * of C for a rank-3 one. */
#ifndef AB_ANE_SIM_PROG_H
#define AB_ANE_SIM_PROG_H

#include <stddef.h>
#include <stdint.h>
#include "backends/ane_api.h"
#include "harness/error.h"

typedef enum { SIM_OP_CONV, SIM_OP_LINEAR } sim_op;

enum { SIM_WPATH_MAX = 96 };

typedef struct sim_layer {
    sim_op op;
    char wpath[SIM_WPATH_MAX]; /* the BLOBFILE path of its weights ("@model_path/weights/...") */
    size_t cin, cout, kh, kw;
    size_t ih, iw, oh, ow;          /* linear: 1 x S */
    size_t pad_t, pad_b, pad_l, pad_r;
    size_t woff, welem;             /* BLOBFILE offset of the chunk; 2 fp16, 1 int8 */
    double wscale;                  /* int8: fp16 scale of constexpr_affine_dequantize */
    double qscale;                  /* > 0: quantize/dequantize to int8 after this layer */
} sim_layer;

/* Op classes the timing model tells apart. */
typedef enum { SIM_CLASS_CONV1X1, SIM_CLASS_CONVKXK, SIM_CLASS_LINEAR } sim_class;

typedef struct sim_prog {
    char parse_err[200]; /* "" when the program parsed */
    size_t depth;
    sim_layer *layers;
    int token_major;          /* rank-3 [1, S, C] tensors */
    size_t in_rows, in_cols, out_rows, out_cols;
    size_t in_elem, out_elem; /* 4 fp32, 2 fp16 */
    sim_class cls;            /* the class of most of the program's FLOPs */
    int int8;                 /* int8 weights and int8 activations between layers */
    double flops, io_bytes, weight_mib;
    size_t align; /* row alignment of its surfaces (set by the simulator after parsing) */
} sim_prog;

/* Row stride of the program's input / output surface. */
size_t sim_prog_in_row(const sim_prog *p);
size_t sim_prog_out_row(const sim_prog *p);

/* Reads the program. 0, or -1 with p->parse_err saying why (then nothing
 * else holds). */
int sim_prog_parse(sim_prog *p, const char *mil);
void sim_prog_free(sim_prog *p);

/* Finds each layer's BLOBFILE among files (the model directory's weight
 * files, by path), checks it (header, the chunk's magic, size and offset)
 * against the program and returns every layer's weights as fp16 (int8 ones
 * as the compiler dequantizes them), layers back to back (malloc'd, *n
 * halves). AB_EFAIL with the compiler-style reason otherwise (a BLOBFILE
 * naming a file not there: "cannot open BLOBFILE PATH"). */
int sim_prog_weights(const sim_prog *p, const ane_weight_file *files, size_t nfiles, uint16_t **w, size_t *n,
                     ab_err *e);

/* Surface sizes of the program's input and output. */
size_t sim_prog_in_bytes(const sim_prog *p);
size_t sim_prog_out_bytes(const sim_prog *p);

/* out = program(w)(in), both surface images (backends/ane_sim_compute.c).
 * pos (npos of them, each y * ow + x of the output, or a token) limits the
 * work to those output positions, every channel at each; the other
 * elements read NaN (and only the input elements they depend on are read).
 * pos NULL: the whole output; pos non-NULL and npos 0: none (all NaN). */
int sim_prog_compute(const sim_prog *p, const uint16_t *w, const uint8_t *in, const size_t *pos, size_t npos,
                     uint8_t *out, ab_err *e);

/* The simulator's pool of big buffers (ane_sim_mem.c): sim_mem_get gives
 * a block of at least size bytes (contents undefined; a freed block of the
 * same size when one is kept, else malloc'd; NULL when out of memory),
 * sim_mem_put takes it back with the size it was asked for. */
enum { SIM_POOL_BLOCKS = 8 };
typedef struct sim_pool {
    struct {
        void *p;
        size_t cap;
    } blk[SIM_POOL_BLOCKS];
    size_t n;
} sim_pool;
void *sim_mem_get(sim_pool *pl, size_t size);
void sim_mem_put(sim_pool *pl, void *p, size_t size);
void sim_pool_free(sim_pool *pl);

#endif
