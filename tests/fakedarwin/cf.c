/* cf.c: fake CoreFoundation values and IOSurface for the fake runtime.
 *
 * Each CF object is also an Objective-C object of the matching Foundation
 * class (NSString, NSData, NSNumber, NSArray, NSDictionary), so the bridge
 * can pass a CFDictionaryRef where the framework wants an NSDictionary, as
 * toll-free bridging allows on Apple platforms. Creation functions can be
 * made to fail (fake_fail) to test the bridge's handling of NULL. */
#include "fake.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fstring {
    fake_obj h;
    char *text;
} fstring;
typedef struct fdata {
    fake_obj h;
    uint8_t *bytes;
    size_t len;
} fdata;
typedef struct fnumber {
    fake_obj h;
    int64_t v;
} fnumber;
typedef struct fcoll {
    fake_obj h;
    size_t n;
    id *keys; /* NULL for arrays */
    id *vals;
} fcoll;
typedef struct fnserror {
    fake_obj h;
    char *text;   /* localized description */
    char *domain; /* NSString domain */
    long code;    /* NSInteger code */
} fnserror;
typedef struct fsurface {
    fake_obj h;
    uint8_t *mem;
    size_t alloc;
    int locks;
    IOSurfaceLockOptions lock_mode;
    uint64_t gen;                                         /* bumped by every unlock of a writable lock */
    void (*pending)(void *ctx, uint8_t *mem, size_t len); /* content to fill in at the next lock */
    void *pending_ctx;
} fsurface;

const CFAllocatorRef kCFAllocatorDefault = NULL;
const CFDictionaryKeyCallBacks kCFTypeDictionaryKeyCallBacks = {0};
const CFDictionaryValueCallBacks kCFTypeDictionaryValueCallBacks = {0};
const CFArrayCallBacks kCFTypeArrayCallBacks = {0};

/* The IOSurface property keys: static strings that never die. */
static fstring key_objs[6] = {
    {.h = {.rc = LONG_MAX / 2}, .text = "IOSurfaceWidth"},
    {.h = {.rc = LONG_MAX / 2}, .text = "IOSurfaceHeight"},
    {.h = {.rc = LONG_MAX / 2}, .text = "IOSurfaceBytesPerElement"},
    {.h = {.rc = LONG_MAX / 2}, .text = "IOSurfaceBytesPerRow"},
    {.h = {.rc = LONG_MAX / 2}, .text = "IOSurfaceAllocSize"},
    {.h = {.rc = LONG_MAX / 2}, .text = "IOSurfacePixelFormat"},
};
const CFStringRef kIOSurfaceWidth = (CFStringRef)&key_objs[0];
const CFStringRef kIOSurfaceHeight = (CFStringRef)&key_objs[1];
const CFStringRef kIOSurfaceBytesPerElement = (CFStringRef)&key_objs[2];
const CFStringRef kIOSurfaceBytesPerRow = (CFStringRef)&key_objs[3];
const CFStringRef kIOSurfaceAllocSize = (CFStringRef)&key_objs[4];
const CFStringRef kIOSurfacePixelFormat = (CFStringRef)&key_objs[5];

static Class cls_string, cls_data, cls_number, cls_array, cls_dict, cls_error, cls_surface;

/* ---- destroyers ---- */

static void string_destroy(fake_obj *o)
{
    free(((fstring *)o)->text);
}

static void data_destroy(fake_obj *o)
{
    free(((fdata *)o)->bytes);
}

static void coll_destroy(fake_obj *o)
{
    fcoll *c = (fcoll *)o;
    for (size_t i = 0; i < c->n; i++) {
        if (c->keys)
            CFRelease(c->keys[i]);
        CFRelease(c->vals[i]);
    }
    free(c->keys);
    free(c->vals);
}

static void error_destroy(fake_obj *o)
{
    free(((fnserror *)o)->text);
    free(((fnserror *)o)->domain);
}

static void surface_destroy(fake_obj *o)
{
    fsurface *s = (fsurface *)o;
    if (s->locks)
        fake_die("IOSurface released while locked");
    free(s->mem);
}

/* ---- values ---- */

