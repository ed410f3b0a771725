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
 * - a failed call carries up [[error description] UTF8String], and the
 *   NSError's domain and code in the ab_err;
 * - a framework string is never cut: one that does not fit fails, named;
 * - inside a timed call (compile, load, eval, unload) nothing but the
 *   framework call: the cache question, request building, strides and
 *   stats reading are separate, untimed operations.
 * Selector names and argument types come from public reverse-engineering work
 * (see /work/shared/ANE-NOTES.md and docs/ane-bridge.md, which lists every
 * behaviour relied on with its source); none of this has run on Apple
 * hardware. */
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
#define ANE_MODEL_PATH "@model_path/"
#define ANE_COMPILE_CAP 100 /* the framework refuses after ~119; public code caps at 100 */
/* The ANEF perf-stats mask for the eval options: the framework converts it
 * with driverMaskForANEFMask: itself (N: masks above 0xF give 0). */
#define ANE_PERF_FMASK 0xFu
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
typedef BOOL (*send_bool_model_opts_req_qos_err)(id, SEL, id, id, id, unsigned int, id *);
typedef void (*send_void_id)(id, SEL, id);
typedef long (*send_long)(id, SEL);
typedef long long (*send_llong)(id, SEL);

/* Selectors, registered once per ane_api. */
struct ane_sels {
    SEL model_with_mil, in_memory_model, hex_id, local_path, compile, load, unload, evaluate, inner_model,
        compiled_exists, with_surface, request, perf_stats, set_perf_stats, perf_stats_array, hw_time,
        shared_conn, rt_begin, rt_load, rt_eval, rt_unload, rt_end, direct_eval, attributes, has_ane, arch,
        subtype, cores, description, utf8, count, object_at, object_for_key, ll_value, domain, code;
};

struct ane_api {
    void *framework; /* dlopen handle; never closed (ObjC images cannot unload) */
    Class desc_cls, model_cls, req_cls, surf_cls, stats_cls, client_cls, devinfo_cls;
    char image[512];     /* class_getImageName(_ANEInMemoryModel): who answers our messages */
    id client;           /* retained _ANEClient for the real-time and direct paths (find_client) */
    char perf_note[160]; /* why perf stats are unobtainable ("" if they may be) */
    CFDictionaryRef empty_opts, perf_opts;
    int compiles; /* compile attempts in this process */
    bool rt_active; /* beginRealTimeTask sent (whatever it answered), endRealTimeTask not yet */
    ane_model *models; /* live models, to share temp directories safely */
    struct ane_sels s;
};

/* The identifier is 194 characters on macOS 26 (N); Espresso reserves 257. */
#define ANE_ID_MAX 512

