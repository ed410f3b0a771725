/* Stub of <mach/kern_return.h> (macOS SDK): declarations only. */
#ifndef AB_STUB_MACH_KERN_RETURN_H
#define AB_STUB_MACH_KERN_RETURN_H

typedef int kern_return_t;
#define KERN_SUCCESS 0

#endif
