/* framework.c: fakes of AppleNeuralEngine.framework, backed by the ane-sim
 * model (the rest of the platform the bridge touches is in darwin.c).
 *
 * dlopen of the framework's path (the bridge's dlopen is redirected here with
 * the linker's --wrap) registers fake _ANE* classes. Each behaviour below is
 * the framework's as it is PUBLICLY documented, never the bridge's own
 * assumption, and names its source:
 *   N    /work/shared/ANE-NOTES.md, the section named
 *   D    N "Framework behaviour a faithful fake reproduces" (decompiles of the
 *        macOS/iOS 26 framework, rustane's macOS 26.3 notes)
 *   tmc  tmc/apple x/ane (file named), which ran on M4
 *   esp  christopherkarani/Espresso Sources/ANEInterop/ane_interop.m
 *   mad  maderix/ANE
 * What no source says (error codes, timings) is the fake's own choice and
 * says so. A message a real object would not understand aborts (the fake
 * runtime's "unrecognized selector", an uncaught Objective-C exception on a
 * Mac); a wrong object type aborts too; what a device refuses is an NSError.
 * The work itself (timings, compile cache and budget, baked weights, output,
 * hwExecutionTime per profile, real-time grant, row alignment) is ane_api_sim's.
 * The class list mirrors the simulator's census. */
#include "fake.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <objc/message.h>

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
    "hexStringIdentifier:empty",
    "hexStringIdentifier:long",
    "localModelPath",
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
    "doEvaluateDirectWithModel:options:request:qos:error:",
    "modelAttributes",
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

/* Malformed modelAttributes (what a framework release could answer that the
 * bridge must survive with the flat fallback), by fake_fail name. Not in
 * fake_fail_points: they misshape an answer rather than fail a call. */
const char *const fake_attribute_variants[] = {
    "modelAttributes:not-dict",     "modelAttributes:empty-list", "modelAttributes:no-input",
    "modelAttributes:string-value", "modelAttributes:negative",   "modelAttributes:bad-stride",
    "modelAttributes:wrong-shape",  NULL,
};

/* Fake error codes (the real codes are not public; these only need to be
 * stable so that tests see a domain and a code travel up). */
enum {
    FE_INJECTED = -1,
    FE_COMPILE = 1,    /* the compiler refused the program or its files */
    FE_LOAD = 2,       /* load / unload refused */
    FE_EVAL = 3,       /* the driver refused the eval */
    FE_VALIDATE = 4,   /* -[_ANERequest validate] said NO */
    FE_REALTIME = 5,   /* the real-time path refused */
};

/* D: -[_ANERequest validate] accepts procedure indices up to 128. */
#define FAKE_ANE_MAX_PROCEDURES 128
/* N QoS: _ANEQoSMapper names 0 RealTime; D: evaluateRealTimeWithModel: runs
 * the direct path at [_ANEQoSMapper aneRealTimeTaskQoS] (its value is not
 * public: the RealTime name's 0 here). */
#define FAKE_RT_QOS 0u