static id new_string(const char *s)
{
    fstring *o = fake_new(cls_string, sizeof *o, string_destroy);
    if (!(o->text = strdup(s)))
        fake_die("out of memory");
    return (id)o;
}

id fake_string(const char *s)
{
    return fake_autorelease(new_string(s));
}

const char *fake_string_text(id s)
{
    return fake_is(s, "NSString") ? ((fstring *)s)->text : NULL;
}

const uint8_t *fake_data_bytes(id d, size_t *len)
{
    if (!fake_is(d, "NSData"))
        return NULL;
    *len = ((fdata *)d)->len;
    return ((fdata *)d)->bytes ? ((fdata *)d)->bytes : (const uint8_t *)"";
}

bool fake_number_value(id n, int64_t *v)
{
    if (!fake_is(n, "NSNumber"))
        return false;
    *v = ((fnumber *)n)->v;
    return true;
}

id fake_dict_get(id dict, const char *key)
{
    if (!fake_is(dict, "NSDictionary"))
        return NULL;
    fcoll *c = (fcoll *)dict;
    for (size_t i = 0; i < c->n; i++) {
        const char *k = fake_string_text(c->keys[i]);
        if (k && !strcmp(k, key))
            return c->vals[i];
    }
    return NULL;
}

size_t fake_dict_count(id dict)
{
    return fake_is(dict, "NSDictionary") ? ((fcoll *)dict)->n : 0;
}

id fake_dict_key_at(id dict, size_t i)
{
    return fake_is(dict, "NSDictionary") && i < ((fcoll *)dict)->n ? ((fcoll *)dict)->keys[i] : NULL;
}

size_t fake_array_count(id array)
{
    return fake_is(array, "NSArray") ? ((fcoll *)array)->n : 0;
}

id fake_array_at(id array, size_t i)
{
    return fake_is(array, "NSArray") && i < ((fcoll *)array)->n ? ((fcoll *)array)->vals[i] : NULL;
}

id fake_error_dc(const char *domain, long code, const char *text)
{
    fnserror *o = fake_new(cls_error, sizeof *o, error_destroy);
    if (!(o->text = strdup(text)) || !(o->domain = strdup(domain)))
        fake_die("out of memory");
    o->code = code;
    return fake_autorelease((id)o);
}

id fake_error(const char *text)
{
    return fake_error_dc(FAKE_ERROR_DOMAIN, -1, text);
}

/* ---- CoreFoundation functions ---- */

static void check_allocator(CFAllocatorRef a, const char *fn)
{
    if (a != kCFAllocatorDefault)
        fake_die("%s: unexpected allocator", fn);
}

CFStringRef CFStringCreateWithCString(CFAllocatorRef alloc, const char *cStr, CFStringEncoding encoding)
{
    check_allocator(alloc, "CFStringCreateWithCString");
    if (!cStr || encoding != kCFStringEncodingUTF8)
        fake_die("CFStringCreateWithCString: NULL string or not UTF-8");
    if (fake_should_fail("CFStringCreateWithCString"))
        return NULL;
    return (CFStringRef)new_string(cStr);
}

Boolean CFStringGetCString(CFStringRef theString, char *buffer, CFIndex bufferSize, CFStringEncoding encoding)
{
    const char *t = fake_string_text((id)(uintptr_t)theString);
    if (!t || encoding != kCFStringEncodingUTF8)
        fake_die("CFStringGetCString: not a string or not UTF-8");
    if (bufferSize <= 0 || strlen(t) >= (size_t)bufferSize)
        return 0;
    strcpy(buffer, t);
    return 1;
}

CFDataRef CFDataCreate(CFAllocatorRef allocator, const UInt8 *bytes, CFIndex length)
{
    check_allocator(allocator, "CFDataCreate");
    if (length < 0 || (length > 0 && !bytes))
        fake_die("CFDataCreate: bad length %ld", (long)length);
    if (fake_should_fail("CFDataCreate"))
        return NULL;
    fdata *o = fake_new(cls_data, sizeof *o, data_destroy);
    o->len = (size_t)length;
    if (length) {
        if (!(o->bytes = malloc((size_t)length)))
            fake_die("out of memory");
        memcpy(o->bytes, bytes, (size_t)length);
    }
    return (CFDataRef)o;
}

