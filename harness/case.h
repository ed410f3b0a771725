/* case.h: one point of a sweep (nvbench's "state"): parameter values,
 * canonical key, derived sizes. */
#ifndef AB_CASE_H
#define AB_CASE_H

#include <stddef.h>
#include <stdint.h>
#include "harness/axis.h"

#define AB_KEY_MAX 256
/* Longest --backend spec (a fault:SPEC can list many faults), with its NUL. */
#define AB_SPEC_MAX 512

typedef struct ab_case {
    long v[AX_COUNT]; /* resolved values: cout is never AB_AXIS_SAME here */
    size_t index;     /* position in the enumerated sweep (0-based) */
    int round;        /* round of the sweep it runs in (--repeat; 1-based, 0 = 1); not in the key */
} ab_case;

/* A case with every axis at its default (cout = cin). */
void case_default(ab_case *c);

/* Canonical key (DESIGN.md contract): the kernel family's name, then the
 * axes it uses in table order, backend excluded:
 * "conv1x1 cin=256 cout=256 spatial=64 depth=1 io=fp32 qos=21 procedure=0 mode=normal"
 * threads appears (" threads=N") only when non-zero, data only when not
 * random. Returns length. */
int case_key(const ab_case *c, char *buf, size_t n);

/* Whether axis i is written in c's key (used by its family, and not at a
 * default that keys leave out: threads=0, data=random; never the kernel,
 * which is the key's first word). */
int case_axis_in_key(const ab_case *c, int i);

/* A short label for people (progress lines), so what tells cases apart
 * stays visible on a narrow terminal: the axes marked in vary
 * ("procedure=3 mode=rt"); with vary NULL or all 0, the axes off their
 * defaults, cin and spatial always ("cin=256 spatial=64 qos=5"). Returns
 * the length it needs, as snprintf. */
int case_brief(const ab_case *c, const int vary[AX_COUNT], char *buf, size_t n);
/* vary[i] = 1 where axis i takes more than one value among cases[0..n). */
void case_varying_axes(const ab_case *cases, size_t n, int vary[AX_COUNT]);

/* Parses a key back into a case. Returns 0 or AB_EUSAGE. */
int case_from_key(const char *key, ab_case *c, ab_err *e);

/* Work and traffic of the case, from its kernel family (kernels/kernel.h):
 * flops = 2 per multiply-add of every layer (conv1x1: 2*cin*cout*spatial*depth);
 * bytes = input + output (element size by io) + the weights as stored. */
double case_flops(const ab_case *c);
double case_bytes(const ab_case *c);

/* Bytes of host memory a run of this case needs at most (inputs, outputs,
 * fp32 and fp16 weights, reference), used to refuse cases that cannot fit. */
double case_mem_bytes(const ab_case *c);

/* NULL if the case is well formed, else a reason it cannot exist on any
 * backend (e.g. "depth>1 needs cin == cout"). */
const char *case_invalid_reason(const ab_case *c);

#endif
