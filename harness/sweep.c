/* sweep.c: sweep files (presets and --sweep), --axis / --zip overrides, and
 * enumeration of a sweep into cases. The file format is in sweep.h and
 * docs/sweep-files.md. Every error names the file (or flag) and the token. */
#include "harness/sweep.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/jsoncheck.h"
#include "harness/platform.h"
#include "harness/settings.h"

#define SWEEP_FILE_MAX (1L << 20)

void sweep_init(ab_sweep *s)
{
    memset(s, 0, sizeof *s);
}

static void sub_free(ab_subsweep *sub)
{
    for (int a = 0; a < AX_COUNT; a++)
        free(sub->axes[a].v);
}

void sweep_free(ab_sweep *s)
{
    for (size_t i = 0; i < s->nsubs; i++)
        sub_free(&s->subs[i]);
    free(s->subs);
    cJSON_Delete(s->settings);
    sweep_init(s);
}

/* Rewrites e->msg as "<prefix>: <msg>". */
static int prefix_err(ab_err *e, const char *prefix)
{
    if (!e)
        return AB_EUSAGE;
    char msg[sizeof e->msg];
    ab_strlcpy(msg, e->msg, sizeof msg);
    return ab_errf(e, AB_EUSAGE, "%s: %s", prefix, msg);
}

static ab_subsweep *add_sub(ab_sweep *s, ab_err *e)
{
    /* capacity: the power of two at or above nsubs (linear growth) */
    size_t cap = 1;
    while (cap < s->nsubs)
        cap *= 2;
    if (!s->subs || s->nsubs == cap) {
        ab_subsweep *subs = realloc(s->subs, (s->subs ? 2 * cap : 1) * sizeof *subs);
        if (!subs) {
            ab_errf(e, AB_EUSAGE, "out of memory");
            return NULL;
        }
        s->subs = subs;
    }
    memset(&s->subs[s->nsubs], 0, sizeof s->subs[0]);
    return &s->subs[s->nsubs++];
}

static void set_values(ab_subsweep *sub, int a, long *v, size_t n)
{
    free(sub->axes[a].v);
    sub->axes[a].set = 1;
    sub->axes[a].v = v;
    sub->axes[a].n = n;
}

/* An axis's values in a sweep file, all items together (the limit of one
 * VALUES list: more is certainly a mistake, sizes cap at 65536). */
#define SWEEP_AXIS_MAX 65536

/* Appends the values of one JSON item (string VALUES or integral number). */
static int append_item(const ab_axis_def *ax, const cJSON *it, long **v, size_t *n, ab_err *e)
{
    char num[40];
    const char *text;
    if (cJSON_IsString(it)) {
        text = it->valuestring;
    } else if (cJSON_IsNumber(it)) {
        double d = it->valuedouble;
        snprintf(num, sizeof num, "%.17g", d);
        if (d != floor(d) || fabs(d) > 1e15)
            return ab_errf(e, AB_EUSAGE, "axis %s: value %s is not an integer", ax->name, num);
        snprintf(num, sizeof num, "%ld", (long)d);
        text = num;
    } else {
        return ab_errf(e, AB_EUSAGE, "axis %s: values must be a string, a number or an array of them",
                       ax->name);
    }
    long *add;
    size_t nadd;
    if (axis_parse_values(ax, text, &add, &nadd, e))
        return AB_EUSAGE;
    if (*n + nadd > SWEEP_AXIS_MAX) {
        free(add);
        return ab_errf(e, AB_EUSAGE, "axis %s: more than %d values", ax->name, SWEEP_AXIS_MAX);
    }
    /* The array grows to powers of two (its capacity is the power of two
     * at or above *n), so many items cost linear time, not quadratic. */
    size_t cap = 1, want = *n + nadd;
    while (cap < *n)
        cap *= 2;
    if (!*v || want > cap) {
        while (cap < want)
            cap *= 2;
        long *all = realloc(*v, cap * sizeof *all);
        if (!all) {
            free(add);
            return ab_errf(e, AB_EUSAGE, "axis %s: out of memory", ax->name);
        }
        *v = all;
    }
    memcpy(*v + *n, add, nadd * sizeof *add);
    free(add);
    *n += nadd;
    return 0;
}

