/* mach-o/dyld.h (declaration stub): the executable's path
 * (harness/platform.c), with the SDK's prototype. */
#ifndef AB_STUB_DYLD_H
#define AB_STUB_DYLD_H

#include <stdint.h>

extern int _NSGetExecutablePath(char *buf, uint32_t *bufsize);

#endif