typedef struct fdesc {
    fake_obj h;
    id mil, weights, plist; /* retained NSData, NSDictionary, NSDictionary or nil */
    char hex[200];
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
    ane_model *sm;   /* the simulated program, made at the first compile */
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

typedef struct fstatsurf {
    fake_obj h;
    long type;
} fstatsurf;

typedef struct frequest {
    fake_obj h;
    id in, out, in_idx, out_idx, wb; /* retained (wb may be nil) */
    id stats_array;                  /* retained factory perfStats: argument (D: perfStatsArray) */
    id stats;                        /* retained -perfStats (D: a separate property) */
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
    Class c_desc, c_model, c_inner, c_surf, c_stats, c_statsurf, c_req, c_client, c_dev;
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

static BOOL fail_code(id *err, long code, const char *fmt, const char *arg)
{
    char text[700];
    snprintf(text, sizeof text, fmt, arg);
    *err = fake_error_dc(FAKE_ERROR_DOMAIN, code, text);
    return NO;
}

static BOOL injected(id *err, const char *sel)
{
    if (!fake_should_fail(sel))
        return NO;
    char text[300];
    snprintf(text, sizeof text, "%s failed (injected by the fake framework)", sel);
    *err = fake_error_dc(FAKE_ERROR_DOMAIN, FE_INJECTED, text);
    return YES;
}

/* A 256-bit content digest as 64 uppercase hex digits: the shape of the
 * SHA-256 parts of the real identifier (D), not SHA-256 itself (the fake
 * needs only the length, the alphabet and the content dependence). */
static void digest_hex(const void *p, size_t n, char out[65])
{
    static const uint64_t basis[4] = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL, 0x9E3779B97F4A7C15ULL,
                                      0xC2B2AE3D27D4EB4FULL};
    const uint8_t *b = p;
    for (int lane = 0; lane < 4; lane++) {
        uint64_t h = basis[lane];
        for (size_t i = 0; i < n; i++)
            h = (h ^ b[i]) * 0x100000001b3ULL;
        h ^= h >> 31;
        snprintf(out + 16 * lane, 17, "%016llX", (unsigned long long)h);
    }
}

/* D: the weights hash and the saved <dir>/data take the first entry's inner
 * dictionary's first value in enumeration (hash) order, which for the keys
 * "data" and "offset" is "data" in CF/NS dictionaries, however built. (The
 * fake's dictionaries keep insertion order, so the fake looks "data" up.) */
static const uint8_t *first_weight_data(id weights, size_t *len)
{
    *len = 0;
    if (!fake_dict_count(weights))
        return NULL;
    id entry = fake_dict_get(weights, fake_string_text(fake_dict_key_at(weights, 0)));
    return fake_data_bytes(fake_dict_get(entry, "data"), len);
}

/* localModelPath: NSTemporaryDirectory()/<identifier> (D). */
static void model_dir(const fdesc *d, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", fake_tmpdir(), d->hex);
}

/* ---- _ANEInMemoryModelDescriptor ---- */

static void desc_destroy(fake_obj *o)
{
    fdesc *d = (fdesc *)o;
    CFRelease(d->mil);
    CFRelease(d->weights);
    if (d->plist)
        CFRelease(d->plist);
}

static void check_weights(id w)
{
    need_class(w, "NSDictionary", "modelWithMILText: weights", false);
    for (size_t i = 0; i < fake_dict_count(w); i++) {
        const char *key = fake_string_text(fake_dict_key_at(w, i));
        id entry = fake_dict_get(w, key);
        int64_t off;
        size_t len;
        /* N Loading: keys are "@model_path/..." paths, entries {offset, data}. */
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
    need_class(plist, "NSDictionary", "modelWithMILText: optionsPlist", true);
    /* D: nil weights -> the factory returns nil; @{} is accepted. */
    if (!weights)
        return NULL;
    check_weights(weights);
    if (fake_should_fail("modelWithMILText:weights:optionsPlist:"))
        return NULL;
    fdesc *d = fake_new(fw.c_desc, sizeof *d, desc_destroy);
    d->mil = (id)(uintptr_t)CFRetain(mil);
    d->weights = (id)(uintptr_t)CFRetain(weights);
    d->plist = plist ? (id)(uintptr_t)CFRetain(plist) : NULL;
    /* D: hexStringIdentifier = <MIL hash>_<weights hash>_<options hash>, each
     * 64 uppercase hex digits: 194 characters. */
    size_t len;
    const uint8_t *p = fake_data_bytes(mil, &len);
    digest_hex(p, len, d->hex);
    d->hex[64] = '_';
    p = first_weight_data(weights, &len);
    digest_hex(p ? p : (const uint8_t *)"", p ? len : 0, d->hex + 65);
    d->hex[129] = '_';
    digest_hex("", 0, d->hex + 130); /* the options: always nil here */
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
    if (fake_should_fail("hexStringIdentifier:empty"))
        return fake_string("");
    if (fake_should_fail("hexStringIdentifier:long")) { /* longer than any buffer should be cut to */
        char big[700];
        memset(big, 'A', sizeof big - 1);
        big[sizeof big - 1] = '\0';
        return fake_string(big);
    }
    return fake_string(((fdesc *)((fmodel *)self)->desc)->hex);
}

/* D: localModelPath = NSTemporaryDirectory()/<identifier>, where the
 * framework compiles from. */
static id model_local_path(id self, SEL cmd)
{
    (void)cmd;
    fake_log("-[_ANEInMemoryModel localModelPath]");
    if (fake_should_fail("localModelPath"))
        return NULL;
    char dir[700];
    model_dir((fdesc *)((fmodel *)self)->desc, dir, sizeof dir);
    return fake_string(dir);
}

/* N Real-time path: the inner _ANEModel, the one the client's calls take. */
static id model_inner(id self, SEL cmd)
{
    (void)cmd;
    return (id)((fmodel *)self)->inner;
}

/* tmc compile.go sets this mask on the model and its inner model; per D the
 * eval collects counters from the options' kANEFPerformanceStatsMask, so the
 * fake keeps the value and nothing reads it. */
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

/* tmc compile.go parseModelLayouts: NetworkStatusList[0].LiveInputList /
 * LiveOutputList, entries {Channels, Width, Height, PlaneStride, RowStride,
 * Type ("Float32" or Float16)}. The strides are the simulated program's
 * (rows aligned per profile: 64 as tmc requires, or 128 as maderix/ANE #35
 * claims for M5), so a surface packed at other strides reads wrong. */
static id tensor_entry(size_t ch, size_t width, size_t row, size_t plane, size_t elem, const char *variant)
{
    const char *names[] = {"Channels", "Width", "Height", "PlaneStride", "RowStride", "Type"};
    const void *keys[6], *vals[6];
    int64_t nums[5] = {(int64_t)ch, (int64_t)width, 1, (int64_t)plane, (int64_t)row};
    if (!strcmp(variant, "negative"))
        nums[0] = -1;
    else if (!strcmp(variant, "bad-stride"))
        nums[4] = (int64_t)row + 8;
    else if (!strcmp(variant, "wrong-shape"))
        nums[0] = (int64_t)ch + 1;
    for (int i = 0; i < 6; i++) {
        keys[i] = fake_string(names[i]);
        vals[i] = i < 5 ? fake_autorelease(fake_number(nums[i])) : fake_string(elem == 4 ? "Float32" : "Float16");
    }
    if (!strcmp(variant, "string-value"))
        vals[4] = fake_string("64");
    return fake_autorelease(fake_dict(keys, vals, 6));
}

/* Which malformed variant, if any, this call answers with ("" none). */
static const char *attribute_variant(void)
{
    for (const char *const *v = fake_attribute_variants; *v; v++)
        if (fake_should_fail(*v))
            return strchr(*v, ':') + 1;
    return "";
}

static id one_array(id x)
{
    const void *v[1] = {x};
    return fake_autorelease(fake_array(v, 1));
}

static id inner_attributes(id self, SEL cmd)
{
    (void)cmd;
    fake_log("-[_ANEModel modelAttributes]");
    fmodel *m = ((finner *)self)->outer;
    if (fake_should_fail("modelAttributes") || !m->sm)
        return NULL;
    ane_io_layout l;
    ab_err e;
    if (ane_api_sim.io_layout(fw.sim, m->sm, 0, 0, 0, 0, 0, &l, &e))
        return NULL;
    const char *variant = attribute_variant();
    id in = tensor_entry(l.in_ch, l.in_width, l.in_row, l.in_plane, l.in_elem, variant);
    id out = tensor_entry(l.out_ch, l.out_width, l.out_row, l.out_plane, l.out_elem, variant);
    const void *pk[2] = {fake_string(strcmp(variant, "no-input") ? "LiveInputList" : "LiveInputs"),
                         fake_string("LiveOutputList")};
    const void *pv[2] = {one_array(in), one_array(out)};
    id proc = fake_autorelease(fake_dict(pk, pv, 2));
    const void *k[1] = {fake_string("NetworkStatusList")};
    const void *v[1] = {strcmp(variant, "empty-list") ? one_array(proc) : fake_autorelease(fake_array(NULL, 0))};
    if (!strcmp(variant, "not-dict"))
        return one_array(proc);
    return fake_autorelease(fake_dict(k, v, 1));
}

static bool hex_compiled(const char *hex)
{
    for (size_t i = 0; i < fw.ncompiled; i++)
        if (!strcmp(fw.compiled[i], hex))
            return true;
    return false;
}

/* D: compiledModelExists asks the daemon (compiledModelExistsMatchingHash:),
 * an XPC round trip; the fake answers from its own list. */
static BOOL model_compiled_exists(id self, SEL cmd)
{
    (void)cmd;
    fake_log("-[_ANEInMemoryModel compiledModelExists]");
    return hex_compiled(((fdesc *)((fmodel *)self)->desc)->hex);
}

/* The file at path into buffer `slot`, kept for the process (compile is
 * timed, and fresh allocations under ASan cost page faults a device never
 * pays). NULL if it cannot be read. */
#define FAKE_MAX_WFILES 4096
static const uint8_t *read_reused(size_t slot, const char *path, size_t *len)
{
    static uint8_t *buf[FAKE_MAX_WFILES];
    static size_t cap[FAKE_MAX_WFILES];
    struct stat st;
    if (slot >= FAKE_MAX_WFILES)
        fake_die("more than %d weight files in one program", FAKE_MAX_WFILES);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return NULL;
    }
    size_t n = (size_t)st.st_size;
    if (n + 1 > cap[slot]) {
        free(buf[slot]);
        if (!(buf[slot] = malloc(cap[slot] = n + 1)))
            fake_die("out of memory");
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf[slot] + got, n - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != n)
        return NULL;
    *len = n;
    return buf[slot];
}

static bool save_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = (n == 0 || fwrite(p, 1, n, f) == n);
    return fclose(f) == 0 && ok;
}