/* Refuses duplicate keys in a JSON object (cJSON keeps both silently);
 * sorted, so 100,000 keys cost milliseconds, not minutes. */
static const char *duplicate_key(const cJSON *obj)
{
    int oom;
    const char *dup = ab_json_dup_key(obj, 0, &oom);
    return oom ? "(out of memory)" : dup;
}

static int load_axes(ab_subsweep *sub, const cJSON *axes, ab_err *e)
{
    if (!cJSON_IsObject(axes))
        return ab_errf(e, AB_EUSAGE, "\"axes\" is not an object");
    const char *dup = duplicate_key(axes);
    if (dup)
        return ab_errf(e, AB_EUSAGE, "axis '%.40s' given twice", dup);
    for (const cJSON *it = axes->child; it; it = it->next) {
        int a = axis_find(it->string);
        if (a < 0)
            return ab_errf(e, AB_EUSAGE, "unknown axis '%.40s'", it->string);
        long *v = NULL;
        size_t n = 0;
        if (cJSON_IsArray(it)) {
            for (const cJSON *el = it->child; el; el = el->next)
                if (append_item(&ab_axes[a], el, &v, &n, e)) {
                    free(v);
                    return AB_EUSAGE;
                }
            if (n == 0)
                return ab_errf(e, AB_EUSAGE, "axis %s: empty value list", ab_axes[a].name);
        } else if (append_item(&ab_axes[a], it, &v, &n, e)) {
            return AB_EUSAGE;
        }
        set_values(sub, a, v, n);
    }
    return 0;
}

/* Ties the named axes into one group of sub; merges groups they were in. */
static void tie_axes(ab_subsweep *sub, const int *ids, size_t nids)
{
    unsigned group = 0;
    for (int a = 0; a < AX_COUNT; a++)
        if (sub->zip_group[a] > group)
            group = sub->zip_group[a];
    group++;
    for (size_t i = 0; i < nids; i++) {
        unsigned old = sub->zip_group[ids[i]];
        for (int a = 0; old && a < AX_COUNT; a++)
            if (sub->zip_group[a] == old)
                sub->zip_group[a] = group;
        sub->zip_group[ids[i]] = group;
    }
}

static int load_zip(ab_subsweep *sub, const cJSON *zip, ab_err *e)
{
    if (!cJSON_IsArray(zip))
        return ab_errf(e, AB_EUSAGE, "\"zip\" is not an array of axis-name arrays");
    for (const cJSON *g = zip->child; g; g = g->next) {
        if (!cJSON_IsArray(g))
            return ab_errf(e, AB_EUSAGE, "\"zip\" entry is not an array of axis names");
        int ids[AX_COUNT];
        size_t nids = 0;
        for (const cJSON *el = g->child; el; el = el->next) {
            if (!cJSON_IsString(el))
                return ab_errf(e, AB_EUSAGE, "zip: entry is not an axis name");
            int a = axis_find(el->valuestring);
            if (a < 0)
                return ab_errf(e, AB_EUSAGE, "zip: unknown axis '%.40s'", el->valuestring);
            if (sub->zip_group[a])
                return ab_errf(e, AB_EUSAGE, "zip: axis %s is tied twice", ab_axes[a].name);
            for (size_t k = 0; k < nids; k++)
                if (ids[k] == a)
                    return ab_errf(e, AB_EUSAGE, "zip: axis %s is tied twice", ab_axes[a].name);
            ids[nids++] = a;
        }
        if (nids < 2)
            return ab_errf(e, AB_EUSAGE, "zip: a group needs at least two axes");
        tie_axes(sub, ids, nids);
    }
    return 0;
}

static int load_sub(ab_sweep *s, const cJSON *js, ab_err *e)
{
    if (!cJSON_IsObject(js))
        return ab_errf(e, AB_EUSAGE, "not an object");
    const char *dup = duplicate_key(js);
    if (dup)
        return ab_errf(e, AB_EUSAGE, "key '%.40s' given twice", dup);
    ab_subsweep *sub = add_sub(s, e);
    if (!sub)
        return AB_EUSAGE;
    for (const cJSON *it = js->child; it; it = it->next) {
        int rc = 0;
        if (!strcmp(it->string, "axes"))
            rc = load_axes(sub, it, e);
        else if (!strcmp(it->string, "zip"))
            rc = load_zip(sub, it, e);
        else if (!strcmp(it->string, "description"))
            rc = cJSON_IsString(it) ? 0 : ab_errf(e, AB_EUSAGE, "\"description\" is not a string");
        else
            rc = ab_errf(e, AB_EUSAGE, "unknown key '%.40s'", it->string);
        if (rc)
            return rc;
    }
    return 0;
}

