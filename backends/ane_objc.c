/* ane_objc.c: ane_api over Apple's private AppleNeuralEngine.framework.
 *
 * Plain C over the Objective-C runtime, CoreFoundation, IOSurface and POSIX:
 * no Objective-C source, so the file type-checks on Linux against the stubs
 * in tests/stubs and runs there against fakes of those APIs (tests/fakedarwin).
 * Rules kept
 * throughout (see docs/ane-bridge.md):
 * - every message goes through objc_msgSend cast to the method's exact type
 *   (SEND below); arm64 has no variadic objc_msgSend;
 * - every framework selector is checked with class_respondsToSelector first;
 *   a missing one is an error naming the class and the selector;
 * - every operation runs inside its own autorelease pool;
 * - a failed call carries up [[error description] UTF8String].
 * Selector names and argument types come from public reverse-engineering work
 * (see /work/shared/ANE-NOTES.md); none of this has run on Apple hardware. */
#ifdef __APPLE__

#include "backends/ane_api.h"

#include <CoreFoundation/CoreFoundation.h>
#include <IOSurface/IOSurface.h>
#include <objc/message.h>
#include <objc/runtime.h>

#include <dlfcn.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "harness/runmeta.h"

/* Exported by libobjc and Foundation, but declared in no header a C file can
 * include. */
extern void *objc_autoreleasePoolPush(void);
extern void objc_autoreleasePoolPop(void *pool);
extern id NSTemporaryDirectory(void);

#define ANE_FRAMEWORK_DIR "/System/Library/PrivateFrameworks/AppleNeuralEngine.framework/"
#define ANE_FRAMEWORK ANE_FRAMEWORK_DIR "AppleNeuralEngine"
#define ANE_WEIGHT_KEY "@model_path/weights/weight.bin"
#define ANE_COMPILE_CAP 100 /* the framework refuses after ~119; public code caps at 100 */
#define ANE_PERF_FMASK 0xFu /* ANEF perf-stats mask; masks above 0xF map to 0 */
#define ANE_LOAD_RETRY_NS 100000000L

/* objc_msgSend cast to an exact method type. The generic pointer works
 * whether the SDK declares the strict or the old variadic prototype; taking
 * it from a function keeps gcc from flagging every cast call site, while a
 * wrong argument type at a call site is still an error. */
typedef void (*generic_imp)(void);
static generic_imp msg_send(void)
{
    return (generic_imp)objc_msgSend;
}
#define SEND(T) ((T)msg_send())

typedef id (*send_id)(id, SEL);
typedef id (*send_id_id)(id, SEL, id);
typedef id (*send_id_3id)(id, SEL, id, id, id);
typedef id (*send_id_surface)(id, SEL, IOSurfaceRef);
typedef id (*send_id_index)(id, SEL, unsigned long);
typedef id (*send_id_u64)(id, SEL, uint64_t);
typedef id (*send_request)(id, SEL, id, id, id, id, id, id, id);
typedef const char *(*send_cstr)(id, SEL);
typedef unsigned long (*send_ulong)(id, SEL);
typedef unsigned int (*send_uint)(id, SEL);
typedef unsigned int (*send_uint_uint)(id, SEL, unsigned int);
typedef uint64_t (*send_u64)(id, SEL);
typedef void (*send_void_uint)(id, SEL, unsigned int);
typedef BOOL (*send_bool)(id, SEL);
typedef BOOL (*send_bool_qos_opts_err)(id, SEL, unsigned int, id, id *);
typedef BOOL (*send_bool_qos_err)(id, SEL, unsigned int, id *);
typedef BOOL (*send_bool_qos_opts_req_err)(id, SEL, unsigned int, id, id, id *);
typedef BOOL (*send_bool_model_opts_req_err)(id, SEL, id, id, id, id *);
typedef BOOL (*send_bool_model_opts_qos_err)(id, SEL, id, id, unsigned int, id *);

/* Selectors, registered once per ane_api. */
struct ane_sels {
    SEL model_with_mil, in_memory_model, hex_id, compile, load, unload, evaluate, inner_model, set_mask,
        compiled_exists, with_surface, request, perf_stats, perf_stats_array, hw_time, driver_mask,
        stats_with_hw, shared_conn, rt_begin, rt_load, rt_eval, rt_unload, rt_end, has_ane, arch, subtype,
        cores, description, utf8, count, object_at;
};

struct ane_api {
    void *framework; /* dlopen handle; never closed (ObjC images cannot unload) */
    Class desc_cls, model_cls, req_cls, surf_cls, stats_cls, client_cls, devinfo_cls;
    char image[512];     /* class_getImageName(_ANEInMemoryModel): who answers our messages */
    id client;           /* retained _ANEClient for the real-time path (find_client) */
    unsigned perf_mask;  /* driver perf-stats mask; 0 = stats unobtainable */
    char perf_note[160]; /* why perf stats are unobtainable */
    CFDictionaryRef empty_opts, perf_opts;
    int compiles; /* compile attempts in this process */
    bool rt_active;
    ane_model *models; /* live models, to share temp directories safely */
    struct ane_sels s;
};

struct ane_model {
    id model; /* retained _ANEInMemoryModel */
    char hex[128];
    char dir[1024];    /* NSTemporaryDirectory()/<hex> */
    const char *cache; /* compile_cache() answer */
    id req;            /* retained _ANERequest for the key below */
    ane_buf *req_in, *req_out, *req_wb;
    unsigned req_proc;
    bool req_stats;
    const char *req_no_stats; /* why req carries no _ANEPerformanceStats though asked to */
    ane_model *next;
};

struct ane_buf {
    IOSurfaceRef surface; /* owned */
    id obj;               /* retained _ANEIOSurfaceObject */
    size_t bytes;
};

/* ---- runtime helpers ---- */

