/* Stub of <IOKit/ps/IOPSKeys.h> (macOS SDK): the power-source type strings host_apple.c uses. */
#ifndef AB_STUB_IOPSKEYS_H
#define AB_STUB_IOPSKEYS_H

#define kIOPMBatteryPowerKey "Battery Power"
#define kIOPMACPowerKey "AC Power"

#endif
