/* ane_api.h: the few private-API operations the ANE backend needs.
 *
 * Two implementations: ane_objc.c (Apple platforms only: AppleNeuralEngine.
 * framework through the Objective-C runtime) and ane_sim.c (a calibrated
 * model of the ANE that runs anywhere). The ANE backend's logic (backends/
 * ane.c: buffers, layout, verification, RT bracketing, compile budget) sits
 * above this seam and is shared by both. Every failure fills e->msg with the
 * framework's own error text where there is one. */
#ifndef AB_ANE_API_H
#define AB_ANE_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "harness/error.h"

typedef struct ane_api ane_api;     /* one per process: framework handle or sim state */
typedef struct ane_model ane_model; /* one compiled program */
typedef struct ane_buf ane_buf;     /* a flat byte IOSurface (or sim memory) */

typedef struct ane_device_info {
    char chip[64];             /* "Apple M5" */
    char family[32];           /* ANE family, "H16" */
    char subtype[32];
    int cores;                 /* ANE cores, 0 unknown */
    char os_build[64];
    bool simulated;
    char profile[32];          /* sim profile name, "" for real */
    double peak_fp16_tflops;   /* known / modelled peak, 0 unknown */
    bool no_hw;                /* the api never gives hardware times (a sim profile without
                                * perf stats): run.json's hw_source is then null */
    double time_scale;         /* sim: ANEBENCH_SIM_SCALE applied to every wait (1 = modelled
                                * times); 0 for real hardware */
    char framework[256];       /* what answered, for the records: "" = the api's usual text;
                                * objc: the image the _ANE* classes came from when it is not
                                * the system's framework (then simulated is true) */
} ane_device_info;

/* The three dispatch paths public work has compared (maderix/ANE #40):
 * -[_ANEInMemoryModel evaluateWithQoS:...], -[_ANEClient evaluateRealTimeWithModel:...]
 * (per the decompile, the direct path at the real-time QoS) and
 * -[_ANEClient doEvaluateDirectWithModel:...]. */
typedef enum { ANE_PATH_NORMAL = 0, ANE_PATH_RT = 1, ANE_PATH_DIRECT = 2 } ane_path;

typedef struct ane_eval_req {
    unsigned qos;              /* 0..63, passed to compile/load/eval */
    unsigned procedure;        /* procedureIndex (the framework validates up to 128) */
    bool perf_stats;           /* ask for counters: kANEFPerformanceStatsMask in the options */
    bool realtime;             /* use the _ANEClient real-time path */
    bool direct;               /* use -[_ANEClient doEvaluateDirectWithModel:...] */
    ane_buf *in, *out;         /* one input, one output */
    ane_buf *weights_buffer;   /* optional request weightsBuffer (probe) */
    /* The output positions the caller will read (kernel_verify_positions;
     * NULL: all of it; non-NULL with want_n 0: none). Not part of any
     * framework call: the simulator computes only these; the framework
     * bridge ignores it. */
    const size_t *want_pos;
    size_t want_n;
} ane_eval_req;

typedef struct ane_eval_res {
    bool has_hw;
    uint64_t hw_ns;            /* hwExecutionTime */
    char hw_reason[128];       /* why not, when !has_hw */
    const char *path;          /* "normal" | "realtime" | "direct" */
} ane_eval_res;

/* Strides of the program's one input and one output surface: channel c at
 * c * plane bytes, element s at s * element size (tmc/apple x/ane). */
typedef struct ane_io_layout {
    size_t in_ch, out_ch;            /* Channels: rows of the input and output surfaces */
    size_t in_width, out_width;      /* Width: elements per row */
    size_t in_elem, out_elem;        /* bytes per element (Type: Float32 4, Float16 2) */
    size_t in_row, in_plane, in_bytes;
    size_t out_row, out_plane, out_bytes;
    bool from_model;           /* stated by the compiled model (modelAttributes) */
    char note[200];            /* where they came from, or why the flat fallback */
} ane_io_layout;

/* One weight file of a model: path is its key in the descriptor's weights
 * dictionary and what the program's BLOBFILE names
 * ("@model_path/weights/weight.bin"); the file is written under the
 * model's directory at the path after "@model_path/". */
typedef struct ane_weight_file {
    const char *path;
    const uint8_t *bytes;
    size_t len;
} ane_weight_file;
/* The single layout's one file (kernels/kernel.h AB_WEIGHTS_SINGLE). */
#define ANE_WEIGHT_BIN "@model_path/weights/weight.bin"

