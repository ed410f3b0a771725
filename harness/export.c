/* export.c: the redacted submission file of a run (see export.h). */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "anebench_git.h"
#include "harness/export.h"
#include "harness/runsummary.h"

#define HOST_WORD "redacted-host"
#define USER_WORD "redacted-user"
#define PATH_WORD "redacted-path"

/* ---- hardware hash ---- */

static void hw_num(double v, char *buf, size_t n)
{
    if (isfinite(v))
        snprintf(buf, n, "%.0f", v);
    else
        buf[0] = '\0';
}

void export_hardware_hash(const ab_runinfo *ri, char *buf, size_t n)
{
    char mem[32], cores[32], ane_cores[32] = "", text[1024];
    hw_num(ri->mem_bytes, mem, sizeof mem);
    hw_num(ri->cores, cores, sizeof cores);
    const cJSON *host = ri->doc ? cJSON_GetObjectItemCaseSensitive((const cJSON *)ri->doc, "host") : NULL;
    const cJSON *ac = cJSON_GetObjectItemCaseSensitive(host, "ane_cores");
    if (cJSON_IsNumber(ac))
        hw_num(ac->valuedouble, ane_cores, sizeof ane_cores);
    snprintf(text, sizeof text, "%s|%s|%s|%s|%s|%s|%s", ri->chip, ri->cpu_model, mem, cores, ri->ane_family,
             ri->ane_subtype, ane_cores);
    /* FNV-1a, 64 bits: an identity for grouping submissions, not a secret */
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    snprintf(buf, n, "fnv1a64:%016llx", (unsigned long long)h);
}

/* ---- redaction ---- */

static int word_char(char c)
{
    return isalnum((unsigned char)c);
}

static int path_start(const char *s, size_t i)
{
    if (s[i] != '/' && !(s[i] == '~' && (s[i + 1] == '/' || s[i + 1] == '\0' || word_char(s[i + 1]))))
        return 0;
    return i == 0 || strchr(" \t\n=:'\"(,[<", s[i - 1]) != NULL;
}

static int path_end(char c)
{
    return c == '\0' || strchr(" \t\n'\"),]>", c) != NULL;
}

/* Writes s redacted into a malloc'd string. */
static char *redact_text(const char *s, const char *const *words, const char *const *repl, size_t nwords)
{
    size_t cap = 2 * strlen(s) + 64, k = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (size_t i = 0; s[i];) {
        const char *add = NULL;
        size_t skip = 0;
        char tail[300];
        if (path_start(s, i)) {
            size_t e = i;
            while (!path_end(s[e]))
                e++;
            while (e > i + 1 && strchr(":;.", s[e - 1]))
                e--;
            size_t b = e;
            while (b > i && s[b - 1] != '/')
                b--;
            snprintf(tail, sizeof tail, "%s%s%.*s", PATH_WORD, b > i && b < e ? "/" : "", (int)(e - b),
                     s + b);
            add = tail;
            skip = e - i;
        } else if (!i || !word_char(s[i - 1])) {
            for (size_t w = 0; w < nwords; w++) {
                size_t l = strlen(words[w]);
                if (l && !strncasecmp(s + i, words[w], l) && !word_char(s[i + l])) {
                    add = repl[w];
                    skip = l;
                    break;
                }
            }
        }
        size_t need = add ? strlen(add) : 1;
        if (k + need + 1 > cap) {
            cap = 2 * (k + need + 1);
            char *n = realloc(out, cap);
            if (!n) {
                free(out);
                return NULL;
            }
            out = n;
        }
        if (add) {
            memcpy(out + k, add, need);
            k += need;
            i += skip;
        } else {
            out[k++] = s[i++];
        }
    }
    out[k] = '\0';
    /* the last part of a path is kept: redact the words in it too */
    return out;
}

/* Members whose values anebench itself defines: left alone, so the file
 * still reads back as a run (a host named like an axis value stays safe). */
static int keep_member(const char *name)
{
    static const char *const keep[] = {
        "key",           "status",       "io",       "mode", "eval_path",   "stop_reason", "compile_cache",
        "thermal_state", "power_source", "backend",  "kind", "engine",      "profile",     "api",
        "mil_target",    "started",      "finished", "at",   "interrupted", "name",        "weights_layout"};
    for (size_t i = 0; name && i < sizeof keep / sizeof keep[0]; i++)
        if (!strcmp(name, keep[i]))
            return 1;
    return 0;
}

