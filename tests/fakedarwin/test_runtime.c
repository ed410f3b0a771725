/* test_runtime.c: the fake Objective-C runtime itself (trampoline, lookup,
 * nil messaging, retain counts, pools, toll-free CF objects, IOSurface),
 * before anything relies on it to run the bridge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <objc/message.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake.h"

void *objc_autoreleasePoolPush(void);
void objc_autoreleasePoolPop(void *pool);

typedef void (*generic_imp)(void);
static generic_imp msg(void)
{
    return (generic_imp)objc_msgSend;
}
#define SEND(T) ((T)msg())

/* Eleven arguments: six integer registers, eight vector registers and
 * stack-passed integers and doubles, as a typed send would pass them. */
typedef double (*many_fn)(id, SEL, int, double, id, long, long, long, long, double, long, double, double,
                          double, double, double, double, double, long);

static double m_many(id self, SEL cmd, int a, double b, id c, long d, long e, long f, long g, double h,
                     long i, double j, double k, double l, double m, double n, double o, double p, long q)
{
    assert_string_equal(sel_getName(cmd), "many:");
    assert_ptr_equal(c, self);
    assert_int_equal(a, 1);
    assert_true(b == 2.5 && h == 8.5 && j == 10.5 && k == 11.5 && l == 12.5 && m == 13.5 && n == 14.5 &&
                o == 15.5 && p == 16.5);
    assert_true(d == 4 && e == 5 && f == 6 && g == 7 && i == 9 && q == 17);
    return b + h + p + (double)q;
}

static uint64_t m_class_value(id self, SEL cmd)
{
    (void)cmd;
    assert_true(class_isMetaClass(object_getClass(self)));
    return 0x1122334455667788ULL;
}

static void test_trampoline_passes_every_argument(void **state)
{
    (void)state;
    Class c = fake_class("TestThing", NULL);
    FAKE_METHOD(c, "many:", m_many, false);
    FAKE_METHOD(c, "value", m_class_value, true);
    fake_obj *o = fake_new(c, sizeof *o, NULL);
    id self = (id)o;
    double r = SEND(many_fn)(self, sel_registerName("many:"), 1, 2.5, self, 4, 5, 6, 7, 8.5, 9, 10.5, 11.5,
                             12.5, 13.5, 14.5, 15.5, 16.5, 17);
    assert_true(r == 2.5 + 8.5 + 16.5 + 17);
    assert_true(SEND(uint64_t(*)(id, SEL))((id)c, sel_registerName("value")) == 0x1122334455667788ULL);
    CFRelease(o);
    assert_int_equal(fake_live_objects(), 0);
}

static void test_nil_receiver_returns_zero(void **state)
{
    (void)state;
    assert_null(SEND(id(*)(id, SEL))(NULL, sel_registerName("anything")));
    assert_true(SEND(double (*)(id, SEL))(NULL, sel_registerName("anything")) == 0.0);
    assert_false(SEND(BOOL(*)(id, SEL))(NULL, sel_registerName("anything")));
}

static void test_responds_and_hidden(void **state)
{
    (void)state;
    Class c = fake_class("TestThing", NULL);
    SEL many = sel_registerName("many:"), value = sel_registerName("value");
    assert_true(sel_registerName("many:") == many);
    assert_true(class_respondsToSelector(c, many));
    assert_false(class_respondsToSelector(c, value)); /* a class method */
    assert_true(class_respondsToSelector(object_getClass((id)c), value));
    assert_true(class_respondsToSelector(c, sel_registerName("description"))); /* inherited */
    fake_hide("TestThing", "many:");
    assert_false(class_respondsToSelector(c, many));
    fake_hide(NULL, NULL);
    assert_true(class_respondsToSelector(c, many));
    unsigned n = 0;
    Class *all = objc_copyClassList(&n);
    bool found = false;
    for (unsigned i = 0; i < n; i++)
        found = found || !strcmp(class_getName(all[i]), "TestThing");
    free(all);
    assert_true(found);
}