struct ane_model {
    id model; /* retained _ANEInMemoryModel */
    char hex[ANE_ID_MAX];
    char dir[1024];    /* -[model localModelPath], or NSTemporaryDirectory()/<hex> */
    const char *cache; /* compile_cache() answer, asked before compile */
    id req;            /* retained _ANERequest for the key below */
    ane_buf *req_in, *req_out, *req_wb;
    unsigned req_proc;
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

/* A failed BOOL call: the framework's own error text where it gave one,
 * and the NSError's domain and code in e. */
static int fail_ns(ane_api *api, ab_err *e, const char *what, id err)
{
    char text[400] = "", domain[96] = "";
    long long code = 0;
    if (err) {
        text_of(api, err, false, text, sizeof text);
        if (responds(err, api->s.domain))
            text_of(api, SEND(send_id)(err, api->s.domain), true, domain, sizeof domain);
        if (responds(err, api->s.code))
            code = SEND(send_long)(err, api->s.code);
    }
    int rc = ab_errf(e, AB_EFAIL, "ane-objc: %s failed: %s", what,
                     text[0] ? text : "returned NO without an NSError");
    if (e && domain[0]) {
        ab_strlcpy(e->domain, domain, sizeof e->domain);
        e->domain_code = code;
    }
    return rc;
}

/* A framework string into buf whole, or an error naming it (never cut). */
static int whole_text(ane_api *api, id str, char *buf, size_t n, const char *what, ab_err *e)
{
    buf[0] = '\0';
    const char *c = responds(str, api->s.utf8) ? SEND(send_cstr)(str, api->s.utf8) : NULL;
    if (!c)
        return ab_errf(e, AB_EFAIL, "ane-objc: %s gave no string", what);
    if (strlen(c) >= n)
        return ab_errf(e, AB_EFAIL, "ane-objc: %s is %zu characters, more than the %zu this bridge keeps", what,
                       strlen(c), n - 1);
    ab_strlcpy(buf, c, n);
    return 0;
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

/* ---- files: NSTemporaryDirectory()/<hex>/model.mil and weights/NAME (weight.bin, or w0.bin ...) ---- */

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

/* A weight file's path, before the framework or the disk sees it. */
static int check_weight_path(const ane_weight_file *f, ab_err *e)
{
    if (ane_weight_path_ok(f->path))
        return 0;
    return ab_errf(e, AB_EFAIL, "ane-objc: weight file path '%.80s' is not @model_path/weights/NAME",
                   f->path ? f->path : "(null)");
}

/* Where f goes on disk: <model dir>/<its path after "@model_path/">. */
static int weight_file_path(const ane_model *m, const ane_weight_file *f, char *path, size_t n, ab_err *e)
{
    if (check_weight_path(f, e))
        return AB_EFAIL;
    snprintf(path, n, "%s/%s", m->dir, f->path + strlen(ANE_MODEL_PATH));
    return 0;
}

/* Every weight file under the model's directory at its key's path after
 * "@model_path/" (weights/NAME), as maderix/ANE's training code writes
 * each entry of its weights dictionary. */
static int write_weights(ane_model *m, const ane_weight_file *files, size_t n, ab_err *e)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/weights", m->dir);
    if (make_dir(path, e))
        return AB_EFAIL;
    for (size_t i = 0; i < n; i++)
        if (weight_file_path(m, &files[i], path, sizeof path, e) || write_file(path, files[i].bytes, files[i].len, e))
            return AB_EFAIL;
    return 0;
}

/* Where the framework compiles from: -[model localModelPath] where the
 * model answers it (N, D), else NSTemporaryDirectory()/<whole identifier>
 * (what maderix/ANE, tmc and Espresso write to). */
static int model_directory(ane_api *api, ane_model *m, ab_err *e)
{
    if (responds(m->model, api->s.local_path)) {
        id p = SEND(send_id)(m->model, api->s.local_path);
        if (p)
            return whole_text(api, p, m->dir, sizeof m->dir, "-[_ANEInMemoryModel localModelPath]", e);
    }
    char tmp[1024];
    if (whole_text(api, NSTemporaryDirectory(), tmp, sizeof tmp, "NSTemporaryDirectory()", e))
        return AB_EFAIL;
    if (!tmp[0])
        return ab_errf(e, AB_EFAIL, "ane-objc: NSTemporaryDirectory() gave no path");
    size_t n = strlen(tmp);
    while (n > 1 && tmp[n - 1] == '/')
        tmp[--n] = '\0';
    if (strlen(tmp) + 1 + strlen(m->hex) >= sizeof m->dir)
        return ab_errf(e, AB_EFAIL, "ane-objc: the model directory is longer than %zu characters: %s/%s",
                       sizeof m->dir - 1, tmp, m->hex);
    snprintf(m->dir, sizeof m->dir, "%s/%s", tmp, m->hex);
    return 0;
}

/* model.mil and the weight files before compile, as every public caller
 * writes them: the framework saves model.mil itself (D) but reads the
 * weight files (weights/weight.bin, or one per layer) only from the caller. */
static int write_model_files(ane_api *api, ane_model *m, const char *mil, const ane_weight_file *files,
                             size_t n, ab_err *e)
{
    if (model_directory(api, m, e) || make_dir(m->dir, e))
        return AB_EFAIL;
    char path[1100];
    snprintf(path, sizeof path, "%s/model.mil", m->dir);
    if (write_file(path, mil, strlen(mil), e))
        return AB_EFAIL;
    return write_weights(m, files, n, e);
}

/* ---- open / close ---- */

static void register_sels(struct ane_sels *s)
{
    s->model_with_mil = sel_registerName("modelWithMILText:weights:optionsPlist:");
    s->in_memory_model = sel_registerName("inMemoryModelWithDescriptor:");
    s->hex_id = sel_registerName("hexStringIdentifier");
    s->local_path = sel_registerName("localModelPath");
    s->compile = sel_registerName("compileWithQoS:options:error:");
    s->load = sel_registerName("loadWithQoS:options:error:");
    s->unload = sel_registerName("unloadWithQoS:error:");
    s->evaluate = sel_registerName("evaluateWithQoS:options:request:error:");
    s->inner_model = sel_registerName("model");
    s->compiled_exists = sel_registerName("compiledModelExists");
    s->with_surface = sel_registerName("objectWithIOSurface:");
    s->request = sel_registerName(
        "requestWithInputs:inputIndices:outputs:outputIndices:weightsBuffer:perfStats:procedureIndex:");
    s->perf_stats = sel_registerName("perfStats");
    s->set_perf_stats = sel_registerName("setPerfStats:");
    s->perf_stats_array = sel_registerName("perfStatsArray");
    s->hw_time = sel_registerName("hwExecutionTime");
    s->shared_conn = sel_registerName("sharedConnection");
    s->rt_begin = sel_registerName("beginRealTimeTask");
    s->rt_load = sel_registerName("loadRealTimeModel:options:qos:error:");
    s->rt_eval = sel_registerName("evaluateRealTimeWithModel:options:request:error:");
    s->rt_unload = sel_registerName("unloadRealTimeModel:options:qos:error:");
    s->rt_end = sel_registerName("endRealTimeTask");
    s->direct_eval = sel_registerName("doEvaluateDirectWithModel:options:request:qos:error:");
    s->attributes = sel_registerName("modelAttributes");
    s->has_ane = sel_registerName("hasANE");
    s->arch = sel_registerName("aneArchitectureType");
    s->subtype = sel_registerName("aneSubType");
    s->cores = sel_registerName("numANECores");
    s->description = sel_registerName("description");
    s->utf8 = sel_registerName("UTF8String");
    s->count = sel_registerName("count");
    s->object_at = sel_registerName("objectAtIndex:");
    s->object_for_key = sel_registerName("objectForKey:");
    s->ll_value = sel_registerName("longLongValue");
    s->domain = sel_registerName("domain");
    s->code = sel_registerName("code");
}

/* The eval options that ask for counters: {kANEFPerformanceStatsMask: the
 * ANEF mask}, unconverted (D: the framework converts it itself). */
static void setup_perf_stats(ane_api *api)
{
    if (!api->stats_cls)
        ab_strlcpy(api->perf_note, "class _ANEPerformanceStats not found", sizeof api->perf_note);
    CFStringRef key = NULL;
    CFNumberRef val = NULL;
    ab_err e;
    ab_err_clear(&e);
    if (make_string(&key, "kANEFPerformanceStatsMask", &e) &&
        make_number(&val, ANE_PERF_FMASK, "the perf-stats mask", &e)) {
        const void *k[1] = {key}, *v[1] = {val};
        make_dict(&api->perf_opts, k, v, 1, "the perf-stats options", &e);
    }
    CFTypeRef all[] = {key, val};
    release_all(all, 2);
    if (!api->perf_opts)
        snprintf(api->perf_note, sizeof api->perf_note, "no perf-stats options: %s", e.msg);
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

/* One weights entry: @{@"offset": @0, @"data": NSData} (N Loading; what
 * maderix/ANE passes for every file: offset 0, the whole file). */
static bool weights_entry(CFDictionaryRef *out, const ane_weight_file *f, ab_err *e)
{
    *out = NULL;
    CFStringRef k_offset = NULL, k_data = NULL;
    CFNumberRef zero = NULL;
    CFDataRef data = NULL;
    if (make_string(&k_offset, "offset", e) && make_string(&k_data, "data", e) &&
        make_number(&zero, 0, "the weights offset", e) &&
        make_data(&data, f->bytes, f->len, "a weight file for the descriptor", e)) {
        const void *ik[2] = {k_offset, k_data}, *iv[2] = {zero, data};
        make_dict(out, ik, iv, 2, "the weights entry {offset, data}", e);
    }
    CFTypeRef all[] = {k_offset, k_data, zero, data};
    release_all(all, sizeof all / sizeof all[0]);
    return *out != NULL;
}

/* The descriptor's weights: one entry per file, keyed by its
 * "@model_path/weights/NAME" path (maderix/ANE training: the same paths
 * the program's BLOBFILEs name), or @{} when there are none (nil is not
 * accepted). */
static bool weights_dictionary(CFDictionaryRef *out, const ane_weight_file *files, size_t n, ab_err *e)
{
    *out = NULL;
    if (!n)
        return make_dict(out, NULL, NULL, 0, "the empty weights dictionary", e);
    const void **keys = calloc(n, sizeof *keys), **vals = calloc(n, sizeof *vals);
    bool ok = keys && vals;
    if (!ok)
        ab_errf(e, AB_EFAIL, "ane-objc: out of memory");
    for (size_t i = 0; ok && i < n; i++) {
        CFStringRef k = NULL;
        CFDictionaryRef v = NULL;
        ok = make_string(&k, files[i].path ? files[i].path : "", e) && weights_entry(&v, &files[i], e);
        keys[i] = k;
        vals[i] = v;
    }
    if (ok)
        make_dict(out, keys, vals, (CFIndex)n, "the weights dictionary", e);
    for (size_t i = 0; keys && vals && i < n; i++) {
        CFTypeRef pair[] = {keys[i], vals[i]};
        release_all(pair, 2);
    }
    free(keys);
    free(vals);
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

static int create_in_pool(ane_api *api, const char *mil, const ane_weight_file *files, size_t nfiles,
                          ane_model *m, ab_err *e)
{
    id desc_cls = (id)api->desc_cls, model_cls = (id)api->model_cls;
    if (need(desc_cls, api->s.model_with_mil, e) || need(model_cls, api->s.in_memory_model, e))
        return AB_EFAIL;
    for (size_t i = 0; i < nfiles; i++)
        if (check_weight_path(&files[i], e))
            return AB_EFAIL;
    CFDataRef text = NULL;
    CFDictionaryRef wdict = NULL;
    if (!make_data(&text, mil, strlen(mil), "the MIL text", e) ||
        !weights_dictionary(&wdict, files, nfiles, e)) {
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
    if (whole_text(api, SEND(send_id)(m->model, api->s.hex_id), m->hex, sizeof m->hex,
                   "-[_ANEInMemoryModel hexStringIdentifier]", e))
        return AB_EFAIL;
    if (!plain_name(m->hex))
        return ab_errf(e, AB_EFAIL, "ane-objc: unusable hexStringIdentifier '%s'", m->hex);
    if (write_model_files(api, m, mil, files, nfiles, e))
        return AB_EFAIL;
    /* Whether the compile could be a cache hit: compiledModelExists asks the
     * daemon (an XPC round trip, D), so it is asked here, untimed, before
     * the compile, never inside it. */
    if (responds(m->model, api->s.compiled_exists))
        m->cache = SEND(send_bool)(m->model, api->s.compiled_exists) ? "hit" : "cold";
    else
        m->cache = "possible-hit";
    return 0;
}

static int objc_model_create(ane_api *api, const char *mil, const ane_weight_file *files, size_t nfiles,
                             ane_model **out, ab_err *e)
{
    *out = NULL;
    ane_model *m = calloc(1, sizeof *m);
    if (!m)
        return ab_errf(e, AB_EFAIL, "ane-objc: out of memory");
    m->cache = "cold";
    void *pool = objc_autoreleasePoolPush();
    int rc = create_in_pool(api, mil, files, nfiles, m, e);
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

static int objc_model_rewrite_weights(ane_api *api, ane_model *m, const ane_weight_file *files, size_t nfiles,
                                      ab_err *e)
{
    (void)api;
    return write_weights(m, files, nfiles, e);
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
    id err = NULL;
    api->compiles++;
    BOOL ok = SEND(send_bool_qos_opts_err)(m->model, api->s.compile, qos, (id)api->empty_opts, &err);
    int rc = ok ? 0 : fail_ns(api, e, "-[_ANEInMemoryModel compileWithQoS:options:error:]", err);
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
    id err = NULL;
    BOOL ok = SEND(send_bool_qos_opts_err)(m->model, api->s.load, qos, (id)api->empty_opts, &err);
    if (!ok) {
        struct timespec pause = {0, ANE_LOAD_RETRY_NS};
        nanosleep(&pause, NULL);
        err = NULL;
        ok = SEND(send_bool_qos_opts_err)(m->model, api->s.load, qos, (id)api->empty_opts, &err);
    }
    int rc = ok ? 0 : fail_ns(api, e, "-[_ANEInMemoryModel loadWithQoS:options:error:] (tried twice)", err);
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

/* The request for rq, built once and kept while the same buffers and
 * procedure are used, so that a timed eval builds nothing. Its perfStats:
 * is nil: the factory stores that argument as perfStatsArray, an array of
 * _ANEPerformanceStatsIOSurface that -[_ANERequest validate] sends count to
 * at every eval (D); every public caller that ran on M4/M5 passes nil (N). */
static int get_request(ane_api *api, ane_model *m, const ane_eval_req *rq, ab_err *e)
{
    if (m->req && m->req_in == rq->in && m->req_out == rq->out && m->req_wb == rq->weights_buffer &&
        m->req_proc == rq->procedure)
        return 0;
    release_obj(m->req);
    m->req = NULL;
    id cls = (id)api->req_cls;
    if (need(cls, api->s.request, e))
        return AB_EFAIL;
    CFNumberRef zero = NULL, proc = NULL;
    CFArrayRef ins = NULL, outs = NULL, idx = NULL;
    bool made = make_number(&zero, 0, "the request's buffer index", e) &&
                make_number(&proc, rq->procedure, "the procedure index", e) &&
                make_array1(&ins, rq->in->obj, "the request's inputs", e) &&
                make_array1(&outs, rq->out->obj, "the request's outputs", e) &&
                make_array1(&idx, zero, "the request's buffer indices", e);
    if (made)
        m->req = retain_obj(SEND(send_request)(cls, api->s.request, (id)ins, (id)idx, (id)outs, (id)idx,
                                               rq->weights_buffer ? rq->weights_buffer->obj : NULL, NULL,
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
    return 0;
}

/* After an eval with the mask in its options the framework has called
 * -[request setPerfStats:] (D): read -perfStats, then perfStatsArray[0]
 * (tmc telemetry/eval.go reads both), then clear it so that the next read
 * cannot see this eval's object. Untimed: the eval is only the call. */
static void objc_eval_stats(ane_api *api, ane_model *m, const ane_eval_req *rq, ane_eval_res *res)
{
    res->has_hw = false;
    res->hw_ns = 0;
    res->hw_reason[0] = '\0';
    if (!rq->perf_stats) {
        ab_strlcpy(res->hw_reason, "perf stats not requested", sizeof res->hw_reason);
        return;
    }
    if (api->perf_note[0]) {
        ab_strlcpy(res->hw_reason, api->perf_note, sizeof res->hw_reason);
        return;
    }
    if (!m->req) {
        ab_strlcpy(res->hw_reason, "no request was evaluated", sizeof res->hw_reason);
        return;
    }
    void *pool = objc_autoreleasePoolPush();
    id ps = responds(m->req, api->s.perf_stats) ? SEND(send_id)(m->req, api->s.perf_stats) : NULL;
    if (!ps && responds(m->req, api->s.perf_stats_array)) {
        id arr = SEND(send_id)(m->req, api->s.perf_stats_array);
        if (responds(arr, api->s.count) && responds(arr, api->s.object_at) &&
            SEND(send_ulong)(arr, api->s.count))
            ps = SEND(send_id_index)(arr, api->s.object_at, 0);
    }
    if (!ps)
        ab_strlcpy(res->hw_reason,
                   "the framework set no perf stats on the request (-perfStats and perfStatsArray empty "
                   "after an eval with kANEFPerformanceStatsMask)",
                   sizeof res->hw_reason);
    else if (!responds(ps, api->s.hw_time))
        snprintf(res->hw_reason, sizeof res->hw_reason, "-[%s hwExecutionTime] not implemented",
                 class_getName(object_getClass(ps)));
    else if (!(res->hw_ns = SEND(send_u64)(ps, api->s.hw_time)))
        ab_strlcpy(res->hw_reason, "hwExecutionTime was 0 (counters not filled on this machine)",
                   sizeof res->hw_reason);
    else
        res->has_hw = true;
    if (responds(m->req, api->s.set_perf_stats))
        SEND(send_void_id)(m->req, api->s.set_perf_stats, NULL);
    objc_autoreleasePoolPop(pool);
}

static const char *path_name(const ane_eval_req *rq)
{
    return rq->realtime ? "realtime" : rq->direct ? "direct" : "normal";
}

/* The inner _ANEModel the client's calls take (N Real-time path). */
static id inner_model(ane_api *api, ane_model *m, ab_err *e)
{
    if (need(m->model, api->s.inner_model, e))
        return NULL;
    id inner = SEND(send_id)(m->model, api->s.inner_model);
    if (!inner)
        ab_errf(e, AB_EFAIL, "ane-objc: -[_ANEInMemoryModel model] is nil (compile and load first)");
    return inner;
}

static void find_client(ane_api *api);

/* Only the framework call: the request was built by eval_prepare (the
 * backend's io setup) and stats are read by eval_stats afterwards. */
static int eval_in_pool(ane_api *api, ane_model *m, const ane_eval_req *rq, ab_err *e)
{
    if (get_request(api, m, rq, e))
        return AB_EFAIL;
    id opts = (id)(rq->perf_stats && api->perf_opts ? api->perf_opts : api->empty_opts);
    id err = NULL;
    if (rq->realtime || rq->direct) {
        if (rq->realtime && !api->rt_active)
            return ab_errf(e, AB_EFAIL, "ane-objc: real-time eval without a real-time task (rt_begin)");
        if (!api->client)
            find_client(api);
        SEL sel = rq->realtime ? api->s.rt_eval : api->s.direct_eval;
        if (!api->client)
            return ab_errf(e, AB_EFAIL, "ane-objc: no _ANEClient for %s", sel_getName(sel));
        if (need(api->client, sel, e))
            return AB_EFAIL;
        id inner = inner_model(api, m, e);
        if (!inner)
            return AB_EFAIL;
        /* D: evaluateRealTimeWithModel: is doEvaluateDirectWithModel: at the
         * real-time QoS; the direct call takes the case's QoS (Espresso). */
        BOOL ok = rq->realtime
                      ? SEND(send_bool_model_opts_req_err)(api->client, sel, inner, opts, m->req, &err)
                      : SEND(send_bool_model_opts_req_qos_err)(api->client, sel, inner, opts, m->req, rq->qos,
                                                               &err);
        if (!ok)
            return fail_ns(api, e,
                           rq->realtime ? "-[_ANEClient evaluateRealTimeWithModel:options:request:error:]"
                                        : "-[_ANEClient doEvaluateDirectWithModel:options:request:qos:error:]",
                           err);
        return 0;
    }
    if (need(m->model, api->s.evaluate, e))
        return AB_EFAIL;
    if (!SEND(send_bool_qos_opts_req_err)(m->model, api->s.evaluate, rq->qos, opts, m->req, &err))
        return fail_ns(api, e, "-[_ANEInMemoryModel evaluateWithQoS:options:request:error:]", err);
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
    res->path = path_name(rq);
    if (!rq->in || !rq->out)
        return ab_errf(e, AB_EFAIL, "ane-objc: eval needs one input and one output buffer");
    void *pool = objc_autoreleasePoolPush();
    int rc = eval_in_pool(api, m, rq, e);
    objc_autoreleasePoolPop(pool);
    ab_strlcpy(res->hw_reason, "read by eval_stats", sizeof res->hw_reason);
    return rc;
}

/* ---- strides: [[model model] modelAttributes] ---- */

/* [dict objectForKey:@key], or NULL (with why) where dict is no dictionary. */
static id dict_get(ane_api *api, id dict, const char *key, char *why, size_t n)
{
    if (!responds(dict, api->s.object_for_key)) {
        snprintf(why, n, "no dictionary where %s was expected", key);
        return NULL;
    }
    CFStringRef k = CFStringCreateWithCString(kCFAllocatorDefault, key, kCFStringEncodingUTF8);
    if (!k) {
        snprintf(why, n, "CFStringCreateWithCString failed (%s)", key);
        return NULL;
    }
    id v = SEND(send_id_id)(dict, api->s.object_for_key, (id)k);
    CFRelease(k);
    if (!v)
        snprintf(why, n, "no %s", key);
    return v;
}

/* [array objectAtIndex:0], or NULL where the array is empty or none (why
 * already says so when array is NULL). */
static id first_of(ane_api *api, id array, const char *what, char *why, size_t n)
{
    if (!array)
        return NULL;
    if (!responds(array, api->s.count) || !responds(array, api->s.object_at) ||
        !SEND(send_ulong)(array, api->s.count)) {
        snprintf(why, n, "%s is empty or not an array", what);
        return NULL;
    }
    return SEND(send_id_index)(array, api->s.object_at, 0);
}

static bool dict_int(ane_api *api, id dict, const char *key, size_t *out, char *why, size_t n)
{
    id v = dict_get(api, dict, key, why, n);
    if (!v || !responds(v, api->s.ll_value)) {
        if (v)
            snprintf(why, n, "%s is not a number", key);
        return false;
    }
    long long x = SEND(send_llong)(v, api->s.ll_value);
    if (x < 0) {
        snprintf(why, n, "%s is negative", key);
        return false;
    }
    *out = (size_t)x;
    return true;
}

/* One LiveInputList / LiveOutputList entry (tmc compile.go): strides checked
 * as tmc checks them (64-byte rows, room for the row and the plane). */
static bool tensor_strides(ane_api *api, id proc, const char *list, size_t *ch, size_t *width, size_t *elem,
                           size_t *row, size_t *plane, char *why, size_t n)
{
    id entry = first_of(api, dict_get(api, proc, list, why, n), list, why, n);
    size_t height = 0;
    if (!entry || !dict_int(api, entry, "Channels", ch, why, n) || !dict_int(api, entry, "Width", width, why, n) ||
        !dict_int(api, entry, "Height", &height, why, n) || !dict_int(api, entry, "RowStride", row, why, n) ||
        !dict_int(api, entry, "PlaneStride", plane, why, n))
        return false;
    char type[32] = "";
    id t = dict_get(api, entry, "Type", why, n);
    if (t)
        text_of(api, t, true, type, sizeof type);
    *elem = strcmp(type, "Float32") == 0 ? 4 : 2; /* tmc: Float32 4, else fp16 */
    if (height != 1 || *row % 64 || *row < *width * *elem || *plane < height * *row) {
        snprintf(why, n, "%s states Height %zu RowStride %zu PlaneStride %zu for Width %zu of %zu bytes", list,
                 height, *row, *plane, *width, *elem);
        return false;
    }
    return true;
}

static void flat_layout(ane_io_layout *l, size_t in_ch, size_t in_w, size_t out_ch, size_t out_w, size_t elem)
{
    l->in_ch = in_ch;
    l->out_ch = out_ch;
    l->in_width = in_w;
    l->out_width = out_w;
    l->in_elem = l->out_elem = elem;
    l->in_row = l->in_plane = ane_row_stride(in_w, elem, 0);
    l->out_row = l->out_plane = ane_row_stride(out_w, elem, 0);
    l->in_bytes = in_ch * l->in_plane;
    l->out_bytes = out_ch * l->out_plane;
    l->from_model = false;
}

/* The strides the compiled model states, or flat unpadded rows (what
 * maderix/ANE ran) with the reason, never an error: a wrong guess shows as
 * wrong output, which the caller checks. */
static int objc_io_layout(ane_api *api, ane_model *m, size_t in_ch, size_t in_w, size_t out_ch, size_t out_w,
                          size_t elem, ane_io_layout *l, ab_err *e)
{
    (void)e;
    memset(l, 0, sizeof *l);
    flat_layout(l, in_ch, in_w, out_ch, out_w, elem);
    char why[160] = "";
    void *pool = objc_autoreleasePoolPush();
    id inner = responds(m->model, api->s.inner_model) ? SEND(send_id)(m->model, api->s.inner_model) : NULL;
    id attrs = responds(inner, api->s.attributes) ? SEND(send_id)(inner, api->s.attributes) : NULL;
    ane_io_layout got = *l;
    bool ok = false;
    if (!inner)
        ab_strlcpy(why, "-[_ANEInMemoryModel model] is nil or absent", sizeof why);
    else if (!attrs)
        snprintf(why, sizeof why, "-[%s modelAttributes] %s", class_getName(object_getClass(inner)),
                 responds(inner, api->s.attributes) ? "is nil" : "is not implemented");
    else {
        id proc = first_of(api, dict_get(api, attrs, "NetworkStatusList", why, sizeof why), "NetworkStatusList",
                           why, sizeof why);
        size_t w_in = 0, w_out = 0;
        ok = proc &&
             tensor_strides(api, proc, "LiveInputList", &got.in_ch, &w_in, &got.in_elem, &got.in_row, &got.in_plane,
                            why, sizeof why) &&
             tensor_strides(api, proc, "LiveOutputList", &got.out_ch, &w_out, &got.out_elem, &got.out_row,
                            &got.out_plane, why, sizeof why);
        if (ok && (got.in_ch != in_ch || got.out_ch != out_ch || w_in != in_w || w_out != out_w ||
                   got.in_elem != elem || got.out_elem != elem)) {
            snprintf(why, sizeof why, "modelAttributes describe [%zu x %zu] -> [%zu x %zu], not the program's", got.in_ch,
                     w_in, got.out_ch, w_out);
            ok = false;
        }
        got.in_width = w_in;
        got.out_width = w_out;
    }
    objc_autoreleasePoolPop(pool);
    if (ok) {
        *l = got;
        l->in_bytes = l->in_ch * l->in_plane;
        l->out_bytes = l->out_ch * l->out_plane;
        l->from_model = true;
        ab_strlcpy(l->note, "[[model model] modelAttributes]", sizeof l->note);
    } else {
        snprintf(l->note, sizeof l->note, "flat unpadded rows (as maderix/ANE): %s", why);
    }
    return 0;
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

/* Real time as its one public user (Espresso) does it: the backend has
 * compiled and loaded normally; beginRealTimeTask's answer is returned for
 * the record, not taken as a refusal; loadRealTimeModel: follows. */
static int objc_rt_begin(ane_api *api, bool *granted, ab_err *e)
{
    *granted = false;
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
    pool = objc_autoreleasePoolPush();
    BOOL ok = SEND(send_bool)(api->client, api->s.rt_begin);
    objc_autoreleasePoolPop(pool);
    *granted = ok;
    api->rt_active = true;
    return 0;
}

/* loadRealTimeModel / unloadRealTimeModel on the inner _ANEModel. */
static int rt_model_call(ane_api *api, ane_model *m, SEL sel, const char *what, unsigned qos, ab_err *e)
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
    }
    objc_autoreleasePoolPop(pool);
    return rc;
}

static int objc_rt_load(ane_api *api, ane_model *m, unsigned qos, ab_err *e)
{
    return rt_model_call(api, m, api->s.rt_load, "-[_ANEClient loadRealTimeModel:options:qos:error:]", qos, e);
}

static int objc_rt_unload(ane_api *api, ane_model *m, unsigned qos, ab_err *e)
{
    return rt_model_call(api, m, api->s.rt_unload, "-[_ANEClient unloadRealTimeModel:options:qos:error:]",
                         qos, e);
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

/* Whether a path's selectors exist: the client class's instance methods
 * (no live model is needed to ask), the model's -model for the inner model. */
static bool objc_path_available(ane_api *api, ane_path p, char *why, size_t n)
{
    SEL rt[] = {api->s.rt_begin, api->s.rt_load, api->s.rt_eval, api->s.rt_unload, api->s.rt_end};
    SEL direct[] = {api->s.direct_eval};
    SEL *need_sels = p == ANE_PATH_RT ? rt : direct;
    size_t k = p == ANE_PATH_RT ? 5 : 1;
    if (p == ANE_PATH_NORMAL) {
        if (class_respondsToSelector(api->model_cls, api->s.evaluate))
            return true;
        snprintf(why, n, "-[_ANEInMemoryModel %s] is not implemented by this framework",
                 sel_getName(api->s.evaluate));
        return false;
    }
    if (!api->client_cls) {
        ab_strlcpy(why, "class _ANEClient not found", n);
        return false;
    }
    if (!class_respondsToSelector(api->model_cls, api->s.inner_model)) {
        ab_strlcpy(why, "-[_ANEInMemoryModel model] is not implemented by this framework", n);
        return false;
    }
    for (size_t i = 0; i < k; i++)
        if (!class_respondsToSelector(api->client_cls, need_sels[i])) {
            snprintf(why, n, "-[_ANEClient %s] is not implemented by this framework", sel_getName(need_sels[i]));
            return false;
        }
    return true;
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
    .io_layout = objc_io_layout,
    .path_available = objc_path_available,
    .eval_stats = objc_eval_stats,
};

#endif /* __APPLE__ */