static bool responds(id obj, SEL sel)
{
    return obj && class_respondsToSelector(object_getClass(obj), sel);
}

/* Error for a missing selector: "-[_ANEClient beginRealTimeTask]". */
static int need(id obj, SEL sel, ab_err *e)
{
    if (responds(obj, sel))
        return 0;
    if (!obj)
        return ab_errf(e, AB_EFAIL, "ane-objc: nil receiver for %s", sel_getName(sel));
    Class c = object_getClass(obj);
    return ab_errf(e, AB_EFAIL, "ane-objc: %c[%s %s] is not implemented by this framework",
                   class_isMetaClass(c) ? '+' : '-', class_getName(c), sel_getName(sel));
}

/* [[obj description] UTF8String] (or [obj UTF8String] for a string) into buf. */
static void text_of(ane_api *api, id obj, bool is_string, char *buf, size_t n)
{
    id s = obj;
    if (!is_string)
        s = responds(obj, api->s.description) ? SEND(send_id)(obj, api->s.description) : NULL;
    const char *c = responds(s, api->s.utf8) ? SEND(send_cstr)(s, api->s.utf8) : NULL;
    ab_strlcpy(buf, c ? c : "", n);
}

/* A failed BOOL call: the framework's own error text where it gave one. */
static int fail_ns(ane_api *api, ab_err *e, const char *what, id err)
{
    char text[400] = "";
    if (err)
        text_of(api, err, false, text, sizeof text);
    return ab_errf(e, AB_EFAIL, "ane-objc: %s failed: %s", what,
                   text[0] ? text : "returned NO without an NSError");
}

static void release_obj(id obj)
{
    if (obj)
        CFRelease((CFTypeRef)obj);
}

static id retain_obj(id obj)
{
    if (obj)
        CFRetain((CFTypeRef)obj);
    return obj;
}

/* ---- CF values ----
 * Each constructor below names itself in e when it fails ("ane-objc:
 * CFNumberCreate failed (the procedure index)") and returns false, so that
 * callers chain them with && and a failure report names the call that
 * failed, never a later message that was not sent. *out is NULL on failure;
 * the caller releases whatever was made. */

static bool cf_failed(ab_err *e, const char *call, const char *what)
{
    ab_errf(e, AB_EFAIL, "ane-objc: %s failed (%s)", call, what);
    return false;
}

static bool make_number(CFNumberRef *out, int64_t v, const char *what, ab_err *e)
{
    *out = CFNumberCreate(kCFAllocatorDefault, kCFNumberSInt64Type, &v);
    return *out || cf_failed(e, "CFNumberCreate", what);
}

static bool make_string(CFStringRef *out, const char *text, ab_err *e)
{
    *out = CFStringCreateWithCString(kCFAllocatorDefault, text, kCFStringEncodingUTF8);
    return *out || cf_failed(e, "CFStringCreateWithCString", text);
}

static bool make_dict(CFDictionaryRef *out, const void **keys, const void **values, CFIndex n,
                      const char *what, ab_err *e)
{
    *out = CFDictionaryCreate(kCFAllocatorDefault, keys, values, n, &kCFTypeDictionaryKeyCallBacks,
                              &kCFTypeDictionaryValueCallBacks);
    return *out || cf_failed(e, "CFDictionaryCreate", what);
}

static bool make_array1(CFArrayRef *out, const void *value, const char *what, ab_err *e)
{
    *out = CFArrayCreate(kCFAllocatorDefault, &value, 1, &kCFTypeArrayCallBacks);
    return *out || cf_failed(e, "CFArrayCreate", what);
}

static bool make_data(CFDataRef *out, const void *bytes, size_t len, const char *what, ab_err *e)
{
    *out = CFDataCreate(kCFAllocatorDefault, (const UInt8 *)bytes, (CFIndex)len);
    return *out || cf_failed(e, "CFDataCreate", what);
}

static void release_all(const CFTypeRef *all, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (all[i])
            CFRelease(all[i]);
}

/* ---- files: NSTemporaryDirectory()/<hex>/model.mil and weights/weight.bin ---- */

static int write_file(const char *path, const void *data, size_t len, ab_err *e)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return ab_errf(e, AB_EFAIL, "ane-objc: cannot create %s: %s", path, strerror(errno));
    size_t put = len ? fwrite(data, 1, len, f) : 0;
    int bad = put != len;
    if (fclose(f) != 0)
        bad = 1;
    if (bad)
        return ab_errf(e, AB_EFAIL, "ane-objc: cannot write %s: %s", path, strerror(errno));
    return 0;
}

static int make_dir(const char *path, ab_err *e)
{
    if (mkdir(path, 0700) == 0 || errno == EEXIST)
        return 0;
    return ab_errf(e, AB_EFAIL, "ane-objc: cannot create directory %s: %s", path, strerror(errno));
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static int write_weights(ane_model *m, const uint8_t *weights, size_t wlen, ab_err *e)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/weights", m->dir);
    if (make_dir(path, e))
        return AB_EFAIL;
    snprintf(path, sizeof path, "%s/weights/weight.bin", m->dir);
    return write_file(path, weights, wlen, e);
}

static int write_model_files(ane_api *api, ane_model *m, const char *mil, const uint8_t *weights, size_t wlen,
                             ab_err *e)
{
    char tmp[900] = "";
    text_of(api, NSTemporaryDirectory(), true, tmp, sizeof tmp);
    if (!tmp[0])
        return ab_errf(e, AB_EFAIL, "ane-objc: NSTemporaryDirectory() gave no path");
    size_t n = strlen(tmp);
    while (n > 1 && tmp[n - 1] == '/')
        tmp[--n] = '\0';
    snprintf(m->dir, sizeof m->dir, "%s/%s", tmp, m->hex);
    if (make_dir(m->dir, e))
        return AB_EFAIL;
    char path[1100];
    snprintf(path, sizeof path, "%s/model.mil", m->dir);
    if (write_file(path, mil, strlen(mil), e))
        return AB_EFAIL;
    return write_weights(m, weights, wlen, e);
}