static void redact_node(cJSON *j, const char *const *words, const char *const *repl, size_t nwords)
{
    for (cJSON *c = j->child; c; c = c->next) {
        if (cJSON_IsString(c) && c->valuestring) {
            if (keep_member(c->string))
                continue;
            char *once = redact_text(c->valuestring, words, repl, nwords);
            /* twice: a path's kept last part may hold a host or user word */
            char *r = once ? redact_text(once, words, repl, nwords) : NULL;
            free(once);
            if (r)
                cJSON_SetValuestring(c, r);
            free(r);
        } else if (cJSON_IsObject(c) || cJSON_IsArray(c)) {
            redact_node(c, words, repl, nwords);
        }
    }
}

void export_redact(void *json, const char *const *words, const char *const *replacement, size_t nwords)
{
    if (json)
        redact_node(json, words, replacement, nwords);
}

/* ---- the words to redact ---- */

#define MAX_WORDS 16

typedef struct wordset {
    char w[MAX_WORDS][256];
    const char *words[MAX_WORDS], *repl[MAX_WORDS];
    size_t n;
} wordset;

static void add_word(wordset *ws, const char *w, size_t len, const char *repl)
{
    if (!w || len < 2 || ws->n == MAX_WORDS || len >= sizeof ws->w[0])
        return;
    for (size_t i = 0; i < ws->n; i++)
        if (strlen(ws->words[i]) == len && !strncasecmp(ws->words[i], w, len))
            return;
    memcpy(ws->w[ws->n], w, len);
    ws->w[ws->n][len] = '\0';
    ws->words[ws->n] = ws->w[ws->n];
    ws->repl[ws->n] = repl;
    ws->n++;
}

/* A host name and its first label ("mbp.local", "mbp"). */
static void add_host(wordset *ws, const char *h)
{
    if (!h || !*h)
        return;
    add_word(ws, h, strlen(h), HOST_WORD);
    add_word(ws, h, strcspn(h, "."), HOST_WORD);
}

/* The user of every home folder named in the strings of j. */
static void add_home_users(wordset *ws, const cJSON *j)
{
    for (const cJSON *c = j->child; c; c = c->next) {
        if (cJSON_IsString(c) && c->valuestring) {
            static const char *const homes[] = {"/home/", "/Users/"};
            for (size_t k = 0; k < 2; k++)
                for (const char *p = c->valuestring; (p = strstr(p, homes[k])); p++) {
                    const char *u = p + strlen(homes[k]);
                    add_word(ws, u, strcspn(u, "/ \t'\""), USER_WORD);
                }
        } else if (cJSON_IsObject(c) || cJSON_IsArray(c)) {
            add_home_users(ws, c);
        }
    }
}

static void collect_words(wordset *ws, const cJSON *meta)
{
    memset(ws, 0, sizeof *ws);
    const cJSON *host = cJSON_GetObjectItemCaseSensitive(meta, "host");
    const cJSON *hn = cJSON_GetObjectItemCaseSensitive(host, "hostname");
    if (cJSON_IsString(hn))
        add_host(ws, hn->valuestring);
    char here[256];
    if (gethostname(here, sizeof here) == 0) {
        here[sizeof here - 1] = '\0';
        add_host(ws, here);
    }
    const struct passwd *pw = getpwuid(getuid());
    if (pw)
        add_word(ws, pw->pw_name, strlen(pw->pw_name), USER_WORD);
    static const char *const vars[] = {"USER", "LOGNAME", "SUDO_USER"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v)
            add_word(ws, v, strlen(v), USER_WORD);
    }
    add_home_users(ws, meta);
}

/* ---- the document ---- */

static cJSON *argv_json(int argc, char *const *argv)
{
    cJSON *a = cJSON_CreateArray();
    cJSON_AddItemToArray(a, cJSON_CreateString("anebench"));
    for (int i = 0; a && i < argc; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(argv[i]));
    return a;
}

