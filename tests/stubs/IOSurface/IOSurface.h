/* Stub of <IOSurface/IOSurface.h> (IOSurfaceRef.h, IOSurfaceTypes.h; macOS SDK):
 * declarations only, and only of what ane_objc.c uses. */
#ifndef AB_STUB_IOSURFACE_H
#define AB_STUB_IOSURFACE_H

#include <stddef.h>
#include <stdint.h>
#include <CoreFoundation/CoreFoundation.h>
#include <mach/kern_return.h>

typedef kern_return_t IOReturn;
typedef struct __IOSurface *IOSurfaceRef;

typedef uint32_t IOSurfaceLockOptions;
enum {
    kIOSurfaceLockReadOnly = 0x00000001,
    kIOSurfaceLockAvoidSync = 0x00000002
};

extern const CFStringRef kIOSurfaceAllocSize;
extern const CFStringRef kIOSurfaceWidth;
extern const CFStringRef kIOSurfaceHeight;
extern const CFStringRef kIOSurfaceBytesPerRow;
extern const CFStringRef kIOSurfaceBytesPerElement;
extern const CFStringRef kIOSurfacePixelFormat;

IOSurfaceRef IOSurfaceCreate(CFDictionaryRef properties);
IOReturn IOSurfaceLock(IOSurfaceRef buffer, IOSurfaceLockOptions options, uint32_t *seed);
IOReturn IOSurfaceUnlock(IOSurfaceRef buffer, IOSurfaceLockOptions options, uint32_t *seed);
void *IOSurfaceGetBaseAddress(IOSurfaceRef buffer);
size_t IOSurfaceGetAllocSize(IOSurfaceRef buffer);

#endif