/* ---- open / close ---- */

static void register_sels(struct ane_sels *s)
{
    s->model_with_mil = sel_registerName("modelWithMILText:weights:optionsPlist:");
    s->in_memory_model = sel_registerName("inMemoryModelWithDescriptor:");
    s->hex_id = sel_registerName("hexStringIdentifier");
    s->compile = sel_registerName("compileWithQoS:options:error:");
    s->load = sel_registerName("loadWithQoS:options:error:");
    s->unload = sel_registerName("unloadWithQoS:error:");
    s->evaluate = sel_registerName("evaluateWithQoS:options:request:error:");
    s->inner_model = sel_registerName("model");
    s->set_mask = sel_registerName("setPerfStatsMask:");
    s->compiled_exists = sel_registerName("compiledModelExists");
    s->with_surface = sel_registerName("objectWithIOSurface:");
    s->request = sel_registerName(
        "requestWithInputs:inputIndices:outputs:outputIndices:weightsBuffer:perfStats:procedureIndex:");
    s->perf_stats = sel_registerName("perfStats");
    s->perf_stats_array = sel_registerName("perfStatsArray");
    s->hw_time = sel_registerName("hwExecutionTime");
    s->driver_mask = sel_registerName("driverMaskForANEFMask:");
    s->stats_with_hw = sel_registerName("statsWithHardwareExecutionNS:");
    s->shared_conn = sel_registerName("sharedConnection");
    s->rt_begin = sel_registerName("beginRealTimeTask");
    s->rt_load = sel_registerName("loadRealTimeModel:options:qos:error:");
    s->rt_eval = sel_registerName("evaluateRealTimeWithModel:options:request:error:");
    s->rt_unload = sel_registerName("unloadRealTimeModel:options:qos:error:");
    s->rt_end = sel_registerName("endRealTimeTask");
    s->has_ane = sel_registerName("hasANE");
    s->arch = sel_registerName("aneArchitectureType");
    s->subtype = sel_registerName("aneSubType");
    s->cores = sel_registerName("numANECores");
    s->description = sel_registerName("description");
    s->utf8 = sel_registerName("UTF8String");
    s->count = sel_registerName("count");
    s->object_at = sel_registerName("objectAtIndex:");
}

/* The perf-stats mask and the eval options that carry it, where obtainable. */
static void setup_perf_stats(ane_api *api)
{
    id cls = (id)api->stats_cls;
    if (!cls) {
        ab_strlcpy(api->perf_note, "class _ANEPerformanceStats not found", sizeof api->perf_note);
        return;
    }
    if (!responds(cls, api->s.driver_mask)) {
        ab_strlcpy(api->perf_note, "+[_ANEPerformanceStats driverMaskForANEFMask:] not implemented",
                   sizeof api->perf_note);
        return;
    }
    unsigned mask = SEND(send_uint_uint)(cls, api->s.driver_mask, ANE_PERF_FMASK);
    if (mask == 0) {
        ab_strlcpy(api->perf_note, "driverMaskForANEFMask:0xF returned 0", sizeof api->perf_note);
        return;
    }
    CFStringRef key = NULL;
    CFNumberRef val = NULL;
    ab_err e;
    ab_err_clear(&e);
    if (make_string(&key, "kANEFPerformanceStatsMask", &e) &&
        make_number(&val, mask, "the perf-stats mask", &e)) {
        const void *k[1] = {key}, *v[1] = {val};
        make_dict(&api->perf_opts, k, v, 1, "the perf-stats options", &e);
    }
    CFTypeRef all[] = {key, val};
    release_all(all, 2);
    if (!api->perf_opts) {
        snprintf(api->perf_note, sizeof api->perf_note, "no perf-stats options: %s", e.msg);
        return;
    }
    api->perf_mask = mask;
}

static void objc_close(ane_api *api)
{
    if (!api)
        return;
    if (api->rt_active && responds(api->client, api->s.rt_end))
        SEND(send_bool)(api->client, api->s.rt_end);
    release_obj(api->client);
    if (api->empty_opts)
        CFRelease(api->empty_opts);
    if (api->perf_opts)
        CFRelease(api->perf_opts);
    free(api);
}

static int objc_open(ane_api **out, const char *arg, ab_err *e)
{
    *out = NULL;
    if (arg && arg[0])
        return ab_errf(e, AB_EUSAGE, "ane: unexpected profile '%s' (only ane-sim takes one)", arg);
    ane_api *api = calloc(1, sizeof *api);
    if (!api)
        return ab_errf(e, AB_EFAIL, "ane-objc: out of memory");
    register_sels(&api->s);
    api->framework = dlopen(ANE_FRAMEWORK, RTLD_NOW);
    if (!api->framework) {
        const char *why = dlerror();
        free(api);
        return ab_errf(e, AB_EFAIL, "ane-objc: cannot load AppleNeuralEngine.framework: %s",
                       why ? why : "dlopen failed");
    }
    const char *required[] = {"_ANEInMemoryModelDescriptor", "_ANEInMemoryModel", "_ANERequest",
                              "_ANEIOSurfaceObject"};
    Class *slots[] = {&api->desc_cls, &api->model_cls, &api->req_cls, &api->surf_cls};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        *slots[i] = objc_getClass(required[i]);
        if (!*slots[i]) {
            free(api);
            return ab_errf(e, AB_EFAIL,
                           "ane-objc: objc_getClass(\"%s\") returned nil: the class is not in "
                           "AppleNeuralEngine.framework",
                           required[i]);
        }
    }
    const char *image = class_getImageName(api->model_cls);
    ab_strlcpy(api->image, image ? image : "", sizeof api->image);
    api->stats_cls = objc_getClass("_ANEPerformanceStats");
    api->client_cls = objc_getClass("_ANEClient");
    api->devinfo_cls = objc_getClass("_ANEDeviceInfo");
    if (responds((id)api->devinfo_cls, api->s.has_ane) &&
        !SEND(send_bool)((id)api->devinfo_cls, api->s.has_ane)) {
        free(api);
        return ab_errf(e, AB_EFAIL,
                       "ane-objc: +[_ANEDeviceInfo hasANE] says this machine has no Neural Engine");
    }
    if (!make_dict(&api->empty_opts, NULL, NULL, 0, "the empty options dictionary", e)) {
        free(api);
        return AB_EFAIL;
    }
    setup_perf_stats(api);
    *out = api;
    return 0;
}

