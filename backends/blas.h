/* blas.h: the one place that says where CBLAS comes from: Accelerate's
 * vecLib on macOS (AB_BLAS_ACCELERATE, set by cmake/Dependencies.cmake),
 * OpenBLAS's cblas.h elsewhere. Include this, never <cblas.h> itself. */
#ifndef AB_BLAS_H
#define AB_BLAS_H

#ifdef AB_BLAS_ACCELERATE
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
#endif

#endif