/* "line L column C near 'TOKEN'" for a JSON syntax error at offset off. */
static void json_where(const char *text, size_t len, size_t off, char *buf, size_t n)
{
    size_t line = 1, col = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    char near[24];
    size_t k = 0;
    for (size_t i = off; i < len && k + 1 < sizeof near; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n' || ch == '\r' || ch == '\0')
            break;
        near[k++] = ch < 0x20 || ch >= 0x7f ? '?' : (char)ch;
    }
    near[k] = '\0';
    if (off < len && text[off] == '\0')
        snprintf(buf, n, "line %zu column %zu: a NUL byte (JSON text holds none)", line, col);
    else if (k)
        snprintf(buf, n, "line %zu column %zu near '%s'", line, col, near);
    else
        snprintf(buf, n, "line %zu column %zu (end of input)", line, col);
}

static int load_root(ab_sweep *s, const cJSON *root, ab_err *e)
{
    if (!cJSON_IsObject(root))
        return ab_errf(e, AB_EUSAGE, "the top level is not a JSON object");
    const char *dup = duplicate_key(root);
    if (dup)
        return ab_errf(e, AB_EUSAGE, "key '%.40s' given twice", dup);
    const cJSON *sweeps = NULL;
    for (const cJSON *it = root->child; it; it = it->next) {
        if (!strcmp(it->string, "name") || !strcmp(it->string, "description")) {
            if (!cJSON_IsString(it))
                return ab_errf(e, AB_EUSAGE, "\"%s\" is not a string", it->string);
            if (it->string[0] == 'n')
                ab_strlcpy(s->name, it->valuestring, sizeof s->name);
            else
                ab_strlcpy(s->description, it->valuestring, sizeof s->description);
        } else if (!strcmp(it->string, "sweeps")) {
            sweeps = it;
        } else if (!strcmp(it->string, "settings")) {
            if ((dup = duplicate_key(it)) != NULL)
                return ab_errf(e, AB_EUSAGE, "settings: key '%.40s' given twice", dup);
            ab_settings scratch;
            settings_default(&scratch);
            if (settings_apply_json(&scratch, it, "settings", e))
                return AB_EUSAGE;
            s->settings = cJSON_Duplicate(it, 1);
            if (!s->settings)
                return ab_errf(e, AB_EUSAGE, "out of memory");
        } else {
            return ab_errf(e, AB_EUSAGE, "unknown key '%.40s'", it->string);
        }
    }
    if (!sweeps)
        return ab_errf(e, AB_EUSAGE, "missing key \"sweeps\"");
    if (!cJSON_IsArray(sweeps) || !sweeps->child)
        return ab_errf(e, AB_EUSAGE, "\"sweeps\" is not a non-empty array");
    size_t i = 0;
    for (const cJSON *js = sweeps->child; js; js = js->next, i++) {
        if (load_sub(s, js, e)) {
            char where[32];
            snprintf(where, sizeof where, "sweeps[%zu]", i);
            return prefix_err(e, where);
        }
    }
    return 0;
}

int sweep_load_text(ab_sweep *s, const char *text, size_t len, const char *origin, ab_err *e)
{
    if (!origin)
        origin = "sweep";
    const char *end = NULL;
    /* cJSON reads a NUL byte between tokens as white space: name it */
    const char *nul = memchr(text, '\0', len);
    cJSON *root = nul ? NULL : cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (nul)
        end = nul;
    if (root && end) {
        while ((size_t)(end - text) < len && strchr(" \t\r\n", *end) && *end)
            end++;
        if ((size_t)(end - text) < len) {
            cJSON_Delete(root);
            root = NULL;
        }
    }
    if (!root) {
        char where[96];
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        json_where(text, len, off, where, sizeof where);
        return ab_errf(e, AB_EUSAGE, "%s: invalid JSON at %s", origin, where);
    }
    ab_sweep tmp;
    sweep_init(&tmp);
    int rc = load_root(&tmp, root, e);
    cJSON_Delete(root);
    if (rc) {
        sweep_free(&tmp);
        return prefix_err(e, origin);
    }
    sweep_free(s);
    *s = tmp;
    return 0;
}

