/* framework.c: fakes of AppleNeuralEngine.framework, backed by the ane-sim
 * model (the rest of the platform the bridge touches is in darwin.c).
 *
 * dlopen of the framework's path (the bridge's dlopen is redirected here with
 * the linker's --wrap) registers fake _ANE* classes whose methods check their
 * arguments as the real framework would need them (wrong object types abort
 * the test; a nil weights dictionary, missing model files or surfaces too
 * small for the program are errors), log the call, and do the work through
 * ane_api_sim: the same timings, compile cache and budget, baked weights,
 * procedure-index range, perf-stats behaviour and real-time availability per
 * profile. The class list mirrors the simulator's census. */
#include "fake.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/ane_api.h"

#define ANE_PATH "/System/Library/PrivateFrameworks/AppleNeuralEngine.framework/AppleNeuralEngine"
/* What class_getImageName says of the fake classes: where a real runtime
 * names the framework's binary, this names the test bed, so that every
 * record the bridge writes over the fakes says what answered. */
#define FAKE_FRAMEWORK_IMAGE                                                                                 \
    "tests/fakedarwin (a fake AppleNeuralEngine.framework backed by the ane-sim simulator)"

const char *const fake_fail_points[] = {
    "dlopen",
    "NSTemporaryDirectory",
    "NSTemporaryDirectory:missing",
    "modelWithMILText:weights:optionsPlist:",
    "inMemoryModelWithDescriptor:",
    "hexStringIdentifier",
    "hexStringIdentifier:unsafe",
    "compileWithQoS:options:error:",
    "loadWithQoS:options:error:",
    "unloadWithQoS:error:",
    "evaluateWithQoS:options:request:error:",
    "objectWithIOSurface:",
    "requestWithInputs:inputIndices:outputs:outputIndices:weightsBuffer:perfStats:procedureIndex:",
    "statsWithHardwareExecutionNS:",
    "beginRealTimeTask",
    "loadRealTimeModel:options:qos:error:",
    "evaluateRealTimeWithModel:options:request:error:",
    "unloadRealTimeModel:options:qos:error:",
    "CFDataCreate",
    "CFDictionaryCreate",
    "CFArrayCreate",
    "CFNumberCreate",
    "CFStringCreateWithCString",
    "IOSurfaceCreate",
    "IOSurfaceLock",
    "objc_copyClassList",
    "objc_getClass",
    "hasANE",
    "driverMaskForANEFMask:",
    "IOSurfaceGetBaseAddress",
    "sysctlbyname",
    NULL,
};

typedef struct fdesc {
    fake_obj h;
    id mil, weights; /* retained NSData, NSDictionary */
    char hex[40];
} fdesc;

typedef struct fmodel fmodel;
typedef struct finner {
    fake_obj h;
    fmodel *outer; /* not retained: the outer model owns this object */
    unsigned mask;
} finner;

struct fmodel {
    fake_obj h;
    id desc;         /* retained fdesc */
    finner *inner;   /* owned; created by the first successful compile */
    ane_model *sm;   /* the simulated program */
    uint64_t serial; /* unique per model in the process */
    unsigned mask;
};

typedef struct fsurfobj {
    fake_obj h;
    IOSurfaceRef surface;      /* retained */
    ane_buf *sb;               /* the simulator's copy */
    uint64_t synced;           /* surface generation last copied to sb, +1 */
    uint64_t out_model;        /* as an output: the model (serial) and input generation whose */
    uint64_t out_key, out_gen; /* result it holds, and its own generation then */
} fsurfobj;

typedef struct fstats {
    fake_obj h;
    uint64_t hw;
} fstats;

typedef struct frequest {
    fake_obj h;
    id in, out, wb, stats; /* retained (wb, stats may be nil) */
    unsigned proc;
} frequest;

static struct {
    char profile[16];
    int perf_override, rt_override;
    bool open;
    ane_api *sim;
    ane_device_info dev;
    id client;
    char dlerr[200];
    bool dlerr_set;
    char **compiled;
    size_t ncompiled;
    int compiles;
    fmodel *last_model; /* the most recently created model (not retained) */
    uint64_t serials;
    Class c_desc, c_model, c_inner, c_surf, c_stats, c_req, c_client, c_dev;
} fw = {.profile = "m5", .perf_override = -1, .rt_override = -1};

/* ---- helpers ---- */

static void need_class(id obj, const char *cls, const char *where, bool nil_ok)
{
    if (!obj && nil_ok)
        return;
    if (!fake_is(obj, cls))
        fake_die("%s: expected %s%s, got %s", where, nil_ok ? "nil or " : "", cls, fake_class_name(obj));
}

