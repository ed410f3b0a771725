/* Accelerate.h (declaration stub): the part of Accelerate's vecLib CBLAS
 * that anebench uses, with the SDK's types under ACCELERATE_NEW_LAPACK
 * (32-bit __LAPACK_int unless ACCELERATE_LAPACK_ILP64). The enum values are
 * the reference CBLAS ones (netlib cblas.h). No definitions. */
#ifndef AB_STUB_ACCELERATE_H
#define AB_STUB_ACCELERATE_H

#ifndef __LAPACK_int
#define __LAPACK_int int
#endif

enum CBLAS_ORDER { CblasRowMajor = 101, CblasColMajor = 102 };
enum CBLAS_TRANSPOSE { CblasNoTrans = 111, CblasTrans = 112, CblasConjTrans = 113 };
typedef enum CBLAS_ORDER CBLAS_ORDER;
typedef enum CBLAS_TRANSPOSE CBLAS_TRANSPOSE;

void cblas_sgemm(const enum CBLAS_ORDER ORDER, const enum CBLAS_TRANSPOSE TRANSA, const enum CBLAS_TRANSPOSE TRANSB,
                 const __LAPACK_int M, const __LAPACK_int N, const __LAPACK_int K, const float ALPHA, const float *A,
                 const __LAPACK_int LDA, const float *B, const __LAPACK_int LDB, const float BETA, float *C,
                 const __LAPACK_int LDC);
void cblas_dgemm(const enum CBLAS_ORDER ORDER, const enum CBLAS_TRANSPOSE TRANSA, const enum CBLAS_TRANSPOSE TRANSB,
                 const __LAPACK_int M, const __LAPACK_int N, const __LAPACK_int K, const double ALPHA,
                 const double *A, const __LAPACK_int LDA, const double *B, const __LAPACK_int LDB,
                 const double BETA, double *C, const __LAPACK_int LDC);

#endif