CFNumberRef CFNumberCreate(CFAllocatorRef allocator, CFNumberType theType, const void *valuePtr)
{
    check_allocator(allocator, "CFNumberCreate");
    if (!valuePtr)
        fake_die("CFNumberCreate: NULL value");
    int64_t v;
    if (theType == kCFNumberSInt64Type) {
        memcpy(&v, valuePtr, sizeof v);
    } else if (theType == kCFNumberSInt32Type) {
        int32_t w;
        memcpy(&w, valuePtr, sizeof w);
        v = w;
    } else {
        fake_die("CFNumberCreate: number type %ld not faked", (long)theType);
    }
    if (fake_should_fail("CFNumberCreate"))
        return NULL;
    return (CFNumberRef)fake_number(v);
}

id fake_number(int64_t v)
{
    fnumber *o = fake_new(cls_number, sizeof *o, NULL);
    o->v = v;
    return (id)o;
}

static void check_object(const void *p, const char *fn)
{
    if (!p)
        fake_die("%s: NULL element", fn);
    const struct objc_object *o = p;
    if (!o->isa)
        fake_die("%s: element is not an object (or was freed)", fn);
}

CFArrayRef CFArrayCreate(CFAllocatorRef allocator, const void **values, CFIndex numValues,
                         const CFArrayCallBacks *callBacks)
{
    check_allocator(allocator, "CFArrayCreate");
    if (callBacks != &kCFTypeArrayCallBacks)
        fake_die("CFArrayCreate without kCFTypeArrayCallBacks: not an NSArray of objects");
    if (numValues < 0 || (numValues && !values))
        fake_die("CFArrayCreate: bad values");
    if (fake_should_fail("CFArrayCreate"))
        return NULL;
    return (CFArrayRef)fake_array(values, (size_t)numValues);
}

id fake_array(const void **values, size_t numValues)
{
    fcoll *c = fake_new(cls_array, sizeof *c, coll_destroy);
    c->vals = calloc((size_t)numValues + 1, sizeof *c->vals);
    if (!c->vals)
        fake_die("out of memory");
    for (size_t i = 0; i < numValues; i++) {
        check_object(values[i], "CFArrayCreate");
        c->vals[i] = (id)(uintptr_t)CFRetain(values[i]);
        c->n++;
    }
    return (id)c;
}

CFDictionaryRef CFDictionaryCreate(CFAllocatorRef allocator, const void **keys, const void **values,
                                   CFIndex numValues, const CFDictionaryKeyCallBacks *keyCallBacks,
                                   const CFDictionaryValueCallBacks *valueCallBacks)
{
    check_allocator(allocator, "CFDictionaryCreate");
    if (keyCallBacks != &kCFTypeDictionaryKeyCallBacks || valueCallBacks != &kCFTypeDictionaryValueCallBacks)
        fake_die("CFDictionaryCreate without kCFType callbacks: not an NSDictionary of objects");
    if (numValues < 0 || (numValues && (!keys || !values)))
        fake_die("CFDictionaryCreate: bad keys/values");
    if (fake_should_fail("CFDictionaryCreate"))
        return NULL;
    return (CFDictionaryRef)fake_dict(keys, values, (size_t)numValues);
}

id fake_dict(const void **keys, const void **values, size_t numValues)
{
    fcoll *c = fake_new(cls_dict, sizeof *c, coll_destroy);
    c->keys = calloc((size_t)numValues + 1, sizeof *c->keys);
    c->vals = calloc((size_t)numValues + 1, sizeof *c->vals);
    if (!c->keys || !c->vals)
        fake_die("out of memory");
    for (size_t i = 0; i < numValues; i++) {
        check_object(keys[i], "CFDictionaryCreate");
        check_object(values[i], "CFDictionaryCreate");
        if (!fake_string_text((id)(uintptr_t)keys[i]))
            fake_die("CFDictionaryCreate: key %zu is a %s, not a string", i,
                     fake_class_name((id)(uintptr_t)keys[i]));
        c->keys[i] = (id)(uintptr_t)CFRetain(keys[i]);
        c->vals[i] = (id)(uintptr_t)CFRetain(values[i]);
        c->n++;
    }
    return (id)c;
}

/* ---- IOSurface ---- */

