/* darwin.c: the fakes of the Apple facilities outside the framework that
 * the bridge and harness/host_apple.c touch: NSProcessInfo's thermal state,
 * NSTemporaryDirectory() (a private directory per process, removed at exit
 * when the bridge left it empty), sysctlbyname (chip and OS), and IOKit's
 * power source. Process-wide state, as on the real platform (tests only). */
#include "fake.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct {
    char tmp[256];
    id process_info, power; /* singletons, freed by fake_darwin_reset */
    Class c_pinfo;
} ds;

static id pinfo_shared(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    if (!ds.process_info)
        ds.process_info = fake_new(ds.c_pinfo, sizeof(fake_obj), NULL);
    return ds.process_info;
}

static long pinfo_thermal(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    return 1; /* "fair": distinguishable from a zeroed default */
}

id NSTemporaryDirectory(void);
id NSTemporaryDirectory(void)
{
    if (fake_should_fail("NSTemporaryDirectory"))
        return NULL;
    if (fake_should_fail("NSTemporaryDirectory:missing"))
        return fake_string("/nonexistent-fakedarwin-tmp/");
    if (fake_should_fail("NSTemporaryDirectory:empty"))
        return fake_string("");
    if (fake_should_fail("NSTemporaryDirectory:long")) { /* fits the bridge's buffer; its id added does not */
        char big[1000];
        memset(big, 'T', sizeof big - 1);
        big[0] = '/';
        big[sizeof big - 1] = '\0';
        return fake_string(big);
    }
    char with_slash[300];
    snprintf(with_slash, sizeof with_slash, "%s/", ds.tmp); /* as Foundation returns it */
    return fake_string(with_slash);
}

int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);
int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen)
{
    (void)newp;
    (void)newlen;
    /* No invented macOS release: what the bridge records says where it ran. */
    const char *v = !strcmp(name, "machdep.cpu.brand_string") ? fake_device_chip()
                    : !strcmp(name, "kern.osproductversion")  ? "fakedarwin"
                    : !strcmp(name, "kern.osversion")         ? "fakedarwin"
                                                              : NULL;
    if (!v || fake_should_fail("sysctlbyname")) {
        errno = ENOENT;
        return -1;
    }
    size_t need = strlen(v) + 1;
    if (!oldp || *oldlenp < need) {
        *oldlenp = need;
        errno = ENOMEM;
        return -1;
    }
    memcpy(oldp, v, need);
    *oldlenp = need;
    return 0;
}

CFTypeRef IOPSCopyPowerSourcesInfo(void);
CFStringRef IOPSGetProvidingPowerSourceType(CFTypeRef snapshot);

CFTypeRef IOPSCopyPowerSourcesInfo(void)
{
    return CFDictionaryCreate(kCFAllocatorDefault, NULL, NULL, 0, &kCFTypeDictionaryKeyCallBacks,
                              &kCFTypeDictionaryValueCallBacks);
}

CFStringRef IOPSGetProvidingPowerSourceType(CFTypeRef snapshot)
{
    if (!fake_is((id)(uintptr_t)snapshot, "NSDictionary"))
        fake_die("IOPSGetProvidingPowerSourceType: not a power-sources snapshot");
    if (!ds.power) /* owned by the fake (a "Get" function's result is not the caller's) */
        ds.power = (id)(uintptr_t)CFStringCreateWithCString(kCFAllocatorDefault, "Battery Power",
                                                            kCFStringEncodingUTF8);
    return (CFStringRef)ds.power;
}

const char *fake_tmpdir(void)
{
    return ds.tmp;
}

void fake_darwin_reset(void)
{
    if (ds.process_info)
        CFRelease(ds.process_info);
    if (ds.power)
        CFRelease(ds.power);
    ds.process_info = ds.power = NULL;
}

void fake_darwin_register(void)
{
    ds.c_pinfo = fake_class("NSProcessInfo", NULL);
    FAKE_METHOD(ds.c_pinfo, "processInfo", pinfo_shared, true);
    FAKE_METHOD(ds.c_pinfo, "thermalState", pinfo_thermal, false);
    const char *base = getenv("TMPDIR");
    snprintf(ds.tmp, sizeof ds.tmp, "%s/fakedarwin-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(ds.tmp))
        fake_die("mkdtemp %s: %s", ds.tmp, strerror(errno));
}

__attribute__((destructor)) static void darwin_shutdown(void)
{
    rmdir(ds.tmp); /* empty unless the bridge left model directories behind */
}