/* D: the framework compiles from localModelPath; it saves model.mil there
 * itself (from the descriptor) and the first weights entry's data as <dir>/data,
 * but never writes weights/weight.bin (or any weight file): BLOBFILE paths
 * resolve to files the caller wrote under that directory. A file missing
 * there fails the compile. The simulated program is the descriptor's MIL
 * with the weight files on disk (one weight.bin, or one file per layer as
 * maderix/ANE's training code writes them). */
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
    char dir[700], path[800];
    model_dir(d, dir, sizeof dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return fail_code(err, FE_COMPILE, "_ANECompiler: cannot create the model directory %s", dir);
    size_t mlen, dlen;
    const uint8_t *mil = fake_data_bytes(d->mil, &mlen);
    snprintf(path, sizeof path, "%s/model.mil", dir);
    if (!save_file(path, mil, mlen))
        return fail_code(err, FE_COMPILE, "_ANECompiler: cannot save %s", path);
    const uint8_t *data = first_weight_data(d->weights, &dlen);
    snprintf(path, sizeof path, "%s/data", dir);
    if (data && !save_file(path, data, dlen))
        return fail_code(err, FE_COMPILE, "_ANECompiler: cannot save %s", path);
    char *text = malloc(mlen + 1);
    if (!text)
        fake_die("out of memory");
    memcpy(text, mil, mlen);
    text[mlen] = '\0';
    /* Every file the program's BLOBFILEs name, read from the model's
     * directory (D: the caller writes them; the framework writes none).
     * The weights dictionary is not consulted here: D says the compiler
     * reads the files on disk, and what the dictionary does beyond the
     * identifier and <dir>/data is unknown. */
    ane_weight_file *files = NULL;
    size_t nfiles = 0;
    BOOL refused = NO;
    for (const char *bf = text; (bf = strstr(bf, "BLOBFILE(path = string(\"")) != NULL;) {
        bf += strlen("BLOBFILE(path = string(\"");
        const char *q = strchr(bf, '"');
        size_t plen = q ? (size_t)(q - bf) : 0;
        const char *off = strstr(bf, "offset = uint64(");
        /* maderix/ANE benchmarks/ANE_BENCHMARK_REPORT.md ("Cross-Generation
         * MIL Compatibility"): on M1 "Single-blob weights FAIL", "BLOBFILE
         * offset refs FAIL", "Per-matrix weight blobs YES". Injected with
         * FAKEDARWIN_FAIL=BLOBFILE-offset:-1, a compiler that refuses a
         * chunk at any offset but 64; the error text is assumed. */
        if (off && strtoull(off + 16, NULL, 10) != 64 && fake_should_fail("BLOBFILE-offset"))
            refused = YES;
        bool seen = false;
        for (size_t i = 0; i < nfiles && !seen; i++)
            seen = strlen(files[i].path) == plen && !strncmp(files[i].path, bf, plen);
        if (seen)
            continue;
        files = realloc(files, (nfiles + 1) * sizeof *files);
        char *key = files ? strndup(bf, plen) : NULL;
        if (!key)
            fake_die("out of memory");
        files[nfiles] = (ane_weight_file){key, NULL, 0};
        if (strncmp(key, "@model_path/", 12) != 0)
            fake_die("BLOBFILE path '%s' is not under @model_path/", key);
        snprintf(path, sizeof path, "%s/%s", dir, key + 12);
        if (!(files[nfiles].bytes = read_reused(nfiles, path, &files[nfiles].len))) {
            for (size_t i = 0; i <= nfiles; i++)
                free((char *)(uintptr_t)files[i].path);
            free(files);
            free(text);
            return fail_code(err, FE_COMPILE,
                             "_ANECompiler: ANECCompile() FAILED: cannot open BLOBFILE %s (the caller writes "
                             "the weight files under localModelPath)",
                             path);
        }
        nfiles++;
    }
    if (refused) {
        for (size_t i = 0; i < nfiles; i++)
            free((char *)(uintptr_t)files[i].path);
        free(files);
        free(text);
        return fail_code(
            err, FE_COMPILE, "_ANECompiler: ANECCompile() FAILED: %s",
            "BLOBFILE offset other than 64 refused (injected: M1 as maderix/ANE's report describes it)");
    }
    ab_err e;
    ab_err_clear(&e);
    int rc = m->sm ? ane_api_sim.model_rewrite_weights(fw.sim, m->sm, files, nfiles, &e)
                   : ane_api_sim.model_create(fw.sim, text, files, nfiles, &m->sm, &e);
    for (size_t i = 0; i < nfiles; i++)
        free((char *)(uintptr_t)files[i].path);
    free(files);
    free(text);
    if (!rc)
        rc = ane_api_sim.compile(fw.sim, m->sm, qos, &e);
    fw.compiles++;
    if (rc)
        return fail_code(err, FE_COMPILE, "%s", e.msg);
    if (!hex_compiled(d->hex)) {
        fw.compiled = realloc(fw.compiled, (fw.ncompiled + 1) * sizeof *fw.compiled);
        if (!fw.compiled || !(fw.compiled[fw.ncompiled++] = strdup(d->hex)))
            fake_die("out of memory");
    }
    if (!m->inner) {
        m->inner = fake_new(fw.c_inner, sizeof *m->inner, inner_destroy);
        m->inner->outer = m;
    }
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
        return fail_code(err, FE_LOAD, "%s", "loadWithQoS: the model is not compiled");
    ab_err e;
    ab_err_clear(&e);
    if (ane_api_sim.load(fw.sim, m->sm, qos, &e))
        return fail_code(err, FE_LOAD, "%s", e.msg);
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
        return fail_code(err, FE_LOAD, "%s", "unloadWithQoS: the model is not compiled");
    ab_err e;
    ab_err_clear(&e);
    if (ane_api_sim.unload(fw.sim, m->sm, qos, &e))
        return fail_code(err, FE_LOAD, "%s", e.msg);
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
static void sync_out(fsurfobj *s, const fmodel *m, const fsurfobj *in)
{
    size_t len;
    uint64_t gen;
    fake_surface_bytes(s->surface, &len, &gen);
    if (s->out_model == m->serial && s->out_key == in->synced && s->out_gen == gen)
        return;
    /* Like the device's DMA, the copy costs the eval no CPU time: it is done
     * when somebody next locks the surface. */
    fake_surface_set_pending(s->surface, copy_out, s);
    s->out_model = m->serial;
    s->out_key = in->synced;
    s->out_gen = gen;
}

/* objc_msgSend cast to a method's exact type, as the bridge does it. */
typedef void (*generic_imp)(void);
static generic_imp msg_send(void)
{
    return (generic_imp)objc_msgSend;
}

static unsigned long msg_count(id o)
{
    return ((unsigned long (*)(id, SEL))msg_send())(o, sel_registerName("count"));
}

/* D: -[_ANERequest validate], called first by every eval: the arrays agree
 * with their index arrays, perfStatsArray answers count (a real message: a
 * bare _ANEPerformanceStats there is an unrecognized selector, which the
 * runtime turns into an abort as an uncaught exception would), each element
 * answers statType 0..2, and the procedure index is at most 128. */
static BOOL request_validate(id self, SEL cmd)
{
    (void)cmd;
    frequest *r = (frequest *)self;
    fake_log("-[_ANERequest validate]");
    if (fake_array_count(r->in_idx) != 1 || fake_array_count(r->out_idx) != 1)
        return NO;
    if (r->stats_array) {
        unsigned long n = msg_count(r->stats_array);
        for (unsigned long i = 0; i < n; i++) {
            id el = ((id (*)(id, SEL, unsigned long))msg_send())(r->stats_array,
                                                                   sel_registerName("objectAtIndex:"), i);
            long t = ((long (*)(id, SEL))msg_send())(el, sel_registerName("statType"));
            if (t < 0 || t > 2)
                return NO;
        }
    }
    return r->proc <= FAKE_ANE_MAX_PROCEDURES;
}

/* D: with a non-zero kANEFPerformanceStatsMask (the ANEF mask) in the eval
 * options the framework converts it with driverMaskForANEFMask:. */
static unsigned driver_mask(unsigned fmask)
{
    if (fmask > 0xF)
        return 0;
    /* bits 0 -> 0, 3 -> 1, 1-2 -> 2-3 (D) */
    return (fmask & 1u) | ((fmask >> 3) & 1u) << 1 | ((fmask >> 1) & 3u) << 2;
}

static void request_set_stats(id self, SEL cmd, id stats)
{
    (void)cmd;
    frequest *r = (frequest *)self;
    need_class(stats, "_ANEPerformanceStats", "-[_ANERequest setPerfStats:]", true);
    if (stats)
        CFRetain(stats);
    if (r->stats)
        CFRelease(r->stats);
    r->stats = stats;
}

static BOOL run_eval(fmodel *m, frequest *r, unsigned qos, ane_path path, id opts, id *err)
{
    need_class(opts, "NSDictionary", "eval options", false);
    if (!((BOOL (*)(id, SEL))msg_send())((id)r, sel_registerName("validate")))
        return fail_code(err, FE_VALIDATE, "%s", "-[_ANERequest validate] returned NO");
    if (!m->sm)
        return fail_code(err, FE_EVAL, "%s", "eval: the model is not compiled");
    ab_err e;
    ab_err_clear(&e);
    fsurfobj *in = (fsurfobj *)r->in, *out = (fsurfobj *)r->out;
    if (sync_in(in, &e))
        return fail_code(err, FE_EVAL, "%s", e.msg);
    if (!out->sb) {
        size_t len;
        uint64_t gen;
        fake_surface_bytes(out->surface, &len, &gen);
        if (ane_api_sim.buf_create(fw.sim, len, &out->sb, &e))
            return fail_code(err, FE_EVAL, "%s", e.msg);
    }
    int64_t fmask = 0;
    id mask_obj = fake_dict_get(opts, "kANEFPerformanceStatsMask");
    if (mask_obj && !fake_number_value(mask_obj, &fmask))
        fake_die("eval options: kANEFPerformanceStatsMask is a %s, not an NSNumber", fake_class_name(mask_obj));
    unsigned dmask = driver_mask((unsigned)fmask);
    ane_eval_req rq = {.qos = qos,
                       .procedure = r->proc,
                       .perf_stats = dmask != 0,
                       .realtime = path == ANE_PATH_RT,
                       .direct = path == ANE_PATH_DIRECT,
                       .in = in->sb,
                       .out = out->sb};
    ane_eval_res res;
    if (ane_api_sim.eval_prepare && ane_api_sim.eval_prepare(fw.sim, m->sm, &rq, &e))
        return fail_code(err, FE_EVAL, "%s", e.msg);
    if (ane_api_sim.eval(fw.sim, m->sm, &rq, &res, &e))
        return fail_code(err, FE_EVAL, "%s", e.msg);
    sync_out(out, m, in);
    if (dmask) {
        /* D: on completion the framework calls -[request setPerfStats:] with a
         * stats object made from the driver's buffer; hwExecutionTime there
         * may be 0 on consumer builds (the profile says). At a small
         * ANEBENCH_SIM_SCALE the modelled time can round to 0 ns; a device's
         * would not. */
        bool allowed = fw.perf_override >= 0 ? fw.perf_override : res.has_hw;
        fstats *s = fake_new(fw.c_stats, sizeof *s, NULL);
        s->hw = allowed ? (res.has_hw && res.hw_ns ? res.hw_ns : 1) : 0;
        request_set_stats((id)r, NULL, (id)s);
        CFRelease(s);
    }
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
    return run_eval((fmodel *)self, (frequest *)req, qos, ANE_PATH_NORMAL, opts, err);
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

/* D: objectWithIOSurface: retains the surface. */
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

/* N Performance stats: masks above 0xF give 0. */
static unsigned stats_driver_mask(id self, SEL cmd, unsigned fmask)
{
    (void)self;
    (void)cmd;
    if (fake_should_fail("driverMaskForANEFMask:"))
        return 0;
    return driver_mask(fmask);
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

/* D: the elements of perfStatsArray are _ANEPerformanceStatsIOSurface
 * objects answering statType. */
static long statsurf_type(id self, SEL cmd)
{
    (void)cmd;
    return ((fstatsurf *)self)->type;
}

static id statsurf_with_type(id self, SEL cmd, long type)
{
    (void)self;
    (void)cmd;
    fstatsurf *s = fake_new(fw.c_statsurf, sizeof *s, NULL);
    s->type = type;
    return fake_autorelease((id)s);
}

static void request_destroy(fake_obj *o)
{
    frequest *r = (frequest *)o;
    id all[] = {r->in, r->out, r->in_idx, r->out_idx, r->wb, r->stats_array, r->stats};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i])
            CFRelease(all[i]);
}

/* N Buffers: multi-input requests have failed with 0x1d; the fake takes one. */
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
    ane_eval_req rq = {.qos = 21, .procedure = r->proc, .in = in->sb, .out = out->sb};
    ane_api_sim.eval_prepare(fw.sim, m->sm, &rq, &e); /* a misfit request fails later, at eval */
}

