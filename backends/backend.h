/* backend.h: engines behind one ops table (fio's ioengine_ops).
 *
 * The harness times every call; a backend only reports what the wall clock
 * cannot see (hw_ns when the engine gives one, the eval path actually used).
 * A case the engine cannot run is skipped with a reason, never silently run
 * as something else. The core never names an engine: see backends/registry.c. */
#ifndef AB_BACKEND_H
#define AB_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "harness/case.h"
#include "harness/error.h"
#include "harness/settings.h"
#include "kernels/kernel.h"

typedef struct ab_backend ab_backend;

typedef struct ab_eval_out {
    bool has_hw;             /* hw_ns valid */
    uint64_t hw_ns;          /* engine's own execution time */
    const char *path;        /* eval path used: "sgemm", "normal", "realtime", "direct" */
    char hw_reason[128];     /* why there is no hw_ns */
} ab_eval_out;

/* What a backend's io setup found: the surface strides it packs with and
 * where they came from (the ane backend: the compiled model's attributes,
 * or the flat fallback), and a note on the eval path (what
 * beginRealTimeTask answered). */
typedef struct ab_io_facts {
    size_t in_row, in_plane, out_row, out_plane; /* bytes; 0 = not applicable */
    char layout[16];                             /* "model" | "flat" | "" */
    char layout_note[200];
    char path_note[160];
} ab_io_facts;

typedef struct ab_backend_ops {
    const char *name;        /* "cpu", "null", "ane", "ane-sim", "fault" */
    const char *help;        /* one line for --help */
    /* arg: text after "name:" (profile, fault spec) or NULL. b->spec holds
     * the whole spec as given ("ane-sim:m5") before open is called. */
    int (*open)(ab_backend *b, const char *arg, ab_err *e);
    void (*close)(ab_backend *b);
    /* 0 if the engine can run on this machine, else AB_EFAIL with why. */
    int (*probe)(ab_backend *b, ab_err *why);
    /* 1 if the case can run; 0 with why filled when it cannot. */
    int (*supports)(ab_backend *b, const ab_case *c, char *why, size_t n);
    /* Untimed: build program text, weights, buffers for kernel instance k
     * (any family: engines read its generic shape, never a family's struct;
     * k outlives inst). */
    int (*prepare)(ab_backend *b, const ab_kernel *k, void **inst, ab_err *e);
    int (*compile)(ab_backend *b, void *inst, ab_err *e);
    int (*load)(ab_backend *b, void *inst, ab_err *e);
    /* Optional, untimed, after the first load: buffers sized from what the
     * compile produced, input written, request built; facts filled. */
    int (*io_setup)(ab_backend *b, void *inst, ab_io_facts *f, ab_err *e);
    int (*eval)(ab_backend *b, void *inst, ab_eval_out *out, ab_err *e);
    /* Optional, untimed: switch the engine's counters on or off for the
     * evals that follow (off by default: counters are not free), and read
     * them after one eval (out->has_hw, hw_ns or hw_reason). A backend
     * without them has no counters. */
    int (*set_stats)(ab_backend *b, void *inst, bool on, ab_err *e);
    void (*read_stats)(ab_backend *b, void *inst, ab_eval_out *out);
    int (*unload)(ab_backend *b, void *inst, ab_err *e);
    /* Copies the last eval's output, as fp32, in the kernel's I/O layout
     * (k->out_rows x k->out_cols). */
    int (*output)(ab_backend *b, void *inst, float *out, ab_err *e);
    void (*release)(ab_backend *b, void *inst);
    /* Adds engine facts to the run.json "backend" object (cJSON*):
     * profile, simulated, blas, framework, ... */
    void (*describe)(ab_backend *b, void *json_obj);
    /* Optional: what the last compile could have hit ("cold", "possible-hit",
     * "hit", "n/a"); NULL means "n/a". */
    const char *(*compile_cache)(ab_backend *b, void *inst);
    /* Optional: compiles this process may still do (-1 = unlimited). The
     * scheduler replaces a worker before it runs out. */
    int (*compile_budget_left)(ab_backend *b);
} ab_backend_ops;

struct ab_backend {
    const ab_backend_ops *ops;
    char spec[AB_SPEC_MAX];           /* as given: "ane-sim:m5" */
    bool simulated;          /* results are modelled, not measured on the device */
    bool fp16_compute;       /* verification uses the fp16 tolerance */
    void *priv;              /* engine state */
    /* Told as each phase of a case starts, outside its timing ("prepare",
     * "compile", "load", "first eval", "eval", "stats batch", "verify", "unload",
     * "reload"); NULL = nobody listens. A worker passes them on so that a
     * timeout or a crash can say which phase it was in. */
    void (*on_phase)(void *arg, const char *phase);
    void *on_phase_arg;
    /* The run's settings while run_case runs a case (NULL outside one, and
     * then every setting has its default): the engines read those that
     * shape what they build (weights_layout). */
    const ab_settings *settings;
};

/* Opens the backend named by spec ("cpu", "ane-sim:m5", "fault:SPEC",
 * "auto"). AB_EUSAGE naming the token for an unknown name or argument. */
int backend_open(ab_backend *b, const char *spec, ab_err *e);
void backend_close(ab_backend *b);
/* What "auto" picks on this machine ("ane" where the framework loads, else "cpu"). */
const char *backend_auto_name(void);
/* Lists the engines for --help. */
void backend_list_help(void *file /* FILE* */);

/* Engines (defined in backends/<name>.c). */
extern const ab_backend_ops ab_backend_cpu;
extern const ab_backend_ops ab_backend_null;
extern const ab_backend_ops ab_backend_ane;     /* spec "ane" (objc) and "ane-sim[:profile]" */
extern const ab_backend_ops ab_backend_fault;

#endif