static cJSON *hardware_json(const cJSON *meta)
{
    static const char *const fields[] = {"chip",       "cpu_model",   "mem_bytes", "cores",
                                         "ane_family", "ane_subtype", "ane_cores"};
    const cJSON *host = cJSON_GetObjectItemCaseSensitive(meta, "host");
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; o && i < sizeof fields / sizeof fields[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(host, fields[i]);
        cJSON_AddItemToObject(o, fields[i], v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
    }
    return o;
}

static const char removed_text[] =
    "host.hostname is null; the run's host name and this machine's (with its first label), the user name "
    "(login, $USER, $LOGNAME, $SUDO_USER, home folders named in the run) wherever they appear as a word are "
    "replaced by redacted-host and redacted-user; every absolute path (a word starting with a slash or a "
    "tilde) is replaced by redacted-path and its last component. Keys, statuses, backends and axis values "
    "are kept as they are.";

void *export_build(const ab_run *run, int argc, char *const *argv, ab_err *e)
{
    if (!run->has_info) {
        ab_errf(e, AB_EUSAGE, "%s: export needs the run's metadata: give a run directory or its results.json",
                run->origin);
        return NULL;
    }
    ab_recview v;
    if (recview_init(&v, run) != 0) {
        ab_errf(e, AB_EFAIL, "out of memory");
        return NULL;
    }
    /* the run, redacted: run.json's fields, then the cases */
    cJSON *body = runinfo_to_json(&run->info);
    wordset ws;
    collect_words(&ws, body);
    /* what identifies the hardware and the tool, taken before redaction */
    cJSON *hw = hardware_json(body), *tool = cJSON_CreateObject();
    static const char *const tf[] = {"version", "git", "dirty"};
    const cJSON *rtool = cJSON_GetObjectItemCaseSensitive(body, "tool");
    for (size_t i = 0; tool && i < 3; i++) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(rtool, tf[i]);
        cJSON_AddItemToObject(tool, tf[i], x ? cJSON_Duplicate(x, 1) : cJSON_CreateNull());
    }
    cJSON *cases = cJSON_CreateArray();
    int ok = body && cases;
    for (size_t i = 0; ok && i < v.n; i++) {
        cJSON *r = record_to_json(v.recs[i], 1);
        ok = r != NULL;
        if (ok)
            cJSON_AddItemToArray(cases, r);
    }
    cJSON *out = ok ? cJSON_CreateObject() : NULL;
    if (out) {
        static const char *const drop[] = {"schema_version", "kind", "export", "cases"};
        for (size_t i = 0; i < 4; i++)
            cJSON_DeleteItemFromObjectCaseSensitive(body, drop[i]);
        cJSON *h = cJSON_GetObjectItemCaseSensitive(body, "host");
        if (h)
            cJSON_ReplaceItemInObjectCaseSensitive(h, "hostname", cJSON_CreateNull());
        cJSON_AddItemToObject(body, "cases", cases);
        cases = NULL;
        export_redact(body, ws.words, ws.repl, ws.n);

        char hash[64];
        export_hardware_hash(&run->info, hash, sizeof hash);
        cJSON_AddNumberToObject(out, "schema_version", AB_SCHEMA_VERSION);
        cJSON_AddStringToObject(out, "kind", AB_EXPORT_KIND);
        cJSON *ex = cJSON_AddObjectToObject(out, "export");
        cJSON_AddStringToObject(ex, "format",
                                "a run's results.json, one record per case (the last of each key), redacted "
                                "for sharing: see results/README.md, Export files");
        cJSON_AddStringToObject(ex, "removed", removed_text);
        cJSON_AddStringToObject(ex, "hardware_hash", hash);
        cJSON_AddItemToObject(ex, "hardware", hw);
        cJSON_AddItemToObject(ex, "tool", tool);
        hw = tool = NULL;
        cJSON *rargv = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(body, "argv"), 1); /* redacted */
        cJSON_AddItemToObject(ex, "run_command", rargv ? rargv : cJSON_CreateNull());
        cJSON *xargv = argv_json(argc, argv);
        export_redact(xargv, ws.words, ws.repl, ws.n);
        cJSON_AddItemToObject(ex, "export_command", xargv);
        cJSON *by = cJSON_AddObjectToObject(ex, "exported_by");
        cJSON_AddStringToObject(by, "version", ANEBENCH_VERSION);
        cJSON_AddStringToObject(by, "git", ANEBENCH_GIT);
        cJSON_AddNumberToObject(ex, "records", (double)v.n);
        cJSON_AddNumberToObject(ex, "superseded_records_left_out", (double)run->n_superseded);
        while (body->child) {
            cJSON *c = cJSON_DetachItemViaPointer(body, body->child);
            cJSON_AddItemToObject(out, c->string, c);
        }
    }
    cJSON_Delete(body);
    cJSON_Delete(cases);
    cJSON_Delete(hw);
    cJSON_Delete(tool);
    recview_free(&v);
    if (!out) {
        ab_errf(e, AB_EFAIL, "out of memory");
        return NULL;
    }
    return out;
}