int sweep_read_file(const char *path, char **text, size_t *len_out, ab_err *e)
{
    *text = NULL;
    *len_out = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return ab_errf(e, AB_EUSAGE, "%s: cannot read: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return ab_errf(e, AB_EUSAGE, "%s: cannot read: it is a directory", path);
    }
    char *buf = malloc(SWEEP_FILE_MAX + 2);
    size_t len = buf ? fread(buf, 1, SWEEP_FILE_MAX + 1, f) : 0;
    int bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return ab_errf(e, AB_EUSAGE, "%s: cannot read", path);
    }
    if (len > SWEEP_FILE_MAX) {
        free(buf);
        return ab_errf(e, AB_EUSAGE, "%s: larger than %ld bytes", path, SWEEP_FILE_MAX);
    }
    buf[len] = '\0';
    *text = buf;
    *len_out = len;
    return AB_OK;
}

void sweep_name_from_path(ab_sweep *s, const char *path)
{
    if (s->name[0])
        return;
    const char *base = strrchr(path, '/');
    ab_strlcpy(s->name, base ? base + 1 : path, sizeof s->name);
    char *dot = strrchr(s->name, '.');
    if (dot && !strcmp(dot, ".json"))
        *dot = '\0';
}

int sweep_load_file(ab_sweep *s, const char *path, ab_err *e)
{
    char *buf;
    size_t len;
    int rc = sweep_read_file(path, &buf, &len, e);
    if (rc)
        return rc;
    rc = sweep_load_text(s, buf, len, path, e);
    free(buf);
    if (rc == 0)
        sweep_name_from_path(s, path);
    return rc;
}

/* ---- presets ---- */

/* The preset directories in search order; returns how many were filled. */
static size_t preset_dirs(char dirs[3][PATH_MAX])
{
    size_t n = 0;
    const char *env = getenv("ANEBENCH_PRESETS");
    if (env && *env)
        ab_strlcpy(dirs[n++], env, PATH_MAX);
    char exe[PATH_MAX] = "";
    if (ab_self_exe(exe, sizeof exe) != 0)
        exe[0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
        *slash = '\0';
        if (snprintf(dirs[n], PATH_MAX, "%s/../bench/presets", exe) < PATH_MAX)
            n++;
    }
#ifdef ANEBENCH_SOURCE_DIR
    if (snprintf(dirs[n], PATH_MAX, "%s/bench/presets", ANEBENCH_SOURCE_DIR) < PATH_MAX)
        n++;
#endif
    return n;
}