/* D: the factory stores its perfStats: argument as perfStatsArray without
 * looking at it; validate, at eval, finds out what it is. */
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
    int64_t p;
    if (!fake_number_value(proc, &p) || p < 0)
        fake_die("requestWithInputs: procedureIndex is not a non-negative NSNumber");
    if (fake_should_fail(sel_getName(cmd)))
        return NULL;
    frequest *r = fake_new(fw.c_req, sizeof *r, request_destroy);
    r->in = (id)(uintptr_t)CFRetain(in);
    r->out = (id)(uintptr_t)CFRetain(out);
    r->in_idx = (id)(uintptr_t)CFRetain(in_idx);
    r->out_idx = (id)(uintptr_t)CFRetain(out_idx);
    r->wb = wb ? (id)(uintptr_t)CFRetain(wb) : NULL;
    r->stats_array = stats ? (id)(uintptr_t)CFRetain(stats) : NULL;
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
    return ((frequest *)self)->stats_array;
}

/* ---- _ANEClient (real-time and direct paths) ---- */

/* One shared client per process, whichever way it is asked for: esp's
 * -[_ANEInMemoryModel sharedConnection], or the class's own. */
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

/* N Real-time path: beginRealTimeTask failed on a consumer M3 Pro (profile
 * m4 here answers NO); esp ignores its answer. */
