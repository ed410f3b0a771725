/* kernel_names.h: the table of kernel families, one row each. A family is
 * one file kernels/<name>.c defining `const ab_kernel_ops ab_kernel_<name>`
 * (kernels/kernel.h); adding one is that file and a row here. The row's
 * position is the family's value on the `kernel` axis (never reorder: the
 * axis value is an index, and records store names, not indexes). */
#ifndef AB_KERNEL_NAMES_H
#define AB_KERNEL_NAMES_H

#define AB_KERNEL_FAMILIES(X) \
    X(conv1x1)                    \
    X(conv2d)                     \
    X(matmul)                     \
    X(w8a8)

#define AB_KERNEL_ENUM_(n) AB_KERNEL_##n,
enum { AB_KERNEL_FAMILIES(AB_KERNEL_ENUM_) AB_KERNEL_COUNT };
#undef AB_KERNEL_ENUM_

#define AB_KERNEL_TEXT_(n) " " #n
#define AB_KERNEL_NAMES_TEXT AB_KERNEL_FAMILIES(AB_KERNEL_TEXT_)

/* The families' names in table order, NULL-terminated (kernels/kernel.c). */
extern const char *const ab_kernel_names[];

#endif
