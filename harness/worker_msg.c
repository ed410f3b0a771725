/* worker_msg.c: the worker protocol's framing (one JSON object per line)
 * and its messages, both directions. No processes here: see worker.c. */
#include "harness/worker.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void linebuf_init(ab_linebuf *lb)
{
    memset(lb, 0, sizeof *lb);
}

void linebuf_free(ab_linebuf *lb)
{
    free(lb->buf);
    memset(lb, 0, sizeof *lb);
}

size_t linebuf_pending(const ab_linebuf *lb)
{
    return lb->len - lb->start;
}

int linebuf_feed(ab_linebuf *lb, const char *data, size_t n, ab_err *e)
{
    if (lb->start > 0) { /* drop the lines already returned */
        memmove(lb->buf, lb->buf + lb->start, lb->len - lb->start);
        lb->len -= lb->start;
        lb->start = 0;
    }
    if (n == 0)
        return AB_OK;
    if (lb->len + n + 1 > lb->cap) {
        size_t cap = lb->cap ? lb->cap : 4096;
        while (cap < lb->len + n + 1)
            cap *= 2;
        char *nb = realloc(lb->buf, cap);
        if (!nb)
            return ab_errf(e, AB_EFAIL, "worker protocol: out of memory for a %zu-byte line", lb->len + n);
        lb->buf = nb;
        lb->cap = cap;
    }
    memcpy(lb->buf + lb->len, data, n);
    lb->len += n;
    lb->buf[lb->len] = '\0';
    /* Only the unterminated tail counts against the limit. Only the new
     * bytes are searched (the tail's length is kept), so a long line costs
     * time linear in its length, not in its length times its chunks. */
    const char *nl = NULL;
    for (size_t i = n; i > 0; i--)
        if (data[i - 1] == '\n') {
            nl = data + i - 1;
            break;
        }
    lb->tail = nl ? (size_t)(data + n - (nl + 1)) : lb->tail + n;
    size_t max = lb->max ? lb->max : AB_LINE_MAX;
    if (lb->tail > max)
        return ab_errf(e, AB_EFAIL, "worker protocol: a line longer than %zu bytes", max);
    return AB_OK;
}

char *linebuf_next(ab_linebuf *lb)
{
    if (!lb->buf || lb->start >= lb->len)
        return NULL;
    char *line = lb->buf + lb->start;
    char *nl = memchr(line, '\n', lb->len - lb->start);
    if (!nl)
        return NULL;
    *nl = '\0';
    lb->start = (size_t)(nl + 1 - lb->buf);
    return line;
}

/* ---- building messages ---------------------------------------------------- */

static char *print_line(cJSON *o)
{
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!text)
        return NULL;
    size_t n = strlen(text);
    char *line = malloc(n + 2);
    if (line) {
        memcpy(line, text, n);
        line[n] = '\n';
        line[n + 1] = '\0';
    }
    cJSON_free(text);
    return line;
}

char *wmsg_case_line(const char *key, size_t index, int attempt)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "case", key);
    cJSON_AddNumberToObject(o, "index", (double)index);
    cJSON_AddNumberToObject(o, "attempt", attempt);
    return print_line(o);
}

char *wmsg_ready_line(long pid, int compiles_left)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *r = cJSON_AddObjectToObject(o, "ready");
    cJSON_AddNumberToObject(r, "pid", (double)pid);
    cJSON_AddNumberToObject(r, "compiles_left", compiles_left);
    return print_line(o);
}

char *wmsg_compiles_left_line(int compiles_left)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "compiles_left", compiles_left);
    return print_line(o);
}

char *wmsg_phase_line(const char *phase)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "phase", phase);
    return print_line(o);
}

char *wmsg_record_line(const ab_record *r)
{
    cJSON *rec = record_to_json(r, 1);
    if (!rec)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "record", rec);
    return print_line(o);
}

char *wmsg_error_line(const char *msg)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "error", msg ? msg : "");
    return print_line(o);
}

/* ---- parsing ------------------------------------------------------------- */

/* An integral JSON number in [lo, hi]; checked before any cast (UBSan). */
static int get_int(const cJSON *o, const char *name, double lo, double hi, long *out, ab_err *e)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(it))
        return ab_errf(e, AB_EUSAGE, "worker message: '%s' missing or not a number", name);
    double v = it->valuedouble;
    if (!isfinite(v) || v != floor(v) || v < lo || v > hi)
        return ab_errf(e, AB_EUSAGE, "worker message: bad '%s'", name);
    *out = (long)v;
    return AB_OK;
}

