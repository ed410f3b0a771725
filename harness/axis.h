/* axis.h: the sweep axes, one table that drives parsing, help, validation,
 * case keys and the echo of parameters into records.
 *
 * Every axis value is stored as a long; enum axes (io, mode) store the index
 * into their names. */
#ifndef AB_AXIS_H
#define AB_AXIS_H

#include <stddef.h>
#include "harness/error.h"

typedef enum {
    AX_KERNEL,    /* kernel family (kernels/kernel.h): the first word of the case key */
    AX_CIN,
    AX_COUT,      /* default: same as cin (AB_AXIS_SAME) */
    AX_KH,        /* k x k conv (conv2d): kernel height */
    AX_KW,        /* kernel width */
    AX_H,         /* 2-D input height */
    AX_W,         /* 2-D input width */
    AX_PAD,       /* 0 same, 1 valid */
    AX_SPATIAL,
    AX_DEPTH,
    AX_IO,        /* 0 fp32, 1 fp16 */
    AX_DATA,      /* data pattern of weights and inputs (kernels/kernel.h AB_DATA_*) */
    AX_QOS,
    AX_PROCEDURE,
    AX_MODE,      /* 0 normal, 1 rt */
    AX_THREADS,   /* cpu only; 0 = BLAS default, left out of the case key */
    AX_COUNT
} ab_axis_id;

enum { AB_IO_FP32 = 0, AB_IO_FP16 = 1 };
enum { AB_MODE_NORMAL = 0, AB_MODE_RT = 1, AB_MODE_DIRECT = 2 };
enum { AB_PAD_SAME = 0, AB_PAD_VALID = 1 };
enum { AB_DATA_RANDOM = 0, AB_DATA_ZEROS = 1, AB_DATA_SPARSE50 = 2, AB_DATA_SPARSE90 = 3 };
#define AB_AXIS_SAME (-1L) /* cout's default: equal to cin */

typedef enum { AXIS_INT, AXIS_ENUM } ab_axis_kind;

typedef struct ab_axis_def {
    const char *name;
    ab_axis_kind kind;
    long min, max;            /* valid range (ints); enum: 0..nnames-1 */
    long def;                 /* default value */
    const char *const *names; /* enum axes: value names, NULL-terminated */
    const char *unit;         /* "channels", "elements", ... or NULL */
    const char *help;         /* one line for --help */
    int csv_last;             /* added after cases.csv was first laid out: its column comes
                               * after all others, so existing columns keep their places */
} ab_axis_def;

extern const ab_axis_def ab_axes[AX_COUNT];

/* Looks an axis up by name; returns its id or -1. */
int axis_find(const char *name);

/* Parses VALUES for axis a: "a,b,c" | "lo..hi" | "lo..hi:step" | "lo..hi*F"
 * (geometric, factor F >= 2) | enum names (and ranges of ints for enum axes
 * are refused). Validates each value against the axis range. On success
 * *vals is malloc'd (caller frees) with *n values in the order written.
 * On error: AB_EUSAGE with a message naming the bad token. */
int axis_parse_values(const ab_axis_def *a, const char *text, long **vals, size_t *n, ab_err *e);

/* Formats one value of axis a into buf ("256", "fp16", "rt"). */
void axis_format_value(const ab_axis_def *a, long v, char *buf, size_t n);

#endif
