/* jsoncheck.c: duplicate keys and trailing text (see jsoncheck.h). */
#include "harness/jsoncheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_key(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(x->string ? x->string : "", y->string ? y->string : "");
}

/* Whether obj (of n members, n <= SMALL) holds a key twice, by a hash set
 * on the stack: no allocation, no sort. Every object of a results file is
 * this small, and a 100,000-case file has 300,000 of them. */
enum { SMALL = 128, SMALL_SLOTS = 256 };

static int small_has_dup(const cJSON *obj)
{
    const cJSON *slot[SMALL_SLOTS] = {0};
    for (const cJSON *it = obj->child; it; it = it->next) {
        const char *k = it->string ? it->string : "";
        unsigned h = 2166136261u;
        for (const char *c = k; *c; c++)
            h = (h ^ (unsigned char)*c) * 16777619u;
        for (h &= SMALL_SLOTS - 1; slot[h]; h = (h + 1) & (SMALL_SLOTS - 1))
            if (!strcmp(slot[h]->string ? slot[h]->string : "", k))
                return 1;
        slot[h] = it;
    }
    return 0;
}

const char *ab_json_dup_key(const cJSON *obj, int same_ok, int *oom)
{
    if (oom)
        *oom = 0;
    if (!cJSON_IsObject(obj) || !obj->child || !obj->child->next)
        return NULL;
    size_t n = 0;
    for (const cJSON *it = obj->child; it; it = it->next)
        n++;
    if (n <= SMALL && !small_has_dup(obj))
        return NULL; /* else: the sorted pass below names the first duplicate */
    const cJSON **items = malloc(n * sizeof *items);
    if (!items) {
        if (oom)
            *oom = 1;
        return NULL;
    }
    size_t k = 0;
    for (const cJSON *it = obj->child; it; it = it->next)
        items[k++] = it;
    qsort(items, n, sizeof *items, by_key);
    const char *dup = NULL;
    /* a run of equal keys (with same_ok: unless every value is the same) */
    for (size_t i = 1; i < n && !dup; i++)
        if (!by_key(&items[i - 1], &items[i]) && (!same_ok || !cJSON_Compare(items[i - 1], items[i], 1)))
            dup = items[i]->string ? items[i]->string : "";
    free(items);
    return dup;
}

/* Appends the step from parent to child c (its key, or [index]) to where. */
static void step(char *where, size_t n, const cJSON *parent, const cJSON *c, size_t index)
{
    size_t len = strlen(where);
    if (len + 1 >= n)
        return;
    if (cJSON_IsArray(parent))
        snprintf(where + len, n - len, "[%zu]", index);
    else
        snprintf(where + len, n - len, "%s%.40s", len ? "." : "", c->string ? c->string : "");
}

const char *ab_json_dup_key_deep(const cJSON *item, int same_ok, char *where, size_t n, int *oom)
{
    /* Depth-first through the tree with an explicit stack of parents. */
    size_t cap = 16, depth = 0;
    const cJSON **stack = malloc(cap * sizeof *stack);
    if (oom)
        *oom = 0;
    if (n)
        where[0] = '\0';
    if (!stack) {
        if (oom)
            *oom = 1;
        return NULL;
    }
    const cJSON *cur = item;
    const char *dup = NULL;
    while (cur && !dup) {
        if (cJSON_IsObject(cur) && (dup = ab_json_dup_key(cur, same_ok, oom)) != NULL)
            break;
        if (oom && *oom)
            break;
        if ((cJSON_IsObject(cur) || cJSON_IsArray(cur)) && cur->child) {
            if (depth == cap) {
                const cJSON **ns = realloc(stack, 2 * cap * sizeof *stack);
                if (!ns) {
                    if (oom)
                        *oom = 1;
                    break;
                }
                stack = ns;
                cap *= 2;
            }
            stack[depth++] = cur;
            cur = cur->child;
            continue;
        }
        /* next sibling, or up until there is one */
        while (cur && !cur->next && depth > 0)
            cur = stack[--depth];
        cur = cur && depth > 0 ? cur->next : NULL;
    }
    if (dup && n) {
        /* the path: walk from item down to cur through the stack */
        for (size_t d = 0; d < depth; d++) {
            const cJSON *p = stack[d], *c = d + 1 < depth ? stack[d + 1] : cur;
            size_t idx = 0;
            for (const cJSON *s = p->child; s && s != c; s = s->next)
                idx++;
            step(where, n, p, c, idx);
        }
    }
    free(stack);
    return dup;
}

int ab_json_only_space(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r' && text[i] != '\n')
            return 0;
    return 1;
}

/* 1-based line of pos in text (0 when pos is outside it). */
static size_t line_at(const char *text, size_t len, const char *pos)
{
    if (!pos || pos < text || pos > text + len)
        return 0;
    size_t line = 1;
    for (const char *p = text; p < pos; p++)
        line += *p == '\n';
    return line;
}

cJSON *ab_json_parse_doc(const char *path, const char *text, size_t len, ab_err *e)
{
    /* cJSON takes a NUL byte (any byte up to space) between tokens for
     * white space: a NUL anywhere is named, not read past */
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        ab_errf(e, AB_EUSAGE, "%s:%zu: a NUL byte (JSON text holds none)", path, line_at(text, len, nul));
        return NULL;
    }
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!doc) {
        size_t line = line_at(text, len, end ? end : cJSON_GetErrorPtr());
        if (line)
            ab_errf(e, AB_EUSAGE, "%s:%zu: not valid JSON", path, line);
        else
            ab_errf(e, AB_EUSAGE, "%s: not valid JSON", path);
        return NULL;
    }
    if (end && !ab_json_only_space(end, len - (size_t)(end - text))) {
        while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
            end++;
        ab_errf(e, AB_EUSAGE, "%s:%zu: text after the end of the JSON document", path,
                line_at(text, len, end));
        cJSON_Delete(doc);
        return NULL;
    }
    char where[128];
    int oom;
    const char *dup = ab_json_dup_key_deep(doc, 1, where, sizeof where, &oom);
    if (oom || dup) {
        if (oom)
            ab_errf(e, AB_EUSAGE, "%s: out of memory (more than this machine, or its ulimit -v, allows)",
                    path);
        else
            ab_errf(e, AB_EUSAGE, "%s: key \"%.64s\" given twice%s%s", path, dup, where[0] ? " in " : "",
                    where);
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}