static int expect_members(const cJSON *o, int n, ab_err *e)
{
    if (cJSON_GetArraySize(o) != n)
        return ab_errf(e, AB_EUSAGE, "worker message: unexpected members");
    return AB_OK;
}

int wmsg_parse(const char *line, ab_wmsg *m, ab_err *e)
{
    memset(m, 0, sizeof *m);
    const char *end = NULL;
    cJSON *o = cJSON_ParseWithOpts(line, &end, 1);
    if (!o)
        return ab_errf(e, AB_EUSAGE, "worker message: not JSON");
    int rc = AB_OK;
    const cJSON *first = o->child;
    long v = 0;
    if (!cJSON_IsObject(o) || !first || !first->string) {
        rc = ab_errf(e, AB_EUSAGE, "worker message: not a JSON object");
    } else if (!strcmp(first->string, "case")) {
        m->kind = WM_CASE;
        if (!cJSON_IsString(first) || strlen(first->valuestring) >= sizeof m->key)
            rc = ab_errf(e, AB_EUSAGE, "worker message: bad 'case'");
        else
            ab_strlcpy(m->key, first->valuestring, sizeof m->key);
        if (!rc && !(rc = get_int(o, "index", 0, 1e15, &v, e)))
            m->index = (size_t)v;
        if (!rc && !(rc = get_int(o, "attempt", 1, 1e6, &v, e)))
            m->attempt = (int)v;
        if (!rc)
            rc = expect_members(o, 3, e);
    } else if (!strcmp(first->string, "ready")) {
        m->kind = WM_READY;
        if (!cJSON_IsObject(first))
            rc = ab_errf(e, AB_EUSAGE, "worker message: bad 'ready'");
        if (!rc && !(rc = get_int(first, "pid", 0, 4294967295.0, &v, e)))
            m->pid = v;
        if (!rc && !(rc = get_int(first, "compiles_left", -1, 1e9, &v, e)))
            m->compiles_left = (int)v;
        if (!rc)
            rc = expect_members(o, 1, e);
    } else if (!strcmp(first->string, "compiles_left")) {
        m->kind = WM_COMPILES_LEFT;
        if (!(rc = get_int(o, "compiles_left", -1, 1e9, &v, e)))
            m->compiles_left = (int)v;
        if (!rc)
            rc = expect_members(o, 1, e);
    } else if (!strcmp(first->string, "phase")) {
        m->kind = WM_PHASE;
        if (!cJSON_IsString(first) || !first->valuestring[0] || strlen(first->valuestring) >= sizeof m->phase)
            rc = ab_errf(e, AB_EUSAGE, "worker message: bad 'phase'");
        else
            ab_strlcpy(m->phase, first->valuestring, sizeof m->phase);
        if (!rc)
            rc = expect_members(o, 1, e);
    } else if (!strcmp(first->string, "error")) {
        m->kind = WM_ERROR;
        if (!cJSON_IsString(first))
            rc = ab_errf(e, AB_EUSAGE, "worker message: bad 'error'");
        else
            ab_strlcpy(m->error, first->valuestring, sizeof m->error);
        if (!rc)
            rc = expect_members(o, 1, e);
    } else if (!strcmp(first->string, "record")) {
        m->kind = WM_RECORD;
        if (!cJSON_IsObject(first))
            rc = ab_errf(e, AB_EUSAGE, "worker message: bad 'record'");
        if (!rc)
            rc = expect_members(o, 1, e);
        if (!rc)
            m->record_json = cJSON_DetachItemFromObjectCaseSensitive(o, "record");
    } else {
        rc = ab_errf(e, AB_EUSAGE, "worker message: unknown kind '%.64s'", first->string);
    }
    cJSON_Delete(o);
    return rc;
}

void wmsg_free(ab_wmsg *m)
{
    if (m->record_json)
        cJSON_Delete(m->record_json);
    m->record_json = NULL;
}

int ab_write_all(int fd, const char *buf, size_t n, ab_err *e)
{
    while (n > 0) {
        ssize_t k = write(fd, buf, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return ab_errf(e, AB_EFAIL, "write to worker pipe: %s", strerror(errno));
        }
        buf += k;
        n -= (size_t)k;
    }
    return AB_OK;
}
