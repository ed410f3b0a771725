/* Stub of <sys/sysctl.h> (macOS SDK): declarations only. Linux has no sysctlbyname. */
#ifndef AB_STUB_SYS_SYSCTL_H
#define AB_STUB_SYS_SYSCTL_H

#include <stddef.h>

int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

#endif
