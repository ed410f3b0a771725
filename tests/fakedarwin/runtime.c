/* runtime.c: a fake Objective-C runtime for x86-64 Linux (tests only).
 *
 * Classes with metaclasses and single inheritance from a root NSObject,
 * interned selectors, method lookup for the objc_msgSend trampoline (a
 * message a class does not implement aborts the test naming class and
 * selector), retain counts shared with CFRetain/CFRelease (toll-free),
 * autorelease pools that really release, a live-object list for leak
 * accounting, failure injection, hidden selectors and a call log. */
#include "fake.h"

#include <objc/message.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fake_method_entry {
    SEL sel;
    IMP imp;
};

struct objc_class {
    Class isa;   /* the metaclass (for a metaclass: NULL) */
    Class super; /* NULL for the root */
    const char *name;
    const char *image; /* class_getImageName; NULL: the main program's (unnamed) */
    bool meta;
    struct fake_method_entry *m;
    size_t n, cap;
};

struct objc_selector {
    char *name;
};

/* Process-wide state, as in the real runtime (test code only). */
static struct {
    struct objc_selector **sels;
    size_t nsels, capsels;
    Class *classes;
    size_t nclasses, capclasses;
    fake_obj live; /* sentinel of the live list */
    long nlive;
    id *pool;
    size_t npool, cappool;
    size_t *marks;
    size_t nmarks, capmarks;
    char fail_what[128];
    int fail_nth, fail_seen;
    char hidden[16][160];
    int nhidden;
    char **log;
    size_t nlog, caplog;
} rt = {.live = {.prev = &rt.live, .next = &rt.live}};

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap * 2 : 16;
    while (c < need)
        c *= 2;
    void *q = realloc(p, c * elem);
    if (!q)
        fake_die("fake runtime: out of memory");
    *cap = c;
    return q;
}

_Noreturn void fake_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("FAKEDARWIN FAILURE: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(stderr);
    abort();
}

/* ---- selectors ---- */

SEL sel_registerName(const char *str)
{
    for (size_t i = 0; i < rt.nsels; i++)
        if (!strcmp(rt.sels[i]->name, str))
            return rt.sels[i];
    rt.sels = grow(rt.sels, &rt.capsels, rt.nsels + 1, sizeof *rt.sels);
    struct objc_selector *s = malloc(sizeof *s);
    if (!s || !(s->name = strdup(str)))
        fake_die("fake runtime: out of memory");
    rt.sels[rt.nsels++] = s;
    return s;
}

const char *sel_getName(SEL sel)
{
    return sel ? sel->name : "<null selector>";
}

/* ---- classes ---- */

static Class new_class_struct(const char *name, bool meta)
{
    Class c = calloc(1, sizeof *c);
    if (!c)
        fake_die("fake runtime: out of memory");
    c->name = name;
    c->meta = meta;
    return c;
}

static Class find_class(const char *name)
{
    for (size_t i = 0; i < rt.nclasses; i++)
        if (!strcmp(rt.classes[i]->name, name))
            return rt.classes[i];
    return NULL;
}

/* The runtime's lookup, which a test can make fail (a class this OS lacks). */
Class objc_getClass(const char *name)
{
    return fake_should_fail("objc_getClass") ? NULL : find_class(name);
}

Class fake_class(const char *name, Class super)
{
    Class c = find_class(name);
    if (c)
        return c;
    char *own = strdup(name); /* class names live as long as the process */
    if (!own)
        fake_die("fake runtime: out of memory");
    c = new_class_struct(own, false);
    Class m = new_class_struct(own, true);
    c->isa = m;
    if (!super && strcmp(name, "NSObject") != 0)
        super = find_class("NSObject");
    c->super = super;
    m->super = super ? super->isa : NULL;
    rt.classes = grow(rt.classes, &rt.capclasses, rt.nclasses + 1, sizeof *rt.classes);
    rt.classes[rt.nclasses++] = c;
    return c;
}