static int name_ok(const char *name)
{
    if (!*name || strlen(name) > 60)
        return 0;
    for (const char *p = name; *p; p++)
        if (!(*p == '-' || *p == '_' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z')))
            return 0;
    return 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t sweep_preset_names(char ***names)
{
    char dirs[3][PATH_MAX];
    size_t nd = preset_dirs(dirs), n = 0, cap = 0;
    char **list = NULL;
    for (size_t d = 0; d < nd; d++) {
        DIR *dir = opendir(dirs[d]);
        if (!dir)
            continue;
        struct dirent *de;
        while ((de = readdir(dir))) {
            size_t len = strlen(de->d_name);
            if (len <= 5 || strcmp(de->d_name + len - 5, ".json"))
                continue;
            char *name = strndup(de->d_name, len - 5);
            if (!name)
                break;
            int seen = !name_ok(name);
            for (size_t i = 0; i < n && !seen; i++)
                seen = !strcmp(list[i], name);
            if (seen) {
                free(name);
                continue;
            }
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                char **nl = realloc(list, cap * sizeof *nl);
                if (!nl) {
                    free(name);
                    break;
                }
                list = nl;
            }
            list[n++] = name;
        }
        closedir(dir);
    }
    if (n)
        qsort(list, n, sizeof *list, cmp_str);
    *names = list;
    return n;
}

int sweep_preset_path(const char *name, char *buf, size_t n, ab_err *e)
{
    if (name_ok(name)) {
        char dirs[3][PATH_MAX];
        size_t nd = preset_dirs(dirs);
        for (size_t d = 0; d < nd; d++) {
            if (snprintf(buf, n, "%s/%s.json", dirs[d], name) >= (int)n)
                continue;
            if (access(buf, R_OK) == 0)
                return 0;
        }
    }
    char **names;
    size_t count = sweep_preset_names(&names);
    char known[256] = "";
    for (size_t i = 0; i < count; i++) {
        if (i)
            strncat(known, ", ", sizeof known - strlen(known) - 1);
        strncat(known, names[i], sizeof known - strlen(known) - 1);
        free(names[i]);
    }
    free(names);
    return ab_errf(e, AB_EUSAGE, "--preset: unknown preset '%.60s' (known: %s)", name,
                   count ? known : "none found");
}

/* ---- command-line overrides ---- */

int sweep_set_axis(ab_sweep *s, const char *assignment, ab_err *e)
{
    const char *eq = strchr(assignment, '=');
    if (!eq)
        return ab_errf(e, AB_EUSAGE, "--axis '%.60s': expected NAME=VALUES", assignment);
    char name[32];
    size_t nlen = (size_t)(eq - assignment);
    int a = -1;
    if (nlen < sizeof name) {
        memcpy(name, assignment, nlen);
        name[nlen] = '\0';
        a = axis_find(name);
    }
    if (a < 0) {
        char axes[128] = "";
        for (int i = 0; i < AX_COUNT; i++) {
            if (i)
                strncat(axes, ", ", sizeof axes - strlen(axes) - 1);
            strncat(axes, ab_axes[i].name, sizeof axes - strlen(axes) - 1);
        }
        return ab_errf(e, AB_EUSAGE, "--axis: unknown axis '%.*s' (axes: %s)", (int)(nlen > 40 ? 40 : nlen),
                       assignment, axes);
    }
    long *v;
    size_t n;
    if (axis_parse_values(&ab_axes[a], eq + 1, &v, &n, e)) {
        /* "axis qos: value 64 ..." becomes "--axis qos: value 64 ...". */
        if (e) {
            char msg[sizeof e->msg];
            ab_strlcpy(msg, e->msg, sizeof msg);
            ab_errf(e, AB_EUSAGE, "--%s", msg);
        }
        return AB_EUSAGE;
    }
    if (s->nsubs == 0 && !add_sub(s, e)) {
        free(v);
        return AB_EUSAGE;
    }
    for (size_t i = 0; i < s->nsubs; i++) {
        long *copy = i + 1 < s->nsubs ? malloc(n * sizeof *copy) : v;
        if (!copy) {
            free(v);
            return ab_errf(e, AB_EUSAGE, "out of memory");
        }
        if (copy != v)
            memcpy(copy, v, n * sizeof *v);
        set_values(&s->subs[i], a, copy, n);
    }
    return 0;
}

int sweep_zip(ab_sweep *s, const char *axes, ab_err *e)
{
    int ids[AX_COUNT];
    size_t nids = 0;
    const char *p = axes;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char name[32];
        int a = -1;
        if (len < sizeof name) {
            memcpy(name, p, len);
            name[len] = '\0';
            a = axis_find(name);
        }
        if (a < 0)
            return ab_errf(e, AB_EUSAGE, "--zip: unknown axis '%.*s'", (int)(len > 40 ? 40 : len), p);
        for (size_t k = 0; k < nids; k++)
            if (ids[k] == a)
                return ab_errf(e, AB_EUSAGE, "--zip: axis %s given twice", name);
        ids[nids++] = a;
        if (!comma)
            break;
        p = comma + 1;
    }
    if (nids < 2)
        return ab_errf(e, AB_EUSAGE, "--zip '%.60s': needs at least two axes (A,B)", axes);
    if (s->nsubs == 0 && !add_sub(s, e))
        return AB_EUSAGE;
    for (size_t i = 0; i < s->nsubs; i++)
        tie_axes(&s->subs[i], ids, nids);
    return 0;
}