/* ---- device facts, class census ---- */

static void class_string(ane_api *api, SEL sel, char *buf, size_t n)
{
    id cls = (id)api->devinfo_cls;
    if (responds(cls, sel))
        text_of(api, SEND(send_id)(cls, sel), true, buf, n);
}

/* Whether the _ANE* classes came from the system's framework. Anything else
 * that answers the framework's messages (a shim, the test bed's fake backed
 * by the simulator) did not measure a device, so the records say simulated
 * and name the image. An unknown image (class_getImageName returned NULL)
 * is taken to be the system's: the dlopen above named it. */
static void describe_image(const ane_api *api, ane_device_info *info)
{
    if (!api->image[0] || strncmp(api->image, ANE_FRAMEWORK_DIR, strlen(ANE_FRAMEWORK_DIR)) == 0) {
        ab_strlcpy(info->framework, "AppleNeuralEngine.framework (private)", sizeof info->framework);
        return;
    }
    info->simulated = true;
    snprintf(info->framework, sizeof info->framework,
             "_ANE* classes from %s, not the system's AppleNeuralEngine.framework: not measured on a device",
             api->image);
}

static int objc_device_info(ane_api *api, ane_device_info *info, ab_err *e)
{
    (void)e;
    memset(info, 0, sizeof *info);
    void *pool = objc_autoreleasePoolPush();
    host_apple_chip(info->chip, sizeof info->chip);
    char os[64];
    host_apple_os(os, sizeof os, info->os_build, sizeof info->os_build);
    class_string(api, api->s.arch, info->family, sizeof info->family);
    class_string(api, api->s.subtype, info->subtype, sizeof info->subtype);
    if (responds((id)api->devinfo_cls, api->s.cores))
        info->cores = (int)SEND(send_uint)((id)api->devinfo_cls, api->s.cores);
    objc_autoreleasePoolPop(pool);
    describe_image(api, info);
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int objc_class_census(ane_api *api, char ***names, size_t *n, ab_err *e)
{
    (void)api;
    *names = NULL;
    *n = 0;
    unsigned int count = 0;
    Class *all = objc_copyClassList(&count);
    if (!all)
        return ab_errf(e, AB_EFAIL, "ane-objc: objc_copyClassList returned no classes");
    char **list = calloc(count ? count : 1, sizeof *list);
    size_t k = 0;
    bool oom = !list;
    for (unsigned int i = 0; !oom && i < count; i++) {
        const char *name = class_getName(all[i]);
        if (name && strncmp(name, "_ANE", 4) == 0)
            oom = !(list[k++] = strdup(name));
    }
    free(all);
    if (oom) {
        for (size_t i = 0; list && i < k; i++)
            free(list[i]);
        free(list);
        return ab_errf(e, AB_EFAIL, "ane-objc: out of memory");
    }
    qsort(list, k, sizeof *list, compare_names);
    *names = list;
    *n = k;
    return 0;
}

static bool objc_has_class(ane_api *api, const char *name)
{
    (void)api;
    return objc_getClass(name) != NULL;
}

/* ---- models ---- */

/* Sets the perf-stats mask on the model and on its inner _ANEModel. Load
 * clears it, so it is set again after compile and after load. */
static void apply_perf_mask(ane_api *api, ane_model *m)
{
    if (!api->perf_mask)
        return;
    if (responds(m->model, api->s.set_mask))
        SEND(send_void_uint)(m->model, api->s.set_mask, api->perf_mask);
    id inner = responds(m->model, api->s.inner_model) ? SEND(send_id)(m->model, api->s.inner_model) : NULL;
    if (responds(inner, api->s.set_mask))
        SEND(send_void_uint)(inner, api->s.set_mask, api->perf_mask);
}

/* The descriptor's weights: @{ANE_WEIGHT_KEY: @{@"offset": @0, @"data": NSData}}
 * or @{} when there are none (nil is not accepted). */
static bool weights_dictionary(CFDictionaryRef *out, const uint8_t *weights, size_t wlen, ab_err *e)
{
    *out = NULL;
    if (!wlen)
        return make_dict(out, NULL, NULL, 0, "the empty weights dictionary", e);
    CFStringRef k_offset = NULL, k_data = NULL, k_path = NULL;
    CFNumberRef zero = NULL;
    CFDataRef data = NULL;
    CFDictionaryRef inner = NULL;
    if (make_string(&k_offset, "offset", e) && make_string(&k_data, "data", e) &&
        make_string(&k_path, ANE_WEIGHT_KEY, e) && make_number(&zero, 0, "the weights offset", e) &&
        make_data(&data, weights, wlen, "weight.bin for the descriptor", e)) {
        const void *ik[2] = {k_offset, k_data}, *iv[2] = {zero, data};
        if (make_dict(&inner, ik, iv, 2, "the weights entry {offset, data}", e)) {
            const void *ok[1] = {k_path}, *ov[1] = {inner};
            make_dict(out, ok, ov, 1, "the weights dictionary", e);
        }
    }
    CFTypeRef all[] = {k_offset, k_data, k_path, zero, data, inner};
    release_all(all, sizeof all / sizeof all[0]);
    return *out != NULL;
}

static void unlink_model(ane_api *api, ane_model *m)
{
    for (ane_model **p = &api->models; *p; p = &(*p)->next)
        if (*p == m) {
            *p = m->next;
            return;
        }
}

static void objc_model_free(ane_api *api, ane_model *m)
{
    if (!m)
        return;
    unlink_model(api, m);
    release_obj(m->req);
    release_obj(m->model);
    bool shared = false;
    for (ane_model *o = api->models; o; o = o->next)
        shared = shared || strcmp(o->dir, m->dir) == 0;
    if (m->dir[0] && !shared)
        nftw(m->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(m);
}

/* The identifier names a directory that model_free deletes: letters,
 * digits, '-' and '_' only (no '/', no "..", never empty). */
static bool plain_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '-' ||
              *s == '_'))
            return false;
    return true;
}