void fake_method(Class cls, const char *sel, void (*imp)(void), bool class_method)
{
    Class c = class_method ? cls->isa : cls;
    c->m = grow(c->m, &c->cap, c->n + 1, sizeof *c->m);
    c->m[c->n].sel = sel_registerName(sel);
    c->m[c->n].imp = (IMP)imp;
    c->n++;
}

void fake_class_set_image(Class cls, const char *image)
{
    cls->image = image;
    cls->isa->image = image;
}

const char *class_getImageName(Class cls)
{
    return cls ? cls->image : NULL;
}

Class *objc_copyClassList(unsigned int *outCount)
{
    if (fake_should_fail("objc_copyClassList")) {
        if (outCount)
            *outCount = 0;
        return NULL;
    }
    Class *list = malloc((rt.nclasses + 1) * sizeof *list);
    if (!list)
        fake_die("fake runtime: out of memory");
    memcpy(list, rt.classes, rt.nclasses * sizeof *list);
    list[rt.nclasses] = NULL;
    if (outCount)
        *outCount = (unsigned int)rt.nclasses;
    return list;
}

Class object_getClass(id obj)
{
    return obj ? obj->isa : NULL;
}

const char *class_getName(Class cls)
{
    return cls ? cls->name : "nil";
}

BOOL class_isMetaClass(Class cls)
{
    return cls && cls->meta;
}

static IMP find_method(Class c, SEL sel)
{
    for (; c; c = c->super)
        for (size_t i = 0; i < c->n; i++)
            if (c->m[i].sel == sel)
                return c->m[i].imp;
    return NULL;
}

static bool hidden(Class c, SEL sel)
{
    char key[160];
    snprintf(key, sizeof key, "%s %s", c->name, sel->name);
    for (int i = 0; i < rt.nhidden; i++)
        if (!strcmp(rt.hidden[i], key))
            return true;
    return false;
}

BOOL class_respondsToSelector(Class cls, SEL sel)
{
    return cls && sel && !hidden(cls, sel) && find_method(cls, sel) != NULL;
}

void fake_hide(const char *class_name, const char *sel)
{
    if (!class_name) {
        rt.nhidden = 0;
        return;
    }
    if (rt.nhidden < 16)
        snprintf(rt.hidden[rt.nhidden++], sizeof rt.hidden[0], "%s %s", class_name, sel);
}

/* Called by the trampoline for every message to a non-nil receiver. */
IMP fake_objc_lookup(id self, SEL sel);
IMP fake_objc_lookup(id self, SEL sel)
{
    Class c = self->isa;
    if (!c)
        fake_die("message %s to an object without a class (freed or not an object?)", sel_getName(sel));
    IMP imp = hidden(c, sel) ? NULL : find_method(c, sel);
    if (!imp)
        fake_die("%c[%s %s]: unrecognized selector sent (the fake does not implement it%s)",
                 c->meta ? '+' : '-', c->name, sel_getName(sel),
                 hidden(c, sel) ? "; hidden for this test" : "");
    return imp;
}

const char *fake_class_name(id obj)
{
    return obj ? obj->isa->name : "nil";
}

bool fake_is(id obj, const char *class_name)
{
    if (!obj || obj->isa->meta)
        return false;
    for (Class c = obj->isa; c; c = c->super)
        if (!strcmp(c->name, class_name))
            return true;
    return false;
}

/* ---- objects, retain counts, pools ---- */

void *fake_new(Class cls, size_t size, void (*destroy)(fake_obj *))
{
    fake_obj *o = calloc(1, size);
    if (!o)
        fake_die("fake runtime: out of memory");
    o->base.isa = cls;
    o->rc = 1;
    o->destroy = destroy;
    o->next = rt.live.next;
    o->prev = &rt.live;
    rt.live.next->prev = o;
    rt.live.next = o;
    rt.nlive++;
    return o;
}

