/* cblas.h (stub): macOS has no <cblas.h> on the include path; its CBLAS is
 * Accelerate's. Code compiled as macOS code must include backends/blas.h,
 * which picks the right header. Elsewhere the host's cblas.h is used. */
#ifdef __APPLE__
#error "<cblas.h> does not exist on macOS: include \"backends/blas.h\" (Accelerate there)"
#else
#include_next <cblas.h>
#endif