bool fake_is_surface(const void *p)
{
    return p && fake_is((id)(uintptr_t)p, "IOSurface");
}

static fsurface *surface(IOSurfaceRef s, const char *fn)
{
    if (!fake_is_surface(s))
        fake_die("%s: not an IOSurface", fn);
    return (fsurface *)s;
}

static int64_t prop(CFDictionaryRef props, const char *key)
{
    int64_t v;
    if (!fake_number_value(fake_dict_get((id)(uintptr_t)props, key), &v))
        fake_die("IOSurfaceCreate: property %s missing or not a number", key);
    return v;
}

IOSurfaceRef IOSurfaceCreate(CFDictionaryRef properties)
{
    if (!fake_is((id)(uintptr_t)properties, "NSDictionary"))
        fake_die("IOSurfaceCreate: properties are not a dictionary");
    int64_t w = prop(properties, "IOSurfaceWidth"), h = prop(properties, "IOSurfaceHeight");
    int64_t bpe = prop(properties, "IOSurfaceBytesPerElement"),
            bpr = prop(properties, "IOSurfaceBytesPerRow");
    int64_t size = prop(properties, "IOSurfaceAllocSize"), fmt = prop(properties, "IOSurfacePixelFormat");
    /* The flat byte layout the ANE notes prescribe. */
    if (w <= 0 || h != 1 || bpe != 1 || bpr != w || size != w || fmt != 0)
        fake_die(
            "IOSurfaceCreate: not a flat byte surface (w %lld h %lld bpe %lld bpr %lld size %lld fmt %lld)",
            (long long)w, (long long)h, (long long)bpe, (long long)bpr, (long long)size, (long long)fmt);
    if (fake_should_fail("IOSurfaceCreate"))
        return NULL;
    fsurface *s = fake_new(cls_surface, sizeof *s, surface_destroy);
    s->alloc = (size_t)size;
    if (!(s->mem = calloc(1, s->alloc)))
        fake_die("out of memory");
    return (IOSurfaceRef)s;
}

IOReturn IOSurfaceLock(IOSurfaceRef buffer, IOSurfaceLockOptions options, uint32_t *seed)
{
    fsurface *s = surface(buffer, "IOSurfaceLock");
    if (seed)
        *seed = (uint32_t)s->gen;
    if (options & ~(IOSurfaceLockOptions)kIOSurfaceLockReadOnly)
        fake_die("IOSurfaceLock: unexpected options 0x%x", (unsigned)options);
    if (fake_should_fail("IOSurfaceLock"))
        return (IOReturn)0xe00002bc; /* kIOReturnError */
    if (s->locks && s->lock_mode != options)
        fake_die("IOSurfaceLock: nested lock with different options");
    s->lock_mode = options;
    s->locks++;
    if (s->pending) {
        void (*fill)(void *, uint8_t *, size_t) = s->pending;
        s->pending = NULL;
        fill(s->pending_ctx, s->mem, s->alloc);
    }
    return 0;
}

IOReturn IOSurfaceUnlock(IOSurfaceRef buffer, IOSurfaceLockOptions options, uint32_t *seed)
{
    fsurface *s = surface(buffer, "IOSurfaceUnlock");
    if (!s->locks)
        fake_die("IOSurfaceUnlock of an unlocked surface");
    if (options != s->lock_mode)
        fake_die("IOSurfaceUnlock options 0x%x differ from the lock's 0x%x", (unsigned)options,
                 (unsigned)s->lock_mode);
    if (--s->locks == 0 && !(options & kIOSurfaceLockReadOnly))
        s->gen++;
    if (seed)
        *seed = (uint32_t)s->gen;
    return 0;
}

void *IOSurfaceGetBaseAddress(IOSurfaceRef buffer)
{
    fsurface *s = surface(buffer, "IOSurfaceGetBaseAddress");
    if (!s->locks)
        fake_die("IOSurfaceGetBaseAddress without a lock");
    return fake_should_fail("IOSurfaceGetBaseAddress") ? NULL : s->mem;
}

size_t IOSurfaceGetAllocSize(IOSurfaceRef buffer)
{
    return surface(buffer, "IOSurfaceGetAllocSize")->alloc;
}