static void test_pool_releases_autoreleased_objects(void **state)
{
    (void)state;
    long before = fake_live_objects();
    void *outer = objc_autoreleasePoolPush();
    id s = fake_string("kept");
    CFRetain(s);
    void *inner = objc_autoreleasePoolPush();
    fake_string("dropped");
    assert_int_equal(fake_live_objects(), before + 2);
    objc_autoreleasePoolPop(inner);
    assert_int_equal(fake_live_objects(), before + 1);
    objc_autoreleasePoolPop(outer);
    assert_int_equal(fake_live_objects(), before + 1); /* still retained once */
    assert_string_equal(fake_string_text(s), "kept");
    CFRelease(s);
    assert_int_equal(fake_live_objects(), before);
    assert_int_equal(fake_pool_depth(), 0);
}

static void test_cf_objects_answer_messages(void **state)
{
    (void)state;
    void *pool = objc_autoreleasePoolPush();
    CFStringRef k = CFStringCreateWithCString(kCFAllocatorDefault, "key", kCFStringEncodingUTF8);
    int64_t seven = 7;
    CFNumberRef v = CFNumberCreate(kCFAllocatorDefault, kCFNumberSInt64Type, &seven);
    const void *keys[1] = {k}, *vals[1] = {v};
    CFDictionaryRef d = CFDictionaryCreate(kCFAllocatorDefault, keys, vals, 1, &kCFTypeDictionaryKeyCallBacks,
                                           &kCFTypeDictionaryValueCallBacks);
    CFArrayRef a = CFArrayCreate(kCFAllocatorDefault, vals, 1, &kCFTypeArrayCallBacks);
    CFRelease(k);
    CFRelease(v);
    int64_t got = 0;
    assert_true(fake_number_value(fake_dict_get((id)(uintptr_t)d, "key"), &got));
    assert_int_equal(got, 7);
    SEL count = sel_registerName("count"), at = sel_registerName("objectAtIndex:");
    assert_int_equal(SEND(unsigned long (*)(id, SEL))((id)(uintptr_t)a, count), 1);
    assert_true(SEND(id(*)(id, SEL, unsigned long))((id)(uintptr_t)a, at, 0) == (id)(uintptr_t)v);
    /* NSError: Foundation's description form, its domain and its code. */
    id err = fake_error_dc("com.example", 42, "boom");
    id desc = SEND(id(*)(id, SEL))(err, sel_registerName("description"));
    assert_string_equal(SEND(const char *(*)(id, SEL))(desc, sel_registerName("UTF8String")),
                        "Error Domain=com.example Code=42 \"boom\"");
    id dom = SEND(id(*)(id, SEL))(err, sel_registerName("domain"));
    assert_string_equal(SEND(const char *(*)(id, SEL))(dom, sel_registerName("UTF8String")), "com.example");
    assert_int_equal(SEND(long (*)(id, SEL))(err, sel_registerName("code")), 42);
    char buf[64];
    assert_true(CFStringGetCString((CFStringRef)desc, buf, sizeof buf, kCFStringEncodingUTF8));
    assert_false(CFStringGetCString((CFStringRef)desc, buf, 3, kCFStringEncodingUTF8));
    /* NSDictionary objectForKey:, NSNumber longLongValue (the strides' reading). */
    id seven_obj = SEND(id(*)(id, SEL, id))((id)(uintptr_t)d, sel_registerName("objectForKey:"), fake_string("key"));
    assert_int_equal(SEND(long long (*)(id, SEL))(seven_obj, sel_registerName("longLongValue")), 7);
    CFRelease(d);
    CFRelease(a);
    objc_autoreleasePoolPop(pool);
    assert_int_equal(fake_live_objects(), 0);
}

static IOSurfaceRef flat_surface(int64_t bytes)
{
    const void *keys[6] = {kIOSurfaceWidth,       kIOSurfaceHeight,    kIOSurfaceBytesPerElement,
                           kIOSurfaceBytesPerRow, kIOSurfaceAllocSize, kIOSurfacePixelFormat};
    int64_t v[6] = {bytes, 1, 1, bytes, bytes, 0};
    const void *nums[6];
    for (int i = 0; i < 6; i++)
        nums[i] = CFNumberCreate(kCFAllocatorDefault, kCFNumberSInt64Type, &v[i]);
    CFDictionaryRef d = CFDictionaryCreate(kCFAllocatorDefault, keys, nums, 6, &kCFTypeDictionaryKeyCallBacks,
                                           &kCFTypeDictionaryValueCallBacks);
    for (int i = 0; i < 6; i++)
        CFRelease(nums[i]);
    IOSurfaceRef s = IOSurfaceCreate(d);
    CFRelease(d);
    return s;
}

