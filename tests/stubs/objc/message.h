/* Stub of <objc/message.h> (macOS SDK): declarations only, for type-checking.
 * The SDK's strict form (OBJC_OLD_DISPATCH_PROTOTYPES=0): objc_msgSend has no
 * usable prototype, so every call must cast it to the exact method type. */
#ifndef AB_STUB_OBJC_MESSAGE_H
#define AB_STUB_OBJC_MESSAGE_H

#include <objc/objc.h>

void objc_msgSend(void);

#endif
