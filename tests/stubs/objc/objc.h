/* Stub of <objc/objc.h> (macOS SDK, arm64): declarations only, for type-checking. */
#ifndef AB_STUB_OBJC_OBJC_H
#define AB_STUB_OBJC_OBJC_H

#include <stdbool.h>

typedef struct objc_class *Class;
struct objc_object {
    Class isa;
};
typedef struct objc_object *id;
typedef struct objc_selector *SEL;
typedef id (*IMP)(id, SEL, ...);

/* arm64 Apple platforms: OBJC_BOOL_IS_BOOL. */
typedef bool BOOL;
#define YES true
#define NO false
#ifndef nil
#define nil ((id)0)
#endif

const char *sel_getName(SEL sel);
SEL sel_registerName(const char *str);

#endif