static BOOL client_begin(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    fake_log("-[_ANEClient beginRealTimeTask]");
    if (fake_should_fail("beginRealTimeTask") || fw.rt_override == 0)
        return NO;
    ab_err e;
    bool granted = false;
    ab_err_clear(&e);
    ane_api_sim.rt_begin(fw.sim, &granted, &e);
    return granted;
}

static BOOL client_end(id self, SEL cmd)
{
    (void)self;
    (void)cmd;
    fake_log("-[_ANEClient endRealTimeTask]");
    ane_api_sim.rt_end(fw.sim);
    return YES;
}

static fmodel *client_model(id model, const char *where)
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
    fmodel *m = client_model(model, "loadRealTimeModel:");
    if (injected(err, sel_getName(cmd)))
        return NO;
    ab_err e;
    ab_err_clear(&e);
    if (ane_api_sim.rt_load(fw.sim, m->sm, qos, &e))
        return fail_code(err, FE_REALTIME, "%s", e.msg);
    return YES;
}

static BOOL client_rt_unload(id self, SEL cmd, id model, id opts, unsigned qos, id *err)
{
    (void)self;
    fake_log("-[_ANEClient unloadRealTimeModel:options:qos:error:]");
    need_errp(err, sel_getName(cmd));
    need_class(opts, "NSDictionary", "unloadRealTimeModel: options", false);
    fmodel *m = client_model(model, "unloadRealTimeModel:");
    if (injected(err, sel_getName(cmd)))
        return NO;
    ab_err e;
    ab_err_clear(&e);
    if (ane_api_sim.rt_unload(fw.sim, m->sm, qos, &e))
        return fail_code(err, FE_REALTIME, "%s", e.msg);
    return YES;
}

