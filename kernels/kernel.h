/* kernel.h: the kernel seam. What is measured is a kernel instance made
 * from a case; its family (the case's `kernel` axis, the first word of the
 * case key) fills one ops table, as an engine does in backends/. Engines see
 * only this header: the instance's generic shape (a chain of `depth` layers,
 * each a k x k convolution or a linear layer over a [C][H][W] activation),
 * its seeded data, the family's MIL program and weight blob, and its
 * verification. Adding a family is one file kernels/<name>.c and one row in
 * kernels/kernel_names.h.
 *
 * Every family is a chain of layers y = L_d(... L_1(x)): layer l maps
 * [cin][h_l][w_l] to [cout][h_(l+1)][w_(l+1)] with weights W_l of shape
 * [cout][cin][kh][kw] (row-major), stride 1, padding `same` (zeros around,
 * odd kh, kw) or `valid` (none). A 1x1 conv over a row is h = 1, w = S; the
 * matmul family is the same arithmetic with its tensors stored token-major
 * ([S][C], see `token_major`); w8a8 quantizes the weights and the
 * activations between layers (`quant`). kernels/chain.c holds the shared
 * data generation, plain-C reference and verification; docs/kernels.md the
 * formulas. */
#ifndef AB_KERNEL_H
#define AB_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include "harness/case.h"
#include "harness/error.h"
#include "kernels/kernel_names.h"

typedef enum { MIL_TARGET_IOS18 = 0, MIL_TARGET_IOS16 = 1 } ab_mil_target;

/* How the weights reach the compiler (the run's --weights-layout): SINGLE,
 * one weights/weight.bin with every layer's chunk at its BLOBFILE offset
 * (maderix/ANE's benchmarks); PER_FILE, one whole blob file per layer,
 * weights/w<l>.bin, its one chunk at BLOBFILE offset 64 (maderix/ANE's
 * training code, stories_mil.h): the layout M1 compiled where the single
 * blob failed (ANE-NOTES, MIL program). Every family's program and files
 * follow it (kernels/mil.c, kernels/weightblob.c). */
typedef enum { AB_WEIGHTS_SINGLE = 0, AB_WEIGHTS_PER_FILE = 1 } ab_weights_layout;

/* One weight file: its key in the descriptor's weights dictionary and the
 * path its BLOBFILE names ("@model_path/weights/weight.bin"), its bytes. */
typedef struct ab_weight_file {
    char path[48];
    uint8_t *bytes; /* malloc'd */
    size_t len;
} ab_weight_file;

typedef struct ab_kernel ab_kernel;

typedef struct ab_verify {
    int pass;
    double max_abs_err;
    double tolerance;
    size_t checked;
} ab_verify;

/* Activation quantization between layers (w8a8): a = clamp(rne(y / scale),
 * -128, 127) * scale; weights are int8 q with w = fp16(q * wscale). */
typedef struct ab_quant {
    int on;
    double act_scale;   /* a power of two, exact in fp16 */
    double wscale;      /* per tensor, an fp16 value */
    int8_t *qweights;   /* depth * cout * cin * kh * kw */
} ab_quant;

typedef struct ab_kernel_ops {
    const char *name;   /* the case key's first word; the `kernel` axis value */
    const char *help;   /* one line: what the family computes */
    unsigned axes;      /* bit (1u << id) for every axis the family reads; the others
                         * stay at their defaults and are left out of its keys */
    /* Family rules beyond the axis ranges (NULL = well formed), e.g.
     * "pad=same needs odd kh and kw". */
    const char *(*invalid)(const ab_case *c);
    /* Fills the family's shape fields of k (k->c is set): cin, cout, depth,
     * h, w, kh, kw, pad, token_major, quant.on. */
    void (*shape)(ab_kernel *k);
    /* MIL program text for the target and weights layout (malloc'd), NULL
     * when out of memory. */
    char *(*mil)(const ab_kernel *k, ab_mil_target t, ab_weights_layout w);
    /* Why engines computing in float cannot run it (NULL: they can). */
    const char *float_refusal;
} ab_kernel_ops;

struct ab_kernel {
    const ab_kernel_ops *ops;
    ab_case c;
    uint64_t seed;        /* the data seed actually used (kernel_seed_for) */
    int fp16_io;          /* io=fp16 */
    int data;             /* AB_DATA_* */
    /* shape */
    size_t cin, cout, depth;
    size_t h, w;          /* input height and width (conv1x1, matmul: 1 x S) */
    size_t kh, kw;
    int pad;              /* AB_PAD_SAME | AB_PAD_VALID */
    size_t oh, ow;        /* output height and width after depth layers */
    size_t spatial;       /* input positions h * w */
    int token_major;      /* I/O tensors stored [positions][channels] (matmul) */
    ab_quant quant;
    /* data */
    float *weights;       /* depth * cout * cin * kh * kw, fp32, as the reference uses them */
    float *input;         /* in_rows * in_cols, in the I/O layout */
    /* The I/O tensors as rows of elements (the surface layout): channel-first
     * rows are channels (x) heights, token-major rows are positions. */
    size_t in_rows, in_cols, out_rows, out_cols;
    /* Set by whoever prepares a program whose output nobody will read (the
     * runner's phase repeats: timed, never verified): kernel_verify_positions
     * then names no position, so a simulator computes none. */
    int output_unread;
    /* What kernel_make keeps for the phase repeats (kernels/repeat.c): the
     * weight files built once, the case's own first weights. */
    struct ab_kernel_memo *memo;
};