static int create_in_pool(ane_api *api, const char *mil, const uint8_t *weights, size_t wlen, ane_model *m,
                          ab_err *e)
{
    id desc_cls = (id)api->desc_cls, model_cls = (id)api->model_cls;
    if (need(desc_cls, api->s.model_with_mil, e) || need(model_cls, api->s.in_memory_model, e))
        return AB_EFAIL;
    CFDataRef text = NULL;
    CFDictionaryRef wdict = NULL;
    if (!make_data(&text, mil, strlen(mil), "the MIL text", e) ||
        !weights_dictionary(&wdict, weights, wlen, e)) {
        CFTypeRef all[] = {text, wdict};
        release_all(all, 2);
        return AB_EFAIL;
    }
    id desc = SEND(send_id_3id)(desc_cls, api->s.model_with_mil, (id)text, (id)wdict, NULL);
    CFRelease(text);
    CFRelease(wdict);
    if (!desc)
        return ab_errf(e, AB_EFAIL,
                       "ane-objc: +[_ANEInMemoryModelDescriptor "
                       "modelWithMILText:weights:optionsPlist:] returned nil (MIL rejected?)");
    m->model = retain_obj(SEND(send_id_id)(model_cls, api->s.in_memory_model, desc));
    if (!m->model)
        return ab_errf(e, AB_EFAIL,
                       "ane-objc: +[_ANEInMemoryModel inMemoryModelWithDescriptor:] returned nil");
    if (need(m->model, api->s.hex_id, e))
        return AB_EFAIL;
    text_of(api, SEND(send_id)(m->model, api->s.hex_id), true, m->hex, sizeof m->hex);
    if (!plain_name(m->hex))
        return ab_errf(e, AB_EFAIL, "ane-objc: unusable hexStringIdentifier '%s'", m->hex);
    if (write_model_files(api, m, mil, weights, wlen, e))
        return AB_EFAIL;
    apply_perf_mask(api, m);
    return 0;
}

static int objc_model_create(ane_api *api, const char *mil, const uint8_t *weights, size_t wlen,
                             ane_model **out, ab_err *e)
{
    *out = NULL;
    ane_model *m = calloc(1, sizeof *m);
    if (!m)
        return ab_errf(e, AB_EFAIL, "ane-objc: out of memory");
    m->cache = "cold";
    void *pool = objc_autoreleasePoolPush();
    int rc = create_in_pool(api, mil, weights, wlen, m, e);
    objc_autoreleasePoolPop(pool);
    m->next = api->models;
    api->models = m;
    if (rc) {
        objc_model_free(api, m);
        return rc;
    }
    *out = m;
    return 0;
}

static int objc_model_rewrite_weights(ane_api *api, ane_model *m, const uint8_t *weights, size_t wlen,
                                      ab_err *e)
{
    (void)api;
    return write_weights(m, weights, wlen, e);
}

static int objc_compile(ane_api *api, ane_model *m, unsigned qos, ab_err *e)
{
    if (api->compiles >= ANE_COMPILE_CAP)
        return ab_errf(e, AB_EFAIL,
                       "ane-objc: compile budget used up (%d compiles in this process; the framework "
                       "refuses after about 119): start a new worker",
                       api->compiles);
    if (need(m->model, api->s.compile, e))
        return AB_EFAIL;
    void *pool = objc_autoreleasePoolPush();
    if (responds(m->model, api->s.compiled_exists))
        m->cache = SEND(send_bool)(m->model, api->s.compiled_exists) ? "hit" : "cold";
    else
        m->cache = "possible-hit";
    apply_perf_mask(api, m);
    id err = NULL;
    api->compiles++;
    BOOL ok = SEND(send_bool_qos_opts_err)(m->model, api->s.compile, qos, (id)api->empty_opts, &err);
    int rc = ok ? 0 : fail_ns(api, e, "-[_ANEInMemoryModel compileWithQoS:options:error:]", err);
    if (ok)
        apply_perf_mask(api, m);
    objc_autoreleasePoolPop(pool);
    return rc;
}

static const char *objc_compile_cache(ane_api *api, ane_model *m)
{
    (void)api;
    return m->cache;
}

/* Load, retried once after 100 ms (as one public wrapper does). */
static int objc_load(ane_api *api, ane_model *m, unsigned qos, ab_err *e)
{
    if (need(m->model, api->s.load, e))
        return AB_EFAIL;
    void *pool = objc_autoreleasePoolPush();
    apply_perf_mask(api, m);
    id err = NULL;
    BOOL ok = SEND(send_bool_qos_opts_err)(m->model, api->s.load, qos, (id)api->empty_opts, &err);
    if (!ok) {
        struct timespec pause = {0, ANE_LOAD_RETRY_NS};
        nanosleep(&pause, NULL);
        err = NULL;
        ok = SEND(send_bool_qos_opts_err)(m->model, api->s.load, qos, (id)api->empty_opts, &err);
    }
    int rc = ok ? 0 : fail_ns(api, e, "-[_ANEInMemoryModel loadWithQoS:options:error:] (tried twice)", err);
    if (ok)
        apply_perf_mask(api, m);
    objc_autoreleasePoolPop(pool);
    return rc;
}

