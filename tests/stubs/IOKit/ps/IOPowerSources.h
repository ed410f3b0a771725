/* Stub of <IOKit/ps/IOPowerSources.h> (macOS SDK): declarations only. */
#ifndef AB_STUB_IOPOWERSOURCES_H
#define AB_STUB_IOPOWERSOURCES_H

#include <CoreFoundation/CoreFoundation.h>

CFTypeRef IOPSCopyPowerSourcesInfo(void);
CFStringRef IOPSGetProvidingPowerSourceType(CFTypeRef snapshot);

#endif
