/* fake.h: the fake Darwin test bed (tests only, x86-64 Linux).
 *
 * A small Objective-C runtime (objc_msgSend is an assembly trampoline in
 * msgsend_x86_64.S that asks fake_objc_lookup() for the method), fake
 * CoreFoundation and IOSurface objects that the runtime can also message
 * (toll-free bridging), and fakes of AppleNeuralEngine.framework's classes
 * whose behaviour comes from the ane-sim model (framework.c). Together they
 * let backends/ane_objc.c, compiled for real with -D__APPLE__ against
 * tests/stubs, run on Linux.
 *
 * The fakes keep process-wide state (as the real runtime does): this is test
 * code, never linked into anebench. Every fake object is counted; a test
 * ends with fake_live_objects() == 0 after closing what it opened. */
#ifndef AB_FAKE_H
#define AB_FAKE_H

#include <CoreFoundation/CoreFoundation.h>
#include <IOSurface/IOSurface.h>
#include <objc/runtime.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- runtime (runtime.c) ---- */

/* Every fake instance starts with this header. */
typedef struct fake_obj {
    struct objc_object base;                /* isa */
    long rc;                                /* retain count */
    void (*destroy)(struct fake_obj *self); /* frees what the object owns (not the object) */
    struct fake_obj *prev, *next;           /* live list */
} fake_obj;

/* A class (and its metaclass) deriving from NSObject, or from super. */
Class fake_class(const char *name, Class super);
/* What class_getImageName answers for cls (a string that outlives it). */
void fake_class_set_image(Class cls, const char *image);
/* Adds an instance (or, with class_method, a class) method. */
void fake_method(Class cls, const char *sel, void (*imp)(void), bool class_method);
#define FAKE_METHOD(cls, sel, fn, cm) fake_method((cls), (sel), (void (*)(void))(fn), (cm))

/* A new instance of cls, size bytes (>= sizeof(fake_obj)), rc 1. */
void *fake_new(Class cls, size_t size, void (*destroy)(fake_obj *));
id fake_autorelease(id obj);
bool fake_is(id obj, const char *class_name); /* obj's class is (or derives from) class_name */
const char *fake_class_name(id obj);

/* Leak accounting and reset. */
long fake_live_objects(void);
void fake_print_live(void); /* one line per live object on stderr */
int fake_pool_depth(void);

/* Failure injection: the nth (1-based) call of `what` fails (a selector such
 * as "compileWithQoS:options:error:", or a C function such as "IOSurfaceCreate",
 * "CFDataCreate", "dlopen"); nth -1: every call fails. nth 0 clears. */
void fake_fail(const char *what, int nth);
bool fake_should_fail(const char *what); /* counts the call */
/* Hides a selector of a class from class_respondsToSelector (an OS build
 * without it). NULL clears all. */
void fake_hide(const char *class_name, const char *sel);
/* Names of everything injectable, NULL-terminated (framework.c). */
extern const char *const fake_fail_points[];
/* fake_fail names that misshape modelAttributes' answer (framework.c). */
extern const char *const fake_attribute_variants[];

/* A framework call log ("-[_ANEInMemoryModel compileWithQoS:options:error:]"),
 * for order checks. */
void fake_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool fake_logged(const char *entry);   /* appears anywhere */
int fake_log_index(const char *entry); /* first position, -1 if absent */
void fake_log_clear(void);

/* Aborts the test, loudly: a bridge bug the real framework would punish. */
_Noreturn void fake_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- CF and Foundation value objects (cf.c) ---- */

id fake_string(const char *s);                     /* autoreleased NSString */
const char *fake_string_text(id s);                /* NULL unless an NSString */
const uint8_t *fake_data_bytes(id d, size_t *len); /* NULL unless NSData */
id fake_dict_get(id dict, const char *key);        /* NULL unless NSDictionary */
size_t fake_dict_count(id dict);
id fake_dict_key_at(id dict, size_t i);
size_t fake_array_count(id array);
id fake_array_at(id array, size_t i);
bool fake_number_value(id n, int64_t *v);
/* The domain of the fake framework's errors (the real one's errors are
 * unknown here beyond what public reports quote). */
#define FAKE_ERROR_DOMAIN "com.apple.appleneuralengine"
id fake_error(const char *text); /* autoreleased NSError, FAKE_ERROR_DOMAIN, code -1 */
id fake_error_dc(const char *domain, long code, const char *text); /* autoreleased NSError */
/* Value objects the fakes themselves build, never failing (rc 1, not
 * autoreleased): failure injection is for the bridge's calls only. */
id fake_number(int64_t v);
id fake_array(const void **values, size_t n);
id fake_dict(const void **keys, const void **values, size_t n);
void fake_cf_register(void);     /* the value classes */

/* Fake IOSurface internals for the framework fakes. */
uint8_t *fake_surface_bytes(IOSurfaceRef s, size_t *len, uint64_t *gen);
bool fake_is_surface(const void *p);
/* Content to fill in when the surface is next locked (a device's DMA costs
 * the caller nothing); cleared for ctx's owner when it goes away. */
void fake_surface_set_pending(IOSurfaceRef s, void (*fill)(void *ctx, uint8_t *mem, size_t len), void *ctx);
void fake_surface_clear_pending(IOSurfaceRef s, void *ctx);

/* ---- framework (framework.c) ---- */

/* Sets the sim profile the fake framework uses at the next dlopen ("m5",
 * "m4"); and whether perf stats are filled / the real-time task is granted
 * regardless of the profile (-1 = as the profile says). */
void fake_framework_config(const char *profile, int perf_stats, int realtime);
/* Frees the framework's singletons; after fake_framework_reset() and the
 * bridge's close, fake_live_objects() must be 0. */
void fake_framework_reset(void);
int fake_compiles(void);            /* compileWithQoS calls that reached the sim */
const char *fake_device_chip(void); /* the sim profile's chip, "Apple M5" */
const char *fake_last_hex(void);    /* hexStringIdentifier of the newest model */
/* The newest model's descriptor weights dictionary: its entry count, and
 * whether key is there (its data's length into *len). */
size_t fake_last_weights_count(void);
bool fake_last_weights_entry(const char *key, size_t *len);

/* ---- the rest of the platform (darwin.c) ---- */

const char *fake_tmpdir(void); /* what NSTemporaryDirectory() names (no slash) */
void fake_darwin_register(void);
void fake_darwin_reset(void);

#endif