static int objc_unload(ane_api *api, ane_model *m, unsigned qos, ab_err *e)
{
    if (need(m->model, api->s.unload, e))
        return AB_EFAIL;
    void *pool = objc_autoreleasePoolPush();
    id err = NULL;
    BOOL ok = SEND(send_bool_qos_err)(m->model, api->s.unload, qos, &err);
    int rc = ok ? 0 : fail_ns(api, e, "-[_ANEInMemoryModel unloadWithQoS:error:]", err);
    objc_autoreleasePoolPop(pool);
    return rc;
}

/* ---- buffers: flat byte IOSurfaces ---- */

static IOSurfaceRef create_surface(size_t bytes, ab_err *e)
{
    const void *keys[6] = {kIOSurfaceWidth,       kIOSurfaceHeight,    kIOSurfaceBytesPerElement,
                           kIOSurfaceBytesPerRow, kIOSurfaceAllocSize, kIOSurfacePixelFormat};
    int64_t vals[6] = {(int64_t)bytes, 1, 1, (int64_t)bytes, (int64_t)bytes, 0};
    CFNumberRef nums[6] = {NULL};
    bool ok = true;
    for (int i = 0; ok && i < 6; i++)
        ok = make_number(&nums[i], vals[i], "an IOSurface property", e);
    CFDictionaryRef props = NULL;
    if (ok)
        ok = make_dict(&props, keys, (const void **)nums, 6, "the IOSurface properties", e);
    release_all((const CFTypeRef *)nums, 6);
    IOSurfaceRef s = ok ? IOSurfaceCreate(props) : NULL;
    if (props)
        CFRelease(props);
    if (ok && !s)
        ab_errf(e, AB_EFAIL, "ane-objc: IOSurfaceCreate failed for %zu bytes", bytes);
    return s;
}

static void objc_buf_free(ane_api *api, ane_buf *b)
{
    (void)api;
    if (!b)
        return;
    release_obj(b->obj);
    if (b->surface)
        CFRelease(b->surface);
    free(b);
}

static int objc_buf_create(ane_api *api, size_t bytes, ane_buf **out, ab_err *e)
{
    *out = NULL;
    if (!bytes)
        return ab_errf(e, AB_EFAIL, "ane-objc: zero-byte buffer");
    id cls = (id)api->surf_cls;
    if (need(cls, api->s.with_surface, e))
        return AB_EFAIL;
    ane_buf *b = calloc(1, sizeof *b);
    if (!b)
        return ab_errf(e, AB_EFAIL, "ane-objc: out of memory");
    b->bytes = bytes;
    b->surface = create_surface(bytes, e);
    if (!b->surface) {
        objc_buf_free(api, b);
        return AB_EFAIL;
    }
    void *pool = objc_autoreleasePoolPush();
    b->obj = retain_obj(SEND(send_id_surface)(cls, api->s.with_surface, b->surface));
    objc_autoreleasePoolPop(pool);
    if (!b->obj) {
        objc_buf_free(api, b);
        return ab_errf(e, AB_EFAIL, "ane-objc: +[_ANEIOSurfaceObject objectWithIOSurface:] returned nil");
    }
    *out = b;
    return 0;
}

/* Copies between the surface and host memory under the surface lock. */
static int buf_copy(ane_buf *b, void *host, size_t bytes, bool to_surface, ab_err *e)
{
    if (bytes > b->bytes || bytes > IOSurfaceGetAllocSize(b->surface))
        return ab_errf(e, AB_EFAIL, "ane-objc: %zu bytes do not fit a %zu-byte surface", bytes, b->bytes);
    IOSurfaceLockOptions mode = to_surface ? 0 : kIOSurfaceLockReadOnly;
    IOReturn rc = IOSurfaceLock(b->surface, mode, NULL);
    if (rc != 0)
        return ab_errf(e, AB_EFAIL, "ane-objc: IOSurfaceLock failed (0x%x)", (unsigned)rc);
    void *base = IOSurfaceGetBaseAddress(b->surface);
    if (base && bytes) {
        if (to_surface)
            memcpy(base, host, bytes);
        else
            memcpy(host, base, bytes);
    }
    IOSurfaceUnlock(b->surface, mode, NULL);
    if (!base)
        return ab_errf(e, AB_EFAIL, "ane-objc: IOSurfaceGetBaseAddress returned NULL");
    return 0;
}

static int objc_buf_write(ane_api *api, ane_buf *b, const void *src, size_t bytes, ab_err *e)
{
    (void)api;
    return buf_copy(b, (void *)(uintptr_t)src, bytes, true, e);
}

static int objc_buf_read(ane_api *api, ane_buf *b, void *dst, size_t bytes, ab_err *e)
{
    (void)api;
    return buf_copy(b, dst, bytes, false, e);
}

/* ---- eval ---- */

/* A fresh _ANEPerformanceStats for a request, or NULL with *why set. */
static id new_stats(ane_api *api, const char **why)
{
    *why = NULL;
    if (!responds((id)api->stats_cls, api->s.stats_with_hw)) {
        *why = "+[_ANEPerformanceStats statsWithHardwareExecutionNS:] not implemented";
        return NULL;
    }
    id s = SEND(send_id_u64)((id)api->stats_cls, api->s.stats_with_hw, 0);
    if (!s)
        *why = "+[_ANEPerformanceStats statsWithHardwareExecutionNS:] returned nil";
    return s;
}

/* The request for rq, built once and kept while the same buffers, procedure
 * and perf-stats choice are used, so that a timed eval builds nothing. */
