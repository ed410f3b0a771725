/* host_apple.c: machine facts only macOS can give (declared in runmeta.h).
 *
 * Thermal state from -[NSProcessInfo thermalState] through the Objective-C
 * runtime (plain C, typed objc_msgSend casts), power source from IOKit's power
 * sources, chip and OS from sysctl. Each function returns 0 when it filled its
 * buffer, -1 (buffer "") when the platform did not say. Type-checked on Linux
 * against tests/stubs; not yet run on a Mac. */
#ifdef __APPLE__

#include "harness/runmeta.h"

#include <CoreFoundation/CoreFoundation.h>
#include <IOKit/ps/IOPSKeys.h>
#include <IOKit/ps/IOPowerSources.h>
#include <objc/message.h>
#include <objc/runtime.h>

#include <stdio.h>
#include <string.h>
#include <sys/sysctl.h>

#include "harness/error.h"

/* objc_msgSend cast to the exact method type (see backends/ane_objc.c). */
typedef void (*generic_imp)(void);
static generic_imp msg_send(void)
{
    return (generic_imp)objc_msgSend;
}
#define SEND(T) ((T)msg_send())
typedef id (*send_id)(id, SEL);
typedef long (*send_long)(id, SEL); /* NSInteger on LP64 */

static int set_empty(char *buf, size_t n)
{
    if (n)
        buf[0] = '\0';
    return -1;
}

static int sysctl_string(const char *name, char *buf, size_t n)
{
    char tmp[256];
    size_t len = sizeof tmp - 1;
    if (sysctlbyname(name, tmp, &len, NULL, 0) != 0 || len == 0)
        return set_empty(buf, n);
    tmp[len < sizeof tmp ? len : sizeof tmp - 1] = '\0';
    if (!tmp[0])
        return set_empty(buf, n);
    ab_strlcpy(buf, tmp, n);
    return 0;
}

int host_apple_chip(char *buf, size_t n)
{
    return sysctl_string("machdep.cpu.brand_string", buf, n);
}

int host_apple_os(char *os, size_t n, char *build, size_t nb)
{
    char version[64];
    int rc = sysctl_string("kern.osproductversion", version, sizeof version);
    if (rc == 0)
        snprintf(os, n, "macOS %s", version);
    else
        set_empty(os, n);
    if (sysctl_string("kern.osversion", build, nb) != 0)
        rc = -1;
    return rc;
}

/* NSProcessInfoThermalState: 0 nominal, 1 fair, 2 serious, 3 critical. */
int host_apple_thermal(char *buf, size_t n)
{
    static const char *const names[] = {"nominal", "fair", "serious", "critical"};
    id cls = (id)objc_getClass("NSProcessInfo");
    SEL shared = sel_registerName("processInfo"), thermal = sel_registerName("thermalState");
    if (!cls || !class_respondsToSelector(object_getClass(cls), shared))
        return set_empty(buf, n);
    id info = SEND(send_id)(cls, shared);
    if (!info || !class_respondsToSelector(object_getClass(info), thermal))
        return set_empty(buf, n);
    long state = SEND(send_long)(info, thermal);
    if (state < 0 || state > 3)
        return set_empty(buf, n);
    ab_strlcpy(buf, names[state], n);
    return 0;
}

int host_apple_power(char *buf, size_t n)
{
    CFTypeRef snapshot = IOPSCopyPowerSourcesInfo();
    if (!snapshot)
        return set_empty(buf, n);
    char type[64] = "";
    CFStringRef providing = IOPSGetProvidingPowerSourceType(snapshot); /* not owned */
    if (providing && !CFStringGetCString(providing, type, sizeof type, kCFStringEncodingUTF8))
        type[0] = '\0';
    CFRelease(snapshot);
    /* A UPS is neither of runmeta.h's two answers: reported as unknown. */
    const char *name = strcmp(type, kIOPMACPowerKey) == 0        ? "ac"
                       : strcmp(type, kIOPMBatteryPowerKey) == 0 ? "battery"
                                                                 : NULL;
    if (!name)
        return set_empty(buf, n);
    ab_strlcpy(buf, name, n);
    return 0;
}

#endif /* __APPLE__ */