void fake_surface_set_pending(IOSurfaceRef buffer, void (*fill)(void *ctx, uint8_t *mem, size_t len),
                              void *ctx)
{
    fsurface *s = surface(buffer, "fake_surface_set_pending");
    s->pending = fill;
    s->pending_ctx = ctx;
}

void fake_surface_clear_pending(IOSurfaceRef buffer, void *ctx)
{
    fsurface *s = surface(buffer, "fake_surface_clear_pending");
    if (s->pending && s->pending_ctx == ctx)
        s->pending = NULL;
}

uint8_t *fake_surface_bytes(IOSurfaceRef buffer, size_t *len, uint64_t *gen)
{
    fsurface *s = surface(buffer, "framework surface access");
    *len = s->alloc;
    *gen = s->gen;
    return s->mem;
}

/* ---- Objective-C methods of the value classes ---- */

static id m_description_default(id self, SEL cmd)
{
    (void)cmd;
    return fake_string(fake_class_name(self));
}

static id m_string_self(id self, SEL cmd)
{
    (void)cmd;
    return self;
}

static const char *m_utf8(id self, SEL cmd)
{
    (void)cmd;
    return ((fstring *)self)->text;
}

static unsigned long m_count(id self, SEL cmd)
{
    (void)cmd;
    return ((fcoll *)self)->n;
}

static id m_object_at(id self, SEL cmd, unsigned long i)
{
    (void)cmd;
    fcoll *c = (fcoll *)self;
    if (i >= c->n)
        fake_die("-[NSArray objectAtIndex:]: index %lu beyond bounds [0 .. %zu]", i, c->n);
    return c->vals[i];
}

/* Foundation's -[NSError description] form. */
static id m_error_description(id self, SEL cmd)
{
    (void)cmd;
    fnserror *o = (fnserror *)self;
    size_t n = strlen(o->text) + strlen(o->domain) + 64;
    char *t = malloc(n);
    if (!t)
        fake_die("out of memory");
    snprintf(t, n, "Error Domain=%s Code=%ld \"%s\"", o->domain, o->code, o->text);
    id s = fake_string(t);
    free(t);
    return s;
}

static id m_error_domain(id self, SEL cmd)
{
    (void)cmd;
    return fake_string(((fnserror *)self)->domain);
}

static long m_error_code(id self, SEL cmd)
{
    (void)cmd;
    return ((fnserror *)self)->code;
}

static id m_dict_object_for_key(id self, SEL cmd, id key)
{
    (void)cmd;
    const char *k = fake_string_text(key);
    if (!k)
        fake_die("-[NSDictionary objectForKey:]: key is a %s (this fake keys by string)", fake_class_name(key));
    return fake_dict_get(self, k);
}

static long long m_number_ll(id self, SEL cmd)
{
    (void)cmd;
    return (long long)((fnumber *)self)->v;
}

void fake_cf_register(void)
{
    Class root = fake_class("NSObject", NULL);
    FAKE_METHOD(root, "description", m_description_default, false);
    FAKE_METHOD(root, "description", m_description_default, true);
    cls_string = fake_class("NSString", root);
    FAKE_METHOD(cls_string, "UTF8String", m_utf8, false);
    FAKE_METHOD(cls_string, "description", m_string_self, false);
    for (int i = 0; i < 6; i++)
        key_objs[i].h.base.isa = cls_string;
    cls_data = fake_class("NSData", root);
    cls_number = fake_class("NSNumber", root);
    FAKE_METHOD(cls_number, "longLongValue", m_number_ll, false);
    cls_array = fake_class("NSArray", root);
    FAKE_METHOD(cls_array, "count", m_count, false);
    FAKE_METHOD(cls_array, "objectAtIndex:", m_object_at, false);
    cls_dict = fake_class("NSDictionary", root);
    FAKE_METHOD(cls_dict, "count", m_count, false);
    FAKE_METHOD(cls_dict, "objectForKey:", m_dict_object_for_key, false);
    cls_error = fake_class("NSError", root);
    FAKE_METHOD(cls_error, "description", m_error_description, false);
    FAKE_METHOD(cls_error, "domain", m_error_domain, false);
    FAKE_METHOD(cls_error, "code", m_error_code, false);
    cls_surface = fake_class("IOSurface", root);
}