static void test_surface_lock_and_generation(void **state)
{
    (void)state;
    IOSurfaceRef s = flat_surface(256);
    assert_non_null(s);
    assert_int_equal(IOSurfaceGetAllocSize(s), 256);
    size_t len;
    uint64_t g0, g1;
    fake_surface_bytes(s, &len, &g0);
    assert_int_equal(IOSurfaceLock(s, 0, NULL), 0);
    memset(IOSurfaceGetBaseAddress(s), 0x5a, 256);
    IOSurfaceUnlock(s, 0, NULL);
    uint8_t *mem = fake_surface_bytes(s, &len, &g1);
    assert_int_equal(g1, g0 + 1);
    assert_int_equal(mem[255], 0x5a);
    assert_int_equal(IOSurfaceLock(s, kIOSurfaceLockReadOnly, NULL), 0);
    IOSurfaceUnlock(s, kIOSurfaceLockReadOnly, NULL);
    fake_surface_bytes(s, &len, &g0);
    assert_int_equal(g0, g1); /* a read-only lock changes nothing */
    fake_fail("IOSurfaceLock", 1);
    assert_int_not_equal(IOSurfaceLock(s, 0, NULL), 0);
    fake_fail(NULL, 0);
    CFRelease(s);
    assert_int_equal(fake_live_objects(), 0);
}

/* A bridge bug must stop the test run, loudly: checked in a child process,
 * whose stderr must carry the message (naming, for an unknown selector,
 * the class and the selector, as "+[TestThing noSuchClassMethod]"). */
static void expect_abort(void (*fn)(void), const char *what, const char *want_text)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        fn();
        _exit(0);
    }
    close(fds[1]);
    char text[2048];
    size_t n = 0;
    ssize_t r;
    while (n < sizeof text - 1 && (r = read(fds[0], text + n, sizeof text - 1 - n)) > 0)
        n += (size_t)r;
    text[n] = '\0';
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
        fail_msg("%s did not abort", what);
    if (!strstr(text, "FAKEDARWIN FAILURE") || !strstr(text, want_text))
        fail_msg("%s: stderr lacks '%s': %s", what, want_text, text);
}

static void send_unknown(void)
{
    Class c = fake_class("TestThing", NULL);
    SEND(id(*)(id, SEL))((id)c, sel_registerName("noSuchClassMethod"));
}

static void send_unknown_instance(void)
{
    Class c = fake_class("TestThing", NULL);
    fake_obj *o = fake_new(c, sizeof *o, NULL);
    SEND(id(*)(id, SEL))((id)o, sel_registerName("noSuchMethod:"));
}

static void send_hidden(void)
{
    Class c = fake_class("TestThing", NULL);
    FAKE_METHOD(c, "many:", m_many, false);
    fake_obj *o = fake_new(c, sizeof *o, NULL);
    fake_hide("TestThing", "many:");
    SEND(id(*)(id, SEL))((id)o, sel_registerName("many:"));
}

static void autorelease_without_pool(void)
{
    fake_string("nobody releases me");
}

static void test_bugs_abort_loudly(void **state)
{
    (void)state;
    expect_abort(send_unknown, "an unrecognized class method", "+[TestThing noSuchClassMethod]");
    expect_abort(send_unknown_instance, "an unrecognized instance method", "-[TestThing noSuchMethod:]");
    expect_abort(send_hidden, "a hidden selector", "-[TestThing many:]: unrecognized selector sent");
    expect_abort(autorelease_without_pool, "autorelease with no pool", "NSString autoreleased with no pool");
}

int main(void)
{
    fake_cf_register();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trampoline_passes_every_argument),
        cmocka_unit_test(test_nil_receiver_returns_zero),
        cmocka_unit_test(test_responds_and_hidden),
        cmocka_unit_test(test_pool_releases_autoreleased_objects),
        cmocka_unit_test(test_cf_objects_answer_messages),
        cmocka_unit_test(test_surface_lock_and_generation),
        cmocka_unit_test(test_bugs_abort_loudly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