static int get_request(ane_api *api, ane_model *m, const ane_eval_req *rq, ab_err *e)
{
    bool stats = rq->perf_stats && api->perf_mask;
    if (m->req && m->req_in == rq->in && m->req_out == rq->out && m->req_wb == rq->weights_buffer &&
        m->req_proc == rq->procedure && m->req_stats == stats)
        return 0;
    release_obj(m->req);
    m->req = NULL;
    id cls = (id)api->req_cls;
    if (need(cls, api->s.request, e))
        return AB_EFAIL;
    m->req_no_stats = NULL;
    id stats_obj = stats ? new_stats(api, &m->req_no_stats) : NULL;
    CFNumberRef zero = NULL, proc = NULL;
    CFArrayRef ins = NULL, outs = NULL, idx = NULL;
    bool made = make_number(&zero, 0, "the request's buffer index", e) &&
                make_number(&proc, rq->procedure, "the procedure index", e) &&
                make_array1(&ins, rq->in->obj, "the request's inputs", e) &&
                make_array1(&outs, rq->out->obj, "the request's outputs", e) &&
                make_array1(&idx, zero, "the request's buffer indices", e);
    if (made)
        m->req = retain_obj(SEND(send_request)(cls, api->s.request, (id)ins, (id)idx, (id)outs, (id)idx,
                                               rq->weights_buffer ? rq->weights_buffer->obj : NULL, stats_obj,
                                               (id)proc));
    CFTypeRef all[] = {zero, proc, ins, outs, idx};
    release_all(all, sizeof all / sizeof all[0]);
    if (!made)
        return AB_EFAIL;
    if (!m->req)
        return ab_errf(e, AB_EFAIL, "ane-objc: +[_ANERequest %s] returned nil (procedure %u)",
                       sel_getName(api->s.request), rq->procedure);
    m->req_in = rq->in;
    m->req_out = rq->out;
    m->req_wb = rq->weights_buffer;
    m->req_proc = rq->procedure;
    m->req_stats = stats;
    return 0;
}

/* hwExecutionTime from the request's perf stats, or the reason there is none. */
static void read_hw_time(ane_api *api, ane_model *m, const ane_eval_req *rq, ane_eval_res *res)
{
    if (!rq->perf_stats) {
        ab_strlcpy(res->hw_reason, "perf stats not requested", sizeof res->hw_reason);
        return;
    }
    if (!api->perf_mask) {
        ab_strlcpy(res->hw_reason, api->perf_note, sizeof res->hw_reason);
        return;
    }
    id ps = responds(m->req, api->s.perf_stats) ? SEND(send_id)(m->req, api->s.perf_stats) : NULL;
    if (!ps && responds(m->req, api->s.perf_stats_array)) {
        id arr = SEND(send_id)(m->req, api->s.perf_stats_array);
        if (responds(arr, api->s.count) && responds(arr, api->s.object_at) &&
            SEND(send_ulong)(arr, api->s.count))
            ps = SEND(send_id_index)(arr, api->s.object_at, 0);
    }
    if (!ps) {
        ab_strlcpy(res->hw_reason,
                   m->req_no_stats ? m->req_no_stats
                                   : "the request carried no _ANEPerformanceStats after eval",
                   sizeof res->hw_reason);
        return;
    }
    if (!responds(ps, api->s.hw_time)) {
        ab_strlcpy(res->hw_reason, "-[_ANEPerformanceStats hwExecutionTime] not implemented",
                   sizeof res->hw_reason);
        return;
    }
    uint64_t ns = SEND(send_u64)(ps, api->s.hw_time);
    if (!ns) {
        ab_strlcpy(res->hw_reason, "hwExecutionTime was 0 (counters not filled on this machine)",
                   sizeof res->hw_reason);
        return;
    }
    res->has_hw = true;
    res->hw_ns = ns;
}

static int eval_in_pool(ane_api *api, ane_model *m, const ane_eval_req *rq, ane_eval_res *res, ab_err *e)
{
    if (get_request(api, m, rq, e))
        return AB_EFAIL;
    id opts = (id)(rq->perf_stats && api->perf_mask ? api->perf_opts : api->empty_opts);
    id err = NULL;
    BOOL ok;
    if (rq->realtime) {
        if (!api->rt_active)
            return ab_errf(e, AB_EFAIL, "ane-objc: real-time eval without a real-time task (rt_begin)");
        if (need(api->client, api->s.rt_eval, e) || need(m->model, api->s.inner_model, e))
            return AB_EFAIL;
        id inner = SEND(send_id)(m->model, api->s.inner_model);
        if (!inner)
            return ab_errf(e, AB_EFAIL, "ane-objc: -[_ANEInMemoryModel model] is nil (model not loaded?)");
        res->path = "realtime";
        ok = SEND(send_bool_model_opts_req_err)(api->client, api->s.rt_eval, inner, opts, m->req, &err);
        if (!ok)
            return fail_ns(api, e, "-[_ANEClient evaluateRealTimeWithModel:options:request:error:]", err);
    } else {
        if (need(m->model, api->s.evaluate, e))
            return AB_EFAIL;
        res->path = "normal";
        ok = SEND(send_bool_qos_opts_req_err)(m->model, api->s.evaluate, rq->qos, opts, m->req, &err);
        if (!ok)
            return fail_ns(api, e, "-[_ANEInMemoryModel evaluateWithQoS:options:request:error:]", err);
    }
    read_hw_time(api, m, rq, res);
    return 0;
}

/* Untimed: builds (and keeps) the _ANERequest the timed evals will use. */
static int objc_eval_prepare(ane_api *api, ane_model *m, const ane_eval_req *rq, ab_err *e)
{
    if (!rq->in || !rq->out)
        return ab_errf(e, AB_EFAIL, "ane-objc: eval needs one input and one output buffer");
    void *pool = objc_autoreleasePoolPush();
    int rc = get_request(api, m, rq, e);
    objc_autoreleasePoolPop(pool);
    return rc;
}