typedef struct ane_api_ops {
    const char *name;          /* "objc" | "sim" */
    /* arg: sim profile ("m4", "m5") or NULL. */
    int (*open)(ane_api **api, const char *arg, ab_err *e);
    void (*close)(ane_api *api);
    int (*device_info)(ane_api *api, ane_device_info *info, ab_err *e);
    /* Names of the framework's _ANE* classes (malloc'd array of malloc'd
     * strings), for the probe's census. */
    int (*class_census)(ane_api *api, char ***names, size_t *n, ab_err *e);
    bool (*has_class)(ane_api *api, const char *name);

    /* MIL text + its weight files (one weights/weight.bin, or one file per
     * layer) -> model (descriptor with every file in its weights
     * dictionary + in-memory model; the files written where the framework
     * expects them). Paths must be "@model_path/weights/NAME" with a plain
     * NAME (letters, digits, '.', '_', '-'). */
    int (*model_create)(ane_api *api, const char *mil, const ane_weight_file *files, size_t nfiles,
                        ane_model **m, ab_err *e);
    /* Overwrites weight files of an existing model on disk (the seed's
     * weight-reload probe: weights/weight.bin). */
    int (*model_rewrite_weights)(ane_api *api, ane_model *m, const ane_weight_file *files, size_t nfiles,
                                 ab_err *e);
    int (*compile)(ane_api *api, ane_model *m, unsigned qos, ab_err *e);
    /* Whether the last compile of m could have been served from the
     * system's cache ("cold", "possible-hit", "hit"). */
    const char *(*compile_cache)(ane_api *api, ane_model *m);
    int (*load)(ane_api *api, ane_model *m, unsigned qos, ab_err *e);
    int (*unload)(ane_api *api, ane_model *m, unsigned qos, ab_err *e);
    void (*model_free)(ane_api *api, ane_model *m);

    int (*buf_create)(ane_api *api, size_t bytes, ane_buf **b, ab_err *e);
    int (*buf_write)(ane_api *api, ane_buf *b, const void *src, size_t bytes, ab_err *e);
    int (*buf_read)(ane_api *api, ane_buf *b, void *dst, size_t bytes, ab_err *e);
    void (*buf_free)(ane_api *api, ane_buf *b);

    int (*eval)(ane_api *api, ane_model *m, const ane_eval_req *rq, ane_eval_res *res, ab_err *e);

    /* Real-time path on _ANEClient. rt_begin fails only where the path is
     * absent (no client, a selector missing); *granted is what
     * beginRealTimeTask answered, which the caller records and does not
     * take as a reason to stop (the one public caller, Espresso, ignores it). */
    int (*rt_begin)(ane_api *api, bool *granted, ab_err *e);
    int (*rt_load)(ane_api *api, ane_model *m, unsigned qos, ab_err *e);
    int (*rt_unload)(ane_api *api, ane_model *m, unsigned qos, ab_err *e);
    void (*rt_end)(ane_api *api);

    /* Compiles left before the framework is expected to refuse (-1 unknown). */
    int (*compile_budget_left)(ane_api *api);

    /* Optional (NULL: nothing to do). Called once, untimed, after model_create
     * and after rq's input buffer holds its data, with the request the evals
     * will use: objc may build its _ANERequest here; sim precomputes the
     * output so that its timed eval costs only the modelled time. */
    int (*eval_prepare)(ane_api *api, ane_model *m, const ane_eval_req *rq, ab_err *e);

    /* After compile and load: the strides of the program's input (in_ch
     * rows of in_w elements) and output (out_ch rows of out_w), elements of
     * elem bytes. Where the compiled model states none, flat unpadded rows
     * (what maderix/ANE ran) with from_model false and note saying why. */
    int (*io_layout)(ane_api *api, ane_model *m, size_t in_ch, size_t in_w, size_t out_ch, size_t out_w,
                     size_t elem, ane_io_layout *l, ab_err *e);
    /* Whether eval path p exists here (every selector it needs answers);
     * false with why filled where not. */
    bool (*path_available)(ane_api *api, ane_path p, char *why, size_t n);
    /* Untimed, after an eval with perf_stats: hwExecutionTime into res
     * (has_hw, hw_ns, or hw_reason). The eval itself only makes the call. */
    void (*eval_stats)(ane_api *api, ane_model *m, const ane_eval_req *rq, ane_eval_res *res);
} ane_api_ops;

extern const ane_api_ops ane_api_sim;
#ifdef __APPLE__
extern const ane_api_ops ane_api_objc;
#endif

/* Row stride of `spatial` elements of elem_size bytes rounded up to a
 * multiple of align (0: unpadded, the flat layout). */
size_t ane_row_stride(size_t spatial, size_t elem_size, size_t align);
/* ane_row_stride(spatial, elem_size, 128): the probes' fixed layout. */
size_t ane_row_bytes(size_t spatial, size_t elem_size);

/* Packs host fp32 data [channels][spatial] into a surface image of
 * channels * row bytes, channel c at c * row (elem 4: fp32, 2: fp16,
 * padding zeroed), and back (backends/ane_layout.c). */
void ane_pack_rows(const float *src, size_t channels, size_t spatial, size_t elem, size_t row, uint8_t *dst);
void ane_unpack_rows(const uint8_t *src, size_t channels, size_t spatial, size_t elem, size_t row, float *dst);
/* The same with row = ane_row_bytes(spatial, elem). */
void ane_pack(const float *src, size_t channels, size_t spatial, size_t elem, uint8_t *dst);
void ane_unpack(const uint8_t *src, size_t channels, size_t spatial, size_t elem, float *dst);

/* Whether path is "@model_path/weights/NAME" with a plain NAME (letters,
 * digits, '.', '_', '-'; not starting with '.'): what the bridge writes
 * under a model's directory (backends/ane_layout.c). */
bool ane_weight_path_ok(const char *path);

/* Picks the implementation for a backend spec: "ane" -> objc (Apple only;
 * elsewhere AB_EUSAGE "the ane backend needs macOS on Apple silicon; use
 * ane-sim:m5"), "ane-sim" / "ane-sim:PROFILE" -> sim with *arg the profile
 * (default "m5"). AB_EUSAGE naming the token for anything else. *arg points
 * into spec or at a literal. */
int ane_api_select(const char *spec, const ane_api_ops **ops, const char **arg, ab_err *e);

#endif
