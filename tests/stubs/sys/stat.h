/* sys/stat.h (stub over the host's header): macOS names a file's times
 * st_atimespec, st_mtimespec and st_ctimespec where Linux says st_atim,
 * st_mtim, st_ctim. The type-check compiles macOS code against this
 * machine's C library, so the Apple names are mapped onto its members and
 * the Linux names are poisoned (st_mtime and friends, macros defined by the
 * host's header, still work as they do on macOS). The platform lint
 * (tests/tools/platform_lint.py) catches what this cannot see. */
#include_next <sys/stat.h>

#if defined(__APPLE__) && !defined(AB_STUB_SYS_STAT_H)
#define AB_STUB_SYS_STAT_H
#define st_atimespec st_atim
#define st_mtimespec st_mtim
#define st_ctimespec st_ctim
#pragma GCC poison st_atim st_mtim st_ctim
#endif