/* The family of case c (by its kernel axis), never NULL for a valid case. */
const ab_kernel_ops *kernel_family(const ab_case *c);
/* Looks a family up by name; NULL if unknown. */
const ab_kernel_ops *kernel_find(const char *name);

/* Builds the instance for case c: seed is the run seed, mixed with the case
 * key (k->seed). AB_EUSAGE for impossible shapes, AB_EFAIL out of memory. */
int kernel_make(ab_kernel *k, const ab_case *c, uint64_t seed, ab_err *e);
void kernel_free(ab_kernel *k);

/* The MIL program (malloc'd; NULL when out of memory) and its weight.bin in
 * the single layout (malloc'd; NULL when out of memory or when a size does
 * not fit the blob's 32-bit fields). */
char *kernel_mil(const ab_kernel *k, ab_mil_target t, ab_weights_layout w);
uint8_t *kernel_blob(const ab_kernel *k, size_t *len);
/* Every weight file the program of layout w reads: one (weight.bin) for
 * SINGLE, one per layer (w0.bin ...) for PER_FILE. *files malloc'd (free
 * with kernel_weight_files_free); 0, or -1 when out of memory or too big. */
int kernel_weight_files(const ab_kernel *k, ab_weights_layout w, ab_weight_file **files, size_t *n);
void kernel_weight_files_free(ab_weight_file *files, size_t n);
/* The same files as the kernel keeps them (kernels/repeat.c): built on the
 * first call for layout w, then kernel_vary patches them in place, so each
 * phase repeat costs a few bytes, not a rebuild. *files points into k
 * (valid until kernel_free); 0, or -1 when out of memory or too big. */
int kernel_weight_files_view(const ab_kernel *k, ab_weights_layout w, const ab_weight_file **files, size_t *n);
/* Makes k the program of phase repeat rep (2 ..) or (rep 1) the case's
 * own again: repeat rep changes the first weight of every layer (fp32 and
 * fp16 weights by rep * 2^-6, which survives fp16 rounding; int8 weights by
 * rep steps), in k->weights and in every file kernel_weight_files_view has
 * built, so every repeat's weight bytes differ from the case's and from
 * every other repeat's (the system caches compiled programs by a hash of
 * the program and its weights: ANE-NOTES; with a file per layer one file's
 * data is hashed, which need not be layer 0's, hence every layer). 0, or
 * -1 for a kernel not made by kernel_make. */
int kernel_vary(ab_kernel *k, int rep);

/* Output height/width of layer l's output (l = 0 .. depth-1). */
size_t kernel_out_h(const ab_kernel *k, size_t l);
size_t kernel_out_w(const ab_kernel *k, size_t l);

/* Reference output channel o at output position pos (y * ow + x), through
 * every layer; NAN when out of range or out of memory. */
double kernel_ref_at(const ab_kernel *k, size_t o, size_t pos);
/* Whole reference output in the I/O layout (out_rows * out_cols). */
void kernel_ref_all(const ab_kernel *k, float *out);
/* Checks a backend's output (I/O layout) against the reference; fp16 selects
 * the fp16 tolerance (see docs/kernels.md). */
void kernel_verify(const ab_kernel *k, const float *out, int fp16, ab_verify *v);
/* The output positions (y * ow + x; token index when token-major) whose
 * elements kernel_verify reads, every channel at each: sorted, distinct,
 * malloc'd in *pos (*n of them); *pos NULL and *n 0 when it reads the
 * whole output; *pos non-NULL and *n 0 when nothing will be read
 * (k->output_unread). A simulator computes just these
 * (ane_eval_req.want_pos). -1 when out of memory. */
int kernel_verify_positions(const ab_kernel *k, size_t **pos, size_t *n);
/* The tolerance at the expected activation rms 1/sqrt(3). */
double kernel_tolerance(const ab_kernel *k, int fp16);

/* Case-level facts (no data built): FLOPs (2 per multiply-add, the same
 * count for int8: report TOPS), bytes moved (input, output, weights as
 * stored), weight bytes as stored, host memory at most. */
double kernel_case_flops(const ab_case *c);
double kernel_case_bytes(const ab_case *c);
double kernel_case_weight_bytes(const ab_case *c);
double kernel_case_mem_bytes(const ab_case *c);
/* NULL or why the case cannot exist on any backend. */
const char *kernel_case_invalid(const ab_case *c);

/* 64-bit mix of the run seed and the case key (FNV-1a + splitmix64). */
uint64_t kernel_seed_for(const ab_case *c, uint64_t run_seed);

/* Deterministic generator used for data (splitmix64). */
typedef struct ab_rng { uint64_t s; } ab_rng;
void rng_seed(ab_rng *r, uint64_t seed);
uint64_t rng_next(ab_rng *r);
double rng_uniform(ab_rng *r); /* [0, 1) */

/* MIL helpers shared by the families (kernels/mil.c). */
ab_mil_target mil_target_for_chip(const char *chip);
const char *mil_target_name(ab_mil_target t); /* "ios18" / "ios16" */
const char *weights_layout_name(ab_weights_layout w); /* "single" / "per-file" */

#endif
