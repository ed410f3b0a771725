/* Stub of <objc/runtime.h> (macOS SDK): declarations only, for type-checking. */
#ifndef AB_STUB_OBJC_RUNTIME_H
#define AB_STUB_OBJC_RUNTIME_H

#include <objc/objc.h>

Class objc_getClass(const char *name);
Class *objc_copyClassList(unsigned int *outCount);
Class object_getClass(id obj);
const char *class_getName(Class cls);
BOOL class_isMetaClass(Class cls);
BOOL class_respondsToSelector(Class cls, SEL sel);
const char *class_getImageName(Class cls);

#endif