static bool is_class_object(const void *p)
{
    const struct objc_object *o = p;
    return o->isa == NULL || o->isa->meta;
}

CFTypeRef CFRetain(CFTypeRef cf)
{
    if (!cf)
        fake_die("CFRetain(NULL)");
    if (is_class_object(cf))
        return cf;
    fake_obj *o = (fake_obj *)(uintptr_t)cf;
    if (o->rc <= 0)
        fake_die("CFRetain of a released %s", o->base.isa->name);
    o->rc++;
    return cf;
}

void CFRelease(CFTypeRef cf)
{
    if (!cf)
        fake_die("CFRelease(NULL)");
    if (is_class_object(cf))
        return;
    fake_obj *o = (fake_obj *)(uintptr_t)cf;
    if (o->rc <= 0)
        fake_die("over-release of a %s", o->base.isa->name);
    if (--o->rc)
        return;
    if (o->destroy)
        o->destroy(o);
    o->prev->next = o->next;
    o->next->prev = o->prev;
    rt.nlive--;
    o->base.isa = NULL;
    free(o);
}

id fake_autorelease(id obj)
{
    if (!obj)
        return obj;
    if (!rt.nmarks)
        fake_die("%s autoreleased with no pool in place (it would leak)", fake_class_name(obj));
    rt.pool = grow(rt.pool, &rt.cappool, rt.npool + 1, sizeof *rt.pool);
    rt.pool[rt.npool++] = obj;
    return obj;
}

void *objc_autoreleasePoolPush(void);
void objc_autoreleasePoolPop(void *pool);

void *objc_autoreleasePoolPush(void)
{
    rt.marks = grow(rt.marks, &rt.capmarks, rt.nmarks + 1, sizeof *rt.marks);
    rt.marks[rt.nmarks++] = rt.npool;
    return (void *)(uintptr_t)rt.nmarks;
}

void objc_autoreleasePoolPop(void *pool)
{
    size_t token = (size_t)(uintptr_t)pool;
    if (!token || token != rt.nmarks)
        fake_die("autorelease pool popped out of order (token %zu, depth %zu)", token, rt.nmarks);
    size_t mark = rt.marks[--rt.nmarks];
    while (rt.npool > mark)
        CFRelease(rt.pool[--rt.npool]);
}

int fake_pool_depth(void)
{
    return (int)rt.nmarks;
}

long fake_live_objects(void)
{
    return rt.nlive;
}

void fake_print_live(void)
{
    for (fake_obj *o = rt.live.next; o != &rt.live; o = o->next) {
        const char *s = fake_string_text((id)o);
        fprintf(stderr, "  live: %s rc=%ld%s%s\n", o->base.isa->name, o->rc, s ? " " : "", s ? s : "");
    }
}

/* ---- failure injection and the call log ---- */

void fake_fail(const char *what, int nth)
{
    snprintf(rt.fail_what, sizeof rt.fail_what, "%s", nth != 0 && what ? what : "");
    rt.fail_nth = nth;
    rt.fail_seen = 0;
}

bool fake_should_fail(const char *what)
{
    if (!rt.fail_what[0] || strcmp(rt.fail_what, what) != 0)
        return false;
    return ++rt.fail_seen == rt.fail_nth || rt.fail_nth < 0;
}

void fake_log(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    rt.log = grow(rt.log, &rt.caplog, rt.nlog + 1, sizeof *rt.log);
    if (!(rt.log[rt.nlog++] = strdup(buf)))
        fake_die("fake runtime: out of memory");
}

int fake_log_index(const char *entry)
{
    for (size_t i = 0; i < rt.nlog; i++)
        if (!strcmp(rt.log[i], entry))
            return (int)i;
    return -1;
}

bool fake_logged(const char *entry)
{
    return fake_log_index(entry) >= 0;
}

void fake_log_clear(void)
{
    for (size_t i = 0; i < rt.nlog; i++)
        free(rt.log[i]);
    rt.nlog = 0;
}