static int objc_eval(ane_api *api, ane_model *m, const ane_eval_req *rq, ane_eval_res *res, ab_err *e)
{
    memset(res, 0, sizeof *res);
    res->path = rq->realtime ? "realtime" : "normal";
    if (!rq->in || !rq->out)
        return ab_errf(e, AB_EFAIL, "ane-objc: eval needs one input and one output buffer");
    void *pool = objc_autoreleasePoolPush();
    int rc = eval_in_pool(api, m, rq, res, e);
    objc_autoreleasePoolPop(pool);
    return rc;
}

/* ---- real-time path on _ANEClient ---- */

/* The _ANEClient the real-time calls go to, found once and retained. The
 * notes get it from the model, -[_ANEInMemoryModel sharedConnection]: that
 * is the connection the model's own loads and evals use, so the real-time
 * calls reach the same daemon connection as the rest of the cycle. Where no
 * live model answers it, +[_ANEClient sharedConnection] (the class's shared
 * instance, which older public code used) is the fallback. */
static void find_client(ane_api *api)
{
    id model = api->models ? api->models->model : NULL;
    id c = responds(model, api->s.shared_conn) ? SEND(send_id)(model, api->s.shared_conn) : NULL;
    if (!c && responds((id)api->client_cls, api->s.shared_conn))
        c = SEND(send_id)((id)api->client_cls, api->s.shared_conn);
    api->client = retain_obj(c);
}

static int objc_rt_begin(ane_api *api, ab_err *e)
{
    void *pool = objc_autoreleasePoolPush();
    if (!api->client)
        find_client(api);
    objc_autoreleasePoolPop(pool);
    if (!api->client)
        return ab_errf(e, AB_EFAIL,
                       "ane-objc: no _ANEClient: neither -[_ANEInMemoryModel sharedConnection] (of a live "
                       "model) nor +[_ANEClient sharedConnection] gave one");
    SEL all[] = {api->s.rt_begin, api->s.rt_load, api->s.rt_eval, api->s.rt_unload, api->s.rt_end};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (need(api->client, all[i], e))
            return AB_EFAIL;
    if (api->rt_active)
        return 0;
    pool = objc_autoreleasePoolPush();
    BOOL ok = SEND(send_bool)(api->client, api->s.rt_begin);
    objc_autoreleasePoolPop(pool);
    if (!ok)
        return ab_errf(e, AB_EFAIL,
                       "ane-objc: -[_ANEClient beginRealTimeTask] returned NO: the system refused "
                       "a real-time task (it may need an entitlement)");
    api->rt_active = true;
    return 0;
}

/* loadRealTimeModel / unloadRealTimeModel on the inner _ANEModel. A load
 * clears the perf-stats mask (as the normal load does), so after a
 * successful real-time load (is_load) the mask is set again. */
static int rt_model_call(ane_api *api, ane_model *m, SEL sel, const char *what, unsigned qos, bool is_load,
                         ab_err *e)
{
    if (!api->rt_active)
        return ab_errf(e, AB_EFAIL, "ane-objc: %s without a real-time task (rt_begin)", what);
    if (need(api->client, sel, e) || need(m->model, api->s.inner_model, e))
        return AB_EFAIL;
    void *pool = objc_autoreleasePoolPush();
    int rc = 0;
    id inner = SEND(send_id)(m->model, api->s.inner_model);
    if (!inner) {
        rc = ab_errf(e, AB_EFAIL, "ane-objc: -[_ANEInMemoryModel model] is nil (compile and load first)");
    } else {
        id err = NULL;
        if (!SEND(send_bool_model_opts_qos_err)(api->client, sel, inner, (id)api->empty_opts, qos, &err))
            rc = fail_ns(api, e, what, err);
        else if (is_load)
            apply_perf_mask(api, m);
    }
    objc_autoreleasePoolPop(pool);
    return rc;
}

static int objc_rt_load(ane_api *api, ane_model *m, unsigned qos, ab_err *e)
{
    return rt_model_call(api, m, api->s.rt_load, "-[_ANEClient loadRealTimeModel:options:qos:error:]", qos,
                         true, e);
}

static int objc_rt_unload(ane_api *api, ane_model *m, unsigned qos, ab_err *e)
{
    return rt_model_call(api, m, api->s.rt_unload, "-[_ANEClient unloadRealTimeModel:options:qos:error:]",
                         qos, false, e);
}

static void objc_rt_end(ane_api *api)
{
    if (!api->rt_active)
        return;
    void *pool = objc_autoreleasePoolPush();
    if (responds(api->client, api->s.rt_end))
        SEND(send_bool)(api->client, api->s.rt_end);
    objc_autoreleasePoolPop(pool);
    api->rt_active = false;
}

static int objc_compile_budget_left(ane_api *api)
{
    return api->compiles >= ANE_COMPILE_CAP ? 0 : ANE_COMPILE_CAP - api->compiles;
}

const ane_api_ops ane_api_objc = {
    .name = "objc",
    .open = objc_open,
    .close = objc_close,
    .device_info = objc_device_info,
    .class_census = objc_class_census,
    .has_class = objc_has_class,
    .model_create = objc_model_create,
    .model_rewrite_weights = objc_model_rewrite_weights,
    .compile = objc_compile,
    .compile_cache = objc_compile_cache,
    .load = objc_load,
    .unload = objc_unload,
    .model_free = objc_model_free,
    .buf_create = objc_buf_create,
    .buf_write = objc_buf_write,
    .buf_read = objc_buf_read,
    .buf_free = objc_buf_free,
    .eval = objc_eval,
    .rt_begin = objc_rt_begin,
    .rt_load = objc_rt_load,
    .rt_unload = objc_rt_unload,
    .rt_end = objc_rt_end,
    .compile_budget_left = objc_compile_budget_left,
    .eval_prepare = objc_eval_prepare,
};

#endif /* __APPLE__ */