/* esp: -[_ANEClient doEvaluateDirectWithModel:options:request:qos:error:]
 * with the inner model (N: 106 us vs 117 us for evaluateWithQoS on M5). */
static BOOL client_direct_eval(id self, SEL cmd, id model, id opts, id req, unsigned qos, id *err)
{
    (void)self;
    fake_log("-[_ANEClient doEvaluateDirectWithModel:options:request:qos:error:]");
    need_errp(err, sel_getName(cmd));
    need_class(req, "_ANERequest", "doEvaluateDirectWithModel: request", false);
    fmodel *m = client_model(model, "doEvaluateDirectWithModel:");
    if (injected(err, sel_getName(cmd)))
        return NO;
    return run_eval(m, (frequest *)req, qos, ANE_PATH_DIRECT, opts, err);
}

/* D: evaluateRealTimeWithModel: is doEvaluateDirectWithModel: at the
 * real-time QoS. */
static BOOL client_rt_eval(id self, SEL cmd, id model, id opts, id req, id *err)
{
    (void)self;
    fake_log("-[_ANEClient evaluateRealTimeWithModel:options:request:error:]");
    need_errp(err, sel_getName(cmd));
    need_class(req, "_ANERequest", "evaluateRealTimeWithModel: request", false);
    fmodel *m = client_model(model, "evaluateRealTimeWithModel:");
    if (injected(err, sel_getName(cmd)))
        return NO;
    return run_eval(m, (frequest *)req, FAKE_RT_QOS, ANE_PATH_RT, opts, err);
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
    FAKE_METHOD(fw.c_model, "localModelPath", model_local_path, false);
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
    FAKE_METHOD(fw.c_inner, "modelAttributes", inner_attributes, false);
    fw.c_surf = fake_class("_ANEIOSurfaceObject", NULL);
    FAKE_METHOD(fw.c_surf, "objectWithIOSurface:", surfobj_with_surface, true);
    fw.c_stats = fake_class("_ANEPerformanceStats", NULL);
    FAKE_METHOD(fw.c_stats, "driverMaskForANEFMask:", stats_driver_mask, true);
    FAKE_METHOD(fw.c_stats, "statsWithHardwareExecutionNS:", stats_with_hw, true);
    FAKE_METHOD(fw.c_stats, "hwExecutionTime", stats_hw_time, false);
    fw.c_statsurf = fake_class("_ANEPerformanceStatsIOSurface", NULL);
    FAKE_METHOD(fw.c_statsurf, "statType", statsurf_type, false);
    FAKE_METHOD(fw.c_statsurf, "fakeWithStatType:", statsurf_with_type, true); /* tests only */
    fw.c_req = fake_class("_ANERequest", NULL);
    FAKE_METHOD(
        fw.c_req,
        "requestWithInputs:inputIndices:outputs:outputIndices:weightsBuffer:perfStats:procedureIndex:",
        request_new, true);
    FAKE_METHOD(fw.c_req, "perfStats", request_perf_stats, false);
    FAKE_METHOD(fw.c_req, "perfStatsArray", request_perf_stats_array, false);
    FAKE_METHOD(fw.c_req, "setPerfStats:", request_set_stats, false);
    FAKE_METHOD(fw.c_req, "validate", request_validate, false);
    fw.c_client = fake_class("_ANEClient", NULL);
    FAKE_METHOD(fw.c_client, "sharedConnection", client_shared, true);
    FAKE_METHOD(fw.c_client, "beginRealTimeTask", client_begin, false);
    FAKE_METHOD(fw.c_client, "endRealTimeTask", client_end, false);
    FAKE_METHOD(fw.c_client, "loadRealTimeModel:options:qos:error:", client_rt_load, false);
    FAKE_METHOD(fw.c_client, "unloadRealTimeModel:options:qos:error:", client_rt_unload, false);
    FAKE_METHOD(fw.c_client, "evaluateRealTimeWithModel:options:request:error:", client_rt_eval, false);
    FAKE_METHOD(fw.c_client, "doEvaluateDirectWithModel:options:request:qos:error:", client_direct_eval, false);
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
    Class mine[] = {fw.c_desc, fw.c_model, fw.c_inner, fw.c_surf,   fw.c_stats,
                    fw.c_statsurf, fw.c_req, fw.c_client, fw.c_dev};
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

size_t fake_last_weights_count(void)
{
    return fw.last_model ? fake_dict_count(((fdesc *)fw.last_model->desc)->weights) : 0;
}

bool fake_last_weights_entry(const char *key, size_t *len)
{
    *len = 0;
    if (!fw.last_model)
        return false;
    id entry = fake_dict_get(((fdesc *)fw.last_model->desc)->weights, key);
    return entry && fake_data_bytes(fake_dict_get(entry, "data"), len) != NULL;
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