static void need_errp(id *err, const char *where)
{
    if (!err)
        fake_die("%s: NULL error pointer (the bridge must pass &err)", where);
    *err = NULL;
}

static BOOL fail_with(id *err, const char *fmt, const char *arg)
{
    char text[600];
    snprintf(text, sizeof text, fmt, arg);
    *err = fake_error(text);
    return NO;
}

static BOOL injected(id *err, const char *sel)
{
    if (!fake_should_fail(sel))
        return NO;
    char text[300];
    snprintf(text, sizeof text,
             "Error Domain=com.apple.appleneuralengine Code=-1 \"%s failed (injected by the "
             "fake framework)\"",
             sel);
    *err = fake_error(text);
    return YES;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

/* ---- _ANEInMemoryModelDescriptor ---- */

static void desc_destroy(fake_obj *o)
{
    fdesc *d = (fdesc *)o;
    CFRelease(d->mil);
    CFRelease(d->weights);
}

static void check_weights(id w)
{
    if (!w)
        fake_die("modelWithMILText:weights:optionsPlist: nil weights dictionary (the framework wants @{})");
    need_class(w, "NSDictionary", "modelWithMILText: weights", false);
    for (size_t i = 0; i < fake_dict_count(w); i++) {
        const char *key = fake_string_text(fake_dict_key_at(w, i));
        id entry = fake_dict_get(w, key);
        int64_t off;
        size_t len;
        if (strncmp(key, "@model_path/", 12) != 0)
            fake_die("weights key '%s' does not start with @model_path/", key);
        need_class(entry, "NSDictionary", "weights entry", false);
        if (!fake_number_value(fake_dict_get(entry, "offset"), &off) ||
            !fake_data_bytes(fake_dict_get(entry, "data"), &len))
            fake_die("weights entry '%s' needs @\"offset\": NSNumber and @\"data\": NSData", key);
    }
}

static id desc_model_with_mil(id self, SEL cmd, id mil, id weights, id plist)
{
    (void)self;
    (void)cmd;
    fake_log("+[_ANEInMemoryModelDescriptor modelWithMILText:weights:optionsPlist:]");
    need_class(mil, "NSData", "modelWithMILText: MIL", false);
    check_weights(weights);
    need_class(plist, "NSDictionary", "modelWithMILText: optionsPlist", true);
    if (fake_should_fail("modelWithMILText:weights:optionsPlist:"))
        return NULL;
    fdesc *d = fake_new(fw.c_desc, sizeof *d, desc_destroy);
    d->mil = (id)(uintptr_t)CFRetain(mil);
    d->weights = (id)(uintptr_t)CFRetain(weights);
    size_t len;
    const uint8_t *p = fake_data_bytes(mil, &len);
    uint64_t h = fnv(0xcbf29ce484222325ULL, p, len);
    id entry = fake_dict_get(weights, "@model_path/weights/weight.bin");
    if (entry && (p = fake_data_bytes(fake_dict_get(entry, "data"), &len)))
        h = fnv(h, p, len);
    snprintf(d->hex, sizeof d->hex, "%016llx", (unsigned long long)h);
    return fake_autorelease((id)d);
}

/* ---- _ANEInMemoryModel and its inner _ANEModel ---- */

static void inner_destroy(fake_obj *o)
{
    (void)o;
}

static void model_destroy(fake_obj *o)
{
    fmodel *m = (fmodel *)o;
    if (fw.last_model == m)
        fw.last_model = NULL;
    if (m->sm && fw.sim)
        ane_api_sim.model_free(fw.sim, m->sm);
    if (m->inner)
        CFRelease(m->inner);
    CFRelease(m->desc);
}

static id model_with_desc(id self, SEL cmd, id desc)
{
    (void)self;
    (void)cmd;
    fake_log("+[_ANEInMemoryModel inMemoryModelWithDescriptor:]");
    need_class(desc, "_ANEInMemoryModelDescriptor", "inMemoryModelWithDescriptor:", false);
    if (fake_should_fail("inMemoryModelWithDescriptor:"))
        return NULL;
    fmodel *m = fake_new(fw.c_model, sizeof *m, model_destroy);
    m->desc = (id)(uintptr_t)CFRetain(desc);
    /* The simulated program, from the descriptor's text and weights. */
    fdesc *d = (fdesc *)desc;
    size_t mlen, wl = 0;
    const uint8_t *mil = fake_data_bytes(d->mil, &mlen), *wb = NULL;
    id entry = fake_dict_get(d->weights, "@model_path/weights/weight.bin");
    if (entry)
        wb = fake_data_bytes(fake_dict_get(entry, "data"), &wl);
    char *text = malloc(mlen + 1);
    if (!text)
        fake_die("out of memory");
    memcpy(text, mil, mlen);
    text[mlen] = '\0';
    ab_err e;
    if (ane_api_sim.model_create(fw.sim, text, wb, wl, &m->sm, &e))
        m->sm = NULL; /* compile reports it */
    free(text);
    fw.last_model = m;
    m->serial = ++fw.serials;
    return fake_autorelease((id)m);
}

static id model_hex(id self, SEL cmd)
{
    (void)cmd;
    if (fake_should_fail("hexStringIdentifier"))
        return NULL;
    if (fake_should_fail("hexStringIdentifier:unsafe")) /* must never name a directory to delete */
        return fake_string("..");
    return fake_string(((fdesc *)((fmodel *)self)->desc)->hex);
}

static id model_inner(id self, SEL cmd)
{
    (void)cmd;
    return (id)((fmodel *)self)->inner;
}

static void model_set_mask(id self, SEL cmd, unsigned mask)
{
    (void)cmd;
    fake_log("-[_ANEInMemoryModel setPerfStatsMask:]");
    ((fmodel *)self)->mask = mask;
}

static void inner_set_mask(id self, SEL cmd, unsigned mask)
{
    (void)cmd;
    fake_log("-[_ANEModel setPerfStatsMask:]");
    ((finner *)self)->mask = mask;
}

static bool hex_compiled(const char *hex)
{
    for (size_t i = 0; i < fw.ncompiled; i++)
        if (!strcmp(fw.compiled[i], hex))
            return true;
    return false;
}

static BOOL model_compiled_exists(id self, SEL cmd)
{
    (void)cmd;
    return hex_compiled(((fdesc *)((fmodel *)self)->desc)->hex);
}

/* Whether the file at path holds exactly len bytes equal to want. Read
 * into one buffer kept for the process: compile is timed, and a fresh
 * allocation per call (ASan's quarantine hands out new pages each time) cost
 * milliseconds of page faults that no device spends. */
static bool file_equals(const char *path, const void *want, size_t len)
{
    static uint8_t *buf;
    static size_t cap;
    struct stat st;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    bool same = fstat(fd, &st) == 0 && (size_t)st.st_size == len;
    if (same && len > cap) {
        free(buf);
        if (!(buf = malloc(cap = len)))
            fake_die("out of memory");
    }
    size_t got = 0;
    while (same && got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        same = r > 0;
        got += same ? (size_t)r : 0;
    }
    close(fd);
    return same && (len == 0 || memcmp(buf, want, len) == 0);
}

/* The real framework compiles from NSTemporaryDirectory()/<hex>/: the bridge
 * must have written model.mil (the descriptor's text) and weights/weight.bin
 * (the descriptor's size: the weight-reload probe rewrites its content). */
static BOOL model_compile(id self, SEL cmd, unsigned qos, id opts, id *err)
{
    (void)cmd;
    fmodel *m = (fmodel *)self;
    fdesc *d = (fdesc *)m->desc;
    fake_log("-[_ANEInMemoryModel compileWithQoS:options:error:]");
    need_errp(err, "compileWithQoS:");
    need_class(opts, "NSDictionary", "compileWithQoS: options", false);
    if (injected(err, "compileWithQoS:options:error:"))
        return NO;
    char path[600];
    size_t dlen, wl = 0;
    snprintf(path, sizeof path, "%s/%s/model.mil", fake_tmpdir(), d->hex);
    const uint8_t *dmil = fake_data_bytes(d->mil, &dlen);
    if (!file_equals(path, dmil, dlen))
        return fail_with(err, "ANECompilerService: %s missing or not the descriptor's MIL", path);
    snprintf(path, sizeof path, "%s/%s/weights/weight.bin", fake_tmpdir(), d->hex);
    id entry = fake_dict_get(d->weights, "@model_path/weights/weight.bin");
    const uint8_t *wb = entry ? fake_data_bytes(fake_dict_get(entry, "data"), &wl) : NULL;
    struct stat st;
    if (entry && (stat(path, &st) != 0 || (size_t)st.st_size != wl))
        return fail_with(err, "ANECompilerService: %s missing or not the descriptor's size", path);
    ab_err e;
    ab_err_clear(&e);
    int rc = 0;
    if (!m->sm) { /* the MIL the simulator could not take at creation: its error, now */
        char *mil = malloc(dlen + 1);
        if (!mil)
            fake_die("out of memory");
        memcpy(mil, dmil, dlen);
        mil[dlen] = '\0';
        rc = ane_api_sim.model_create(fw.sim, mil, wb, wl, &m->sm, &e);
        free(mil);
    }
    if (!rc)
        rc = ane_api_sim.compile(fw.sim, m->sm, qos, &e);
    fw.compiles++;
    if (rc)
        return fail_with(err, "%s", e.msg);
    if (!hex_compiled(d->hex)) {
        fw.compiled = realloc(fw.compiled, (fw.ncompiled + 1) * sizeof *fw.compiled);
        if (!fw.compiled || !(fw.compiled[fw.ncompiled++] = strdup(d->hex)))
            fake_die("out of memory");
    }
    if (!m->inner) {
        m->inner = fake_new(fw.c_inner, sizeof *m->inner, inner_destroy);
        m->inner->outer = m;
    }
    m->mask = 0; /* compile and load clear the perf-stats mask */
    m->inner->mask = 0;
    return YES;
}

static BOOL model_load(id self, SEL cmd, unsigned qos, id opts, id *err)
{
    (void)cmd;
    fmodel *m = (fmodel *)self;
    fake_log("-[_ANEInMemoryModel loadWithQoS:options:error:]");
    need_errp(err, "loadWithQoS:");
    need_class(opts, "NSDictionary", "loadWithQoS: options", false);
    if (injected(err, "loadWithQoS:options:error:"))
        return NO;
    if (!m->sm)
        return fail_with(err, "%s", "loadWithQoS: the model is not compiled");
    ab_err e;
    ab_err_clear(&e);
    if (ane_api_sim.load(fw.sim, m->sm, qos, &e))
        return fail_with(err, "%s", e.msg);
    m->mask = 0;
    m->inner->mask = 0;
    return YES;
}

static BOOL model_unload(id self, SEL cmd, unsigned qos, id *err)
{
    (void)cmd;
    fmodel *m = (fmodel *)self;
    fake_log("-[_ANEInMemoryModel unloadWithQoS:error:]");
    need_errp(err, "unloadWithQoS:");
    if (injected(err, "unloadWithQoS:error:"))
        return NO;
    if (!m->sm)
        return fail_with(err, "%s", "unloadWithQoS: the model is not compiled");
    ab_err e;
    ab_err_clear(&e);
    if (ane_api_sim.unload(fw.sim, m->sm, qos, &e))
        return fail_with(err, "%s", e.msg);
    return YES;
}

/* ---- eval through the simulator ---- */

static int sync_in(fsurfobj *s, ab_err *e)
{
    size_t len;
    uint64_t gen;
    uint8_t *bytes = fake_surface_bytes(s->surface, &len, &gen);
    if (!s->sb && ane_api_sim.buf_create(fw.sim, len, &s->sb, e))
        return AB_EFAIL;
    if (s->synced == gen + 1)
        return 0;
    if (ane_api_sim.buf_write(fw.sim, s->sb, bytes, len, e))
        return AB_EFAIL;
    s->synced = gen + 1;
    return 0;
}

static void copy_out(void *ctx, uint8_t *mem, size_t len)
{
    fsurfobj *s = ctx;
    ab_err e;
    if (ane_api_sim.buf_read(fw.sim, s->sb, mem, len, &e))
        fake_die("fake framework: copying the simulated output failed: %s", e.msg);
}

/* Copies the simulator's output to the output surface unless the surface
 * already holds this model's result for this input (and nobody wrote it). */
static int sync_out(fsurfobj *s, const fmodel *m, const fsurfobj *in, ab_err *e)
{
    size_t len;
    uint64_t gen;
    uint8_t *bytes = fake_surface_bytes(s->surface, &len, &gen);
    (void)bytes;
    (void)e;
    if (s->out_model == m->serial && s->out_key == in->synced && s->out_gen == gen)
        return 0;
    /* Like the device's DMA, the copy costs the eval no CPU time: it is done
     * when somebody next locks the surface. */
    fake_surface_set_pending(s->surface, copy_out, s);
    s->out_model = m->serial;
    s->out_key = in->synced;
    s->out_gen = gen;
    return 0;
}

static BOOL run_eval(fmodel *m, frequest *r, unsigned qos, bool realtime, unsigned mask, id opts, id *err)
{
    need_class(opts, "NSDictionary", "eval options", false);
    if (!m->sm)
        return fail_with(err, "%s", "eval: the model is not compiled");
    ab_err e;
    ab_err_clear(&e);
    fsurfobj *in = (fsurfobj *)r->in, *out = (fsurfobj *)r->out;
    if (sync_in(in, &e))
        return fail_with(err, "%s", e.msg);
    if (!out->sb) {
        size_t len;
        uint64_t gen;
        fake_surface_bytes(out->surface, &len, &gen);
        if (ane_api_sim.buf_create(fw.sim, len, &out->sb, &e))
            return fail_with(err, "%s", e.msg);
    }
    ane_eval_req rq = {.qos = qos,
                       .procedure = r->proc,
                       .perf_stats = true,
                       .realtime = realtime,
                       .in = in->sb,
                       .out = out->sb};
    ane_eval_res res;
    if (ane_api_sim.eval_prepare && ane_api_sim.eval_prepare(fw.sim, m->sm, &rq, &e))
        return fail_with(err, "%s", e.msg);
    if (ane_api_sim.eval(fw.sim, m->sm, &rq, &res, &e))
        return fail_with(err, "%s", e.msg);
    if (sync_out(out, m, in, &e))
        return fail_with(err, "%s", e.msg);
    bool want = mask != 0 && fake_dict_get(opts, "kANEFPerformanceStatsMask") != NULL;
    bool allowed = fw.perf_override >= 0 ? fw.perf_override : res.has_hw;
    if (r->stats)
        /* At a small ANEBENCH_SIM_SCALE the modelled hw time can round to 0 ns;
         * the device's would not. */
        ((fstats *)r->stats)->hw = want && allowed ? (res.has_hw && res.hw_ns ? res.hw_ns : 1) : 0;
    return YES;
}

static BOOL model_eval(id self, SEL cmd, unsigned qos, id opts, id req, id *err)
{
    (void)cmd;
    fake_log("-[_ANEInMemoryModel evaluateWithQoS:options:request:error:]");
    need_errp(err, "evaluateWithQoS:");
    need_class(req, "_ANERequest", "evaluateWithQoS: request", false);
    if (injected(err, "evaluateWithQoS:options:request:error:"))
        return NO;
    fmodel *m = (fmodel *)self;
    return run_eval(m, (frequest *)req, qos, false, m->mask, opts, err);
}

/* ---- _ANEIOSurfaceObject, _ANEPerformanceStats, _ANERequest ---- */

static void surfobj_destroy(fake_obj *o)
{
    fsurfobj *s = (fsurfobj *)o;
    fake_surface_clear_pending(s->surface, s);
    if (s->sb && fw.sim)
        ane_api_sim.buf_free(fw.sim, s->sb);
    CFRelease(s->surface);
}

static id surfobj_with_surface(id self, SEL cmd, IOSurfaceRef surface)
{
    (void)self;
    (void)cmd;
    if (!fake_is_surface(surface))
        fake_die("+[_ANEIOSurfaceObject objectWithIOSurface:]: argument is not an IOSurfaceRef");
    if (fake_should_fail("objectWithIOSurface:"))
        return NULL;
    fsurfobj *s = fake_new(fw.c_surf, sizeof *s, surfobj_destroy);
    s->surface = (IOSurfaceRef)(uintptr_t)CFRetain(surface);
    return fake_autorelease((id)s);
}

static unsigned stats_driver_mask(id self, SEL cmd, unsigned fmask)
{
    (void)self;
    (void)cmd;
    if (fake_should_fail("driverMaskForANEFMask:"))
        return 0;
    return fmask > 0xF ? 0 : fmask << 4; /* some driver encoding; 0 above 0xF as reported */
}

static id stats_with_hw(id self, SEL cmd, uint64_t ns)
{
    (void)self;
    (void)cmd;
    if (fake_should_fail("statsWithHardwareExecutionNS:"))
        return NULL;
    fstats *s = fake_new(fw.c_stats, sizeof *s, NULL);
    s->hw = ns;
    return fake_autorelease((id)s);
}

static uint64_t stats_hw_time(id self, SEL cmd)
{
    (void)cmd;
    return ((fstats *)self)->hw;
}

static void request_destroy(fake_obj *o)
{
    frequest *r = (frequest *)o;
    id all[] = {r->in, r->out, r->wb, r->stats};
    for (size_t i = 0; i < 4; i++)
        if (all[i])
            CFRelease(all[i]);
}

static id one_of(id array, const char *cls, const char *where)
{
    need_class(array, "NSArray", where, false);
    if (fake_array_count(array) != 1)
        fake_die("%s: %zu elements; multi-input requests fail on the ANE (0x1d), use one", where,
                 fake_array_count(array));
    id x = fake_array_at(array, 0);
    need_class(x, cls, where, false);
    return x;
}

/* ane-sim computes a program's output untimed (its eval_prepare); the fake
 * does the same when a request is built (the bridge builds it untimed), for
 * the most recently created model, so that the timed evals through the bridge
 * cost the modelled time plus the bridge's own overhead only. */
static void precompute(frequest *r)
{
    fmodel *m = fw.last_model;
    if (!m || !m->sm || !ane_api_sim.eval_prepare)
        return;
    ab_err e;
    fsurfobj *in = (fsurfobj *)r->in, *out = (fsurfobj *)r->out;
    if (sync_in(in, &e))
        return;
    if (!out->sb) {
        size_t len;
        uint64_t gen;
        fake_surface_bytes(out->surface, &len, &gen);
        if (ane_api_sim.buf_create(fw.sim, len, &out->sb, &e))
            return;
    }
    ane_eval_req rq = {.qos = 21, .procedure = r->proc, .perf_stats = true, .in = in->sb, .out = out->sb};
    ane_api_sim.eval_prepare(fw.sim, m->sm, &rq, &e); /* a misfit request fails later, at eval */
}

static id request_new(id self, SEL cmd, id ins, id in_idx, id outs, id out_idx, id wb, id stats, id proc)
{
    (void)self;
    (void)cmd;
    fake_log("+[_ANERequest requestWithInputs:...]");
    id in = one_of(ins, "_ANEIOSurfaceObject", "requestWithInputs: inputs");
    id out = one_of(outs, "_ANEIOSurfaceObject", "requestWithInputs: outputs");
    one_of(in_idx, "NSNumber", "requestWithInputs: inputIndices");
    one_of(out_idx, "NSNumber", "requestWithInputs: outputIndices");
    need_class(wb, "_ANEIOSurfaceObject", "requestWithInputs: weightsBuffer", true);
    need_class(stats, "_ANEPerformanceStats", "requestWithInputs: perfStats", true);
    int64_t p;
    if (!fake_number_value(proc, &p) || p < 0)
        fake_die("requestWithInputs: procedureIndex is not a non-negative NSNumber");
    if (fake_should_fail(sel_getName(cmd)))
        return NULL;
    frequest *r = fake_new(fw.c_req, sizeof *r, request_destroy);
    r->in = (id)(uintptr_t)CFRetain(in);
    r->out = (id)(uintptr_t)CFRetain(out);
    r->wb = wb ? (id)(uintptr_t)CFRetain(wb) : NULL;
    r->stats = stats ? (id)(uintptr_t)CFRetain(stats) : NULL;
    r->proc = (unsigned)p;
    precompute(r);
    return fake_autorelease((id)r);
}

static id request_perf_stats(id self, SEL cmd)
{
    (void)cmd;
    return ((frequest *)self)->stats;
}

static id request_perf_stats_array(id self, SEL cmd)
{
    (void)cmd;
    frequest *r = (frequest *)self;
    const void *v[1] = {r->stats};
    CFArrayRef a = CFArrayCreate(kCFAllocatorDefault, v, r->stats ? 1 : 0, &kCFTypeArrayCallBacks);
    if (!a)
        fake_die("fake framework: CFArrayCreate failed");
    return fake_autorelease((id)(uintptr_t)a);
}

/* ---- _ANEClient (real-time path) ---- */

/* One shared client per process, whichever way it is asked for: the
 * notes' -[_ANEInMemoryModel sharedConnection], or the class's own. */
static id shared_client(void)
{
    if (!fw.client)
        fw.client = fake_new(fw.c_client, sizeof(fake_obj), NULL);
    return fw.client;
}

static id client_shared(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    fake_log("+[_ANEClient sharedConnection]");
    return shared_client();
}

static id model_shared_connection(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    fake_log("-[_ANEInMemoryModel sharedConnection]");
    return shared_client();
}

static BOOL client_begin(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    fake_log("-[_ANEClient beginRealTimeTask]");
    if (fake_should_fail("beginRealTimeTask") || fw.rt_override == 0)
        return NO;
    ab_err e;
    ab_err_clear(&e);
    return ane_api_sim.rt_begin(fw.sim, &e) == 0;
}

static BOOL client_end(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    fake_log("-[_ANEClient endRealTimeTask]");
    ane_api_sim.rt_end(fw.sim);
    return YES;
}

static fmodel *rt_model(id model, const char *where)
{
    if (fake_is(model, "_ANEInMemoryModel"))
        fake_die("%s: given the _ANEInMemoryModel; the client wants its inner _ANEModel", where);
    need_class(model, "_ANEModel", where, false);
    return ((finner *)model)->outer;
}

static BOOL client_rt_load(id self, SEL cmd, id model, id opts, unsigned qos, id *err)
{
    (void)self;
    fake_log("-[_ANEClient loadRealTimeModel:options:qos:error:]");
    need_errp(err, sel_getName(cmd));
    need_class(opts, "NSDictionary", "loadRealTimeModel: options", false);
    fmodel *m = rt_model(model, "loadRealTimeModel:");
    if (injected(err, sel_getName(cmd)))
        return NO;
    ab_err e;
    ab_err_clear(&e);
    if (ane_api_sim.rt_load(fw.sim, m->sm, qos, &e))
        return fail_with(err, "%s", e.msg);
    m->inner->mask = 0;
    return YES;
}

static BOOL client_rt_unload(id self, SEL cmd, id model, id opts, unsigned qos, id *err)
{
    (void)self;
    fake_log("-[_ANEClient unloadRealTimeModel:options:qos:error:]");
    need_errp(err, sel_getName(cmd));
    need_class(opts, "NSDictionary", "unloadRealTimeModel: options", false);
    fmodel *m = rt_model(model, "unloadRealTimeModel:");
    if (injected(err, sel_getName(cmd)))
        return NO;
    ab_err e;
    ab_err_clear(&e);
    if (ane_api_sim.rt_unload(fw.sim, m->sm, qos, &e))
        return fail_with(err, "%s", e.msg);
    return YES;
}

static BOOL client_rt_eval(id self, SEL cmd, id model, id opts, id req, id *err)
{
    (void)self;
    fake_log("-[_ANEClient evaluateRealTimeWithModel:options:request:error:]");
    need_errp(err, sel_getName(cmd));
    need_class(req, "_ANERequest", "evaluateRealTimeWithModel: request", false);
    fmodel *m = rt_model(model, "evaluateRealTimeWithModel:");
    if (injected(err, sel_getName(cmd)))
        return NO;
    return run_eval(m, (frequest *)req, 21, true, m->inner->mask, opts, err);
}

/* ---- _ANEDeviceInfo ---- */

static BOOL dev_has_ane(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    return !fake_should_fail("hasANE");
}

static id dev_arch(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    return fake_string(fw.dev.family);
}

static id dev_subtype(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    char sub[32];
    snprintf(sub, sizeof sub, "%s", fw.dev.family);
    for (char *p = sub; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    return fake_string(sub);
}

static unsigned dev_cores(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    return (unsigned)fw.dev.cores;
}

/* ---- dlopen of the framework ---- */

void *__real_dlopen(const char *path, int flags);
char *__real_dlerror(void);
void *__wrap_dlopen(const char *path, int flags);
char *__wrap_dlerror(void);

static void register_classes(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    fw.c_desc = fake_class("_ANEInMemoryModelDescriptor", NULL);
    FAKE_METHOD(fw.c_desc, "modelWithMILText:weights:optionsPlist:", desc_model_with_mil, true);
    fw.c_model = fake_class("_ANEInMemoryModel", NULL);
    FAKE_METHOD(fw.c_model, "inMemoryModelWithDescriptor:", model_with_desc, true);
    FAKE_METHOD(fw.c_model, "hexStringIdentifier", model_hex, false);
    FAKE_METHOD(fw.c_model, "model", model_inner, false);
    FAKE_METHOD(fw.c_model, "sharedConnection", model_shared_connection, false);
    FAKE_METHOD(fw.c_model, "setPerfStatsMask:", model_set_mask, false);
    FAKE_METHOD(fw.c_model, "compiledModelExists", model_compiled_exists, false);
    FAKE_METHOD(fw.c_model, "compileWithQoS:options:error:", model_compile, false);
    FAKE_METHOD(fw.c_model, "loadWithQoS:options:error:", model_load, false);
    FAKE_METHOD(fw.c_model, "unloadWithQoS:error:", model_unload, false);
    FAKE_METHOD(fw.c_model, "evaluateWithQoS:options:request:error:", model_eval, false);
    fw.c_inner = fake_class("_ANEModel", NULL);
    FAKE_METHOD(fw.c_inner, "setPerfStatsMask:", inner_set_mask, false);
    fw.c_surf = fake_class("_ANEIOSurfaceObject", NULL);
    FAKE_METHOD(fw.c_surf, "objectWithIOSurface:", surfobj_with_surface, true);
    fw.c_stats = fake_class("_ANEPerformanceStats", NULL);
    FAKE_METHOD(fw.c_stats, "driverMaskForANEFMask:", stats_driver_mask, true);
    FAKE_METHOD(fw.c_stats, "statsWithHardwareExecutionNS:", stats_with_hw, true);
    FAKE_METHOD(fw.c_stats, "hwExecutionTime", stats_hw_time, false);
    fw.c_req = fake_class("_ANERequest", NULL);
    FAKE_METHOD(
        fw.c_req,
        "requestWithInputs:inputIndices:outputs:outputIndices:weightsBuffer:perfStats:procedureIndex:",
        request_new, true);
    FAKE_METHOD(fw.c_req, "perfStats", request_perf_stats, false);
    FAKE_METHOD(fw.c_req, "perfStatsArray", request_perf_stats_array, false);
    fw.c_client = fake_class("_ANEClient", NULL);
    FAKE_METHOD(fw.c_client, "sharedConnection", client_shared, true);
    FAKE_METHOD(fw.c_client, "beginRealTimeTask", client_begin, false);
    FAKE_METHOD(fw.c_client, "endRealTimeTask", client_end, false);
    FAKE_METHOD(fw.c_client, "loadRealTimeModel:options:qos:error:", client_rt_load, false);
    FAKE_METHOD(fw.c_client, "unloadRealTimeModel:options:qos:error:", client_rt_unload, false);
    FAKE_METHOD(fw.c_client, "evaluateRealTimeWithModel:options:request:error:", client_rt_eval, false);
    fw.c_dev = fake_class("_ANEDeviceInfo", NULL);
    FAKE_METHOD(fw.c_dev, "hasANE", dev_has_ane, true);
    FAKE_METHOD(fw.c_dev, "aneArchitectureType", dev_arch, true);
    FAKE_METHOD(fw.c_dev, "aneSubType", dev_subtype, true);
    FAKE_METHOD(fw.c_dev, "numANECores", dev_cores, true);
    /* The rest of the simulator's census: classes that exist but are not used. */
    char **names;
    size_t n;
    ab_err e;
    if (ane_api_sim.class_census(fw.sim, &names, &n, &e) == 0) {
        for (size_t i = 0; i < n; i++) {
            /* a no-op for the classes above; every _ANE* class is this image's */
            fake_class_set_image(fake_class(names[i], NULL), FAKE_FRAMEWORK_IMAGE);
            free(names[i]);
        }
        free(names);
    }
    Class mine[] = {fw.c_desc,  fw.c_model, fw.c_inner,  fw.c_surf,
                    fw.c_stats, fw.c_req,   fw.c_client, fw.c_dev};
    for (size_t i = 0; i < sizeof mine / sizeof mine[0]; i++)
        fake_class_set_image(mine[i], FAKE_FRAMEWORK_IMAGE);
}

void *__wrap_dlopen(const char *path, int flags)
{
    if (!path || strcmp(path, ANE_PATH) != 0)
        return __real_dlopen(path, flags);
    fw.dlerr_set = false;
    if (fake_should_fail("dlopen")) {
        snprintf(fw.dlerr, sizeof fw.dlerr, "dlopen(%s, 2): image not found (injected)", path);
        fw.dlerr_set = true;
        return NULL;
    }
    if (!fw.open) {
        ab_err e;
        ab_err_clear(&e);
        if (ane_api_sim.open(&fw.sim, fw.profile, &e))
            fake_die("fake framework: cannot open the simulator: %s", e.msg);
        ane_api_sim.device_info(fw.sim, &fw.dev, &e);
        register_classes();
        fw.open = true;
    }
    return &fw;
}

char *__wrap_dlerror(void)
{
    if (fw.dlerr_set) {
        fw.dlerr_set = false;
        return fw.dlerr;
    }
    return __real_dlerror();
}

/* ---- configuration, boot, reset ---- */

void fake_framework_config(const char *profile, int perf_stats, int realtime)
{
    if (fw.open)
        fake_die("fake_framework_config after the framework was loaded: reset first");
    snprintf(fw.profile, sizeof fw.profile, "%s", profile ? profile : "m5");
    fw.perf_override = perf_stats;
    fw.rt_override = realtime;
}

const char *fake_device_chip(void)
{
    return fw.dev.chip;
}

const char *fake_last_hex(void)
{
    return fw.last_model ? ((fdesc *)fw.last_model->desc)->hex : "";
}

int fake_compiles(void)
{
    return fw.compiles;
}

void fake_framework_reset(void)
{
    if (fw.client)
        CFRelease(fw.client);
    fw.client = NULL;
    fake_darwin_reset();
    if (fw.sim)
        ane_api_sim.close(fw.sim);
    fw.sim = NULL;
    for (size_t i = 0; i < fw.ncompiled; i++)
        free(fw.compiled[i]);
    free(fw.compiled);
    fw.compiled = NULL;
    fw.ncompiled = 0;
    fw.compiles = 0;
    fw.open = false; /* classes stay registered, as in a process; the next dlopen re-opens the sim */
    fake_fail(NULL, 0);
    fake_hide(NULL, NULL);
}

__attribute__((constructor)) static void fake_boot(void)
{
    fake_cf_register();
    fake_darwin_register();
}
