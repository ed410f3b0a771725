/* reader.c: loads result files back (see reader.h).
 *
 * Input here may be anything (a fuzzer is pointed at it): every length is
 * checked, nothing is asserted, and every failure is one AB_EUSAGE line that
 * names the file and, where there is one, the line or row. */
#include "harness/reader.h"

#include <cjson/cJSON.h>
#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/bigmem.h"
#include "harness/jsoncheck.h"
#include "harness/platform.h"
#include "harness/runview.h"

#define MAX_CSV_COLUMNS 4096

char *ab_read_file(const char *path, size_t *len, ab_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ab_errf(e, AB_EUSAGE, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    int have_st = fstat(fileno(f), &st) == 0;
    if (have_st && S_ISDIR(st.st_mode)) {
        fclose(f);
        ab_errf(e, AB_EUSAGE, "cannot read %s: it is a directory", path);
        return NULL;
    }
    /* Room for the whole file at once (a 20,000-case results.json is 20 MB);
     * it grows on if the file does. */
    size_t cap = 65536, n = 0;
    if (have_st && S_ISREG(st.st_mode) && st.st_size > 0 && (unsigned long long)st.st_size < ((size_t)-1) / 4)
        cap = (size_t)st.st_size + 2;
    char *buf = malloc(cap);
    while (buf) {
        if (cap - n < 2) {
            char *nb = cap < ((size_t)-1) / 2 ? realloc(buf, cap * 2) : NULL;
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (!buf) {
        ab_errf(e, AB_EUSAGE,
                "cannot read %s: out of memory (more than this machine, or its ulimit -v, allows)", path);
        return NULL;
    }
    if (failed) {
        free(buf);
        ab_errf(e, AB_EUSAGE, "cannot read %s: read error", path);
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* A result file's text, read where it lies: a regular file is mapped, so
 * that the parts already parsed can be given back (map_release) and a
 * reading of two 100 MB files does not hold 200 MB of text; anything else
 * (a pipe) is read whole. The text is not NUL-terminated: every parser
 * here is given its length. */
typedef struct mapped {
    char *text;
    size_t len;
    int is_map;
    size_t released; /* bytes from the start already given back */
    size_t nul_at;   /* 1 + the offset of a NUL byte found, 0 none */
    int unscanned;   /* the cases were not scanned for NUL bytes: each is checked as it is parsed */
} mapped;

/* Text is given back in steps of a 32nd of the file, from 1 MB to 8 MB:
 * each step is a TLB flush on every core (the other loading thread's
 * too), and the text held at once stays a small share of the file. */
enum { RELEASE_MIN = 1 << 20, RELEASE_MAX = 8 << 20 };

static size_t release_step(const mapped *m)
{
    size_t step = m->len / 32;
    return step < RELEASE_MIN ? RELEASE_MIN : step > RELEASE_MAX ? RELEASE_MAX : step;
}

static int map_file(const char *path, mapped *m, ab_err *e)
{
    memset(m, 0, sizeof *m);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (unsigned long long)st.st_size < ((size_t)-1) / 2) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
            close(fd);
            madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
            m->text = p;
            m->len = (size_t)st.st_size;
            m->is_map = 1;
            return 0;
        }
    }
    if (fd >= 0)
        close(fd);
    m->text = ab_read_file(path, &m->len, e);
    return m->text ? 0 : -1;
}

/* Gives back the pages of text before upto (whole pages, in steps). */
static void map_release(mapped *m, const char *upto)
{
    if (!m->is_map || upto < m->text)
        return;
    size_t at = (size_t)(upto - m->text), page = (size_t)sysconf(_SC_PAGESIZE);
    if (at < m->released + release_step(m))
        return;
    size_t to = at / page * page;
    if (to > m->released) {
        madvise(m->text + m->released, to - m->released, MADV_DONTNEED);
        m->released = to;
    }
}

static void map_free(mapped *m)
{
    if (m->is_map)
        munmap(m->text, m->len);
    else
        free(m->text);
    m->text = NULL;
}

/* While one record is parsed, cJSON's allocations come from a per-thread
 * arena that is emptied after the record (one reset, not one free per JSON
 * item: a 100,000-case file is millions of them). Through cJSON's own
 * allocation hooks, installed once before main; outside a record they are
 * plain malloc and free, and a block not from the arena is always freed. */
typedef struct arena {
    char *base;
    size_t used, cap;
    int on;
    int spilled; /* a block of this record came from malloc */
} arena;

static _Thread_local arena tl_arena;

static void *arena_malloc(size_t n)
{
    arena *a = &tl_arena;
    size_t need = (n + 15) & ~(size_t)15;
    if (a->on && a->base && need <= a->cap - a->used) {
        void *p = a->base + a->used;
        a->used += need;
        return p;
    }
    a->spilled |= a->on;
    return malloc(n);
}

static void arena_free(void *p)
{
    arena *a = &tl_arena;
    if (a->base && (char *)p >= a->base && (char *)p < a->base + a->cap)
        return; /* given back at the record's end */
    free(p);
}

__attribute__((constructor)) static void arena_hooks(void)
{
    cJSON_Hooks h = {arena_malloc, arena_free};
    cJSON_InitHooks(&h);
}

/* Starts a record: cJSON allocates from the arena (made on first use). */
static void arena_begin(void)
{
    arena *a = &tl_arena;
    if (!a->base && (a->base = malloc(1 << 18)) != NULL)
        a->cap = 1 << 18;
    a->used = 0;
    a->on = 1;
    a->spilled = 0;
}

/* Deletes a tree parsed since arena_begin: nothing to do when the arena
 * holds all of it (the walk freeing each item was a few percent of a
 * reading); arena_end gives it back. */
static void arena_delete(cJSON *j)
{
    if (!tl_arena.on || tl_arena.spilled)
        cJSON_Delete(j);
}

/* Ends a record; its JSON items must have been deleted (or be dropped). */
static void arena_end(void)
{
    tl_arena.on = 0;
    tl_arena.used = 0;
}

/* Gives the arena back at the end of a file (a loading thread then ends
 * holding nothing). */
static void arena_drop(void)
{
    free(tl_arena.base);
    memset(&tl_arena, 0, sizeof tl_arena);
}

/* Input echoed into a message (a value, a path) may hold control bytes;
 * the message must stay one printable line. */
static int one_line(int rc, ab_err *e)
{
    if (rc && e)
        for (char *p = e->msg; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
    return rc;
}

static void run_reset(ab_run *run, const char *path)
{
    memset(run, 0, sizeof *run);
    runinfo_init(&run->info);
    ab_strlcpy(run->origin, path, sizeof run->origin);
}

void run_free(ab_run *run)
{
    if (!run)
        return;
    for (size_t i = 0; i < run->n; i++)
        record_free(&run->recs[i]);
    ab_big_free(run->recs, run->recs_mapped);
    run->recs_mapped = 0;
    free(run->key_hash);
    run->key_hash = NULL;
    runinfo_free(&run->info);
    run->has_info = 0;
    run->recs = NULL;
    run->n = 0;
}

ab_record *run_take_records(ab_run *run, size_t *n)
{
    ab_record *recs = run->recs;
    *n = 0;
    if (!recs || !run->n)
        return NULL;
    if (run->recs_mapped) {
        if (!(recs = malloc(run->n * sizeof *recs)))
            return NULL;
        memcpy(recs, run->recs, run->n * sizeof *recs);
        ab_big_free(run->recs, run->recs_mapped);
        run->recs_mapped = 0;
    }
    *n = run->n;
    run->recs = NULL;
    run->n = 0;
    return recs;
}

static int same_case(const ab_record *a, const ab_record *b)
{
    return a->round == b->round && strcmp(a->key, b->key) == 0;
}

/* The last record of a key in a round (--repeat) wins: the earlier ones are
 * dropped, the others keep their order. The one place this rule is coded.
 * Walks the records from the last, keeping each (key, round) the first time
 * it is seen (a hash set of indexes: linear time). A key's records of
 * different rounds are all kept (rounds.h merges them for the readers that
 * want one per key). The keys' hashes were taken as each record was read
 * (run->key_hash), so when every record is of one round this walks one
 * small array, touching a record only when two hashes are equal (walking
 * 100k records of 1.7 KB backwards for their keys was a cache miss each, a
 * tenth of a reading); records of several rounds are read for their round. */
static int last_record_wins(ab_run *run, ab_err *e)
{
    size_t n = run->n, cap = 16;
    uint64_t *kh = run->key_hash;
    int one_round = run->rounds_read == 1;
    if (n < 2)
        return AB_OK;
    while (cap < 2 * n)
        cap *= 2;
    size_t *slot = malloc(cap * sizeof *slot); /* record index + 1; 0 empty */
    char *drop = calloc(n, 1);
    if (!kh && (kh = run->key_hash = malloc(n * sizeof *kh)) != NULL) /* records not read here (none today) */
        for (size_t i = 0; i < n; i++)
            kh[i] = ab_key_hash(run->recs[i].key);
    if (!slot || !drop || !kh) {
        free(slot);
        free(drop);
        return ab_errf(e, AB_EUSAGE, "%s: out of memory (more than this machine, or its ulimit -v, allows)",
                       run->origin);
    }
    memset(slot, 0, cap * sizeof *slot);
    size_t ndrop = 0;
    for (size_t i = n; i-- > 0;) {
        const ab_record *r = &run->recs[i];
        uint64_t hr = one_round ? kh[i] : (kh[i] ^ (uint64_t)(unsigned)r->round) * 1099511628211ull;
        size_t h = (size_t)hr & (cap - 1);
        while (slot[h] && (kh[slot[h] - 1] != kh[i] || !same_case(&run->recs[slot[h] - 1], r)))
            h = (h + 1) & (cap - 1);
        if (slot[h]) {
            drop[i] = 1;
            ndrop++;
        } else {
            slot[h] = i + 1;
        }
    }
    free(slot);
    if (ndrop) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (drop[i]) {
                record_free(&run->recs[i]);
            } else {
                kh[k] = kh[i];
                run->recs[k++] = run->recs[i];
            }
        }
        run->n = k;
        run->n_superseded += ndrop;
    }
    free(drop);
    return AB_OK;
}

/* Room for one more record (and its key's hash); returns it or NULL.
 * done of total bytes of the file have been read: past the first records
 * the room is made for as many as the rest of the file holds at the same
 * size a record (and a little more), so that the records are laid down
 * once, in one block (harness/bigmem.h), not copied at every doubling. */
static ab_record *next_slot(ab_run *run, size_t *cap, size_t done, size_t total)
{
    if (run->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        if (run->n >= 64 && done > 0 && done < total && total / done < ((size_t)-1) / 2 / run->n) {
            size_t guess = run->n * (total / done) + run->n * (total % done) / done;
            guess += guess / 32 + 64;
            if (guess > nc)
                nc = guess;
        }
        if (nc > ((size_t)-1) / 2 / sizeof *run->recs)
            return NULL;
        ab_record *p = ab_big_grow(run->recs, &run->recs_mapped, run->n * sizeof *p, nc * sizeof *p);
        if (!p)
            return NULL;
        run->recs = p;
        uint64_t *h = realloc(run->key_hash, nc * sizeof *h);
        if (!h)
            return NULL;
        run->key_hash = h;
        *cap = nc;
    }
    return &run->recs[run->n];
}

/* Set by run_load_shown on its own thread: each record's texts are made
 * harmless to show as it is read (a pass over every record after the
 * reading was a cache miss a record). */
static _Thread_local int tl_shown;

/* The record in next_slot's place is read: it counts, and its key's hash
 * is taken (and its texts scrubbed, for run_load_shown) while it is in the
 * cache. */
static void added(ab_run *run)
{
    ab_record *r = &run->recs[run->n];
    if (tl_shown)
        record_scrub_text(r);
    run->key_hash[run->n] = ab_key_hash(r->key);
    if (run->n == 0)
        run->rounds_read = 1;
    else if (r->round != run->recs[0].round)
        run->rounds_read = 2;
    run->n++;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* A key given twice anywhere in j is refused (cJSON keeps both and every
 * lookup sees the first: which one was meant cannot be known). The place
 * is named in the message as "path:3" (a journal's line) or
 * "path: cases[2]" (line = 0), only when there is a message to write. */
static int refuse_dup_keys(const cJSON *j, const char *path, int line, size_t at, ab_err *e)
{
    char where[128], what[1100];
    int oom;
    const char *dup = ab_json_dup_key_deep(j, 1, where, sizeof where, &oom);
    if (oom || dup)
        snprintf(what, sizeof what, line ? "%s:%zu" : "%s: cases[%zu]", path, at);
    if (oom)
        return ab_errf(e, AB_EUSAGE, "%s: out of memory (more than this machine, or its ulimit -v, allows)",
                       what);
    if (dup)
        return ab_errf(e, AB_EUSAGE, "%s: key \"%.64s\" given twice%s%s", what, dup, where[0] ? " in " : "",
                       where);
    return 0;
}

/* The newline ending the line at p (NULL: none in left bytes), looked for
 * in steps so that a NUL byte before it is found at once (*nul = 1) even
 * in a file of a terabyte of zeros. */
static const char *line_end(const char *p, size_t left, int *nul)
{
    enum { STEP = 1 << 16 };
    for (size_t off = 0; off < left; off += STEP) {
        size_t n = left - off < STEP ? left - off : STEP;
        const char *nl = memchr(p + off, '\n', n);
        if (memchr(p + off, '\0', nl ? (size_t)(nl - (p + off)) : n)) {
            *nul = 1;
            return NULL;
        }
        if (nl)
            return nl;
    }
    return NULL;
}

static int run_load_jsonl_impl(ab_run *run, const char *path, ab_err *e)
{
    run_reset(run, path);
    mapped m;
    if (map_file(path, &m, e))
        return e ? e->code : AB_EUSAGE;
    const char *text = m.text;
    size_t len = m.len;
    size_t cap = 0, lineno = 0, pos = 0;
    int rc = AB_OK;
    while (pos < len && rc == AB_OK) {
        const char *start = text + pos;
        map_release(&m, start);
        int nul = 0;
        const char *nl = line_end(start, len - pos, &nul);
        lineno++;
        if (nul) {
            rc = ab_errf(e, AB_EUSAGE, "%s:%zu: NUL byte in a journal line", path, lineno);
            break;
        }
        if (!nl) {
            /* an incomplete last line: the writer died mid-record */
            if (!blank(start, len - pos))
                run->truncated_tail = 1;
            break;
        }
        size_t n = (size_t)(nl - start);
        pos += n + 1;
        if (blank(start, n))
            continue;
        if (memchr(start, '\0', n)) {
            rc = ab_errf(e, AB_EUSAGE, "%s:%zu: NUL byte in a journal line", path, lineno);
            break;
        }
        arena_begin();
        const char *stop = NULL;
        cJSON *j = cJSON_ParseWithLengthOpts(start, n, &stop, 0);
        if (!j) {
            arena_end();
            rc = ab_errf(e, AB_EUSAGE, "%s:%zu: not valid JSON", path, lineno);
            break;
        }
        ab_record *r = next_slot(run, &cap, pos, len);
        ab_err re;
        ab_err_clear(&re);
        if (stop && !ab_json_only_space(stop, n - (size_t)(stop - start))) {
            rc = ab_errf(e, AB_EUSAGE, "%s:%zu: text after the record's JSON (one record per line)", path,
                         lineno);
        } else {
            /* a key given twice is said first, as when it was looked for first */
            int distinct = 0, frc = r ? record_from_json_distinct(j, r, &distinct, &re) : AB_EFAIL;
            if ((frc || !distinct) && (rc = refuse_dup_keys(j, path, 1, lineno, e)) != 0) {
                if (!frc)
                    record_free(r);
            } else if (!r) {
                rc = ab_errf(e, AB_EUSAGE,
                             "%s:%zu: out of memory (more than this machine, or its ulimit -v, allows)", path,
                             lineno);
            } else if (frc) {
                rc = ab_errf(e, AB_EUSAGE, "%s:%zu: %s", path, lineno, re.msg);
            } else {
                added(run);
            }
        }
        arena_delete(j);
        arena_end();
    }
    map_free(&m);
    arena_drop();
    if (rc) {
        run_free(run);
        run->truncated_tail = 0;
    }
    return rc;
}

/* Parses a whole JSON text (harness/jsoncheck.h: a syntax error names its
 * line; text after the document and a key given twice are refused). */
static cJSON *parse_json_text(const char *path, const char *text, size_t len, ab_err *e)
{
    return ab_json_parse_doc(path, text, len, e);
}

static cJSON *parse_json_file(const char *path, ab_err *e)
{
    size_t len;
    char *text = ab_read_file(path, &len, e);
    if (!text)
        return NULL;
    cJSON *doc = parse_json_text(path, text, len, e);
    free(text);
    return doc;
}

/* A run.json / results.json document as the run's info (schema version
 * and kind checked). */
static int read_info(ab_run *run, const cJSON *doc, const char *path, ab_err *e)
{
    int rc = runinfo_from_json(doc, path, &run->info, e);
    run->has_info = rc == AB_OK;
    return rc;
}

/* Appends the record of one case object to run; cases[i] names it in errors;
 * done of total (bytes, or cases) read so far (next_slot). check: c was
 * not checked for a key given twice (which is then said before a bad
 * field or a lack of memory, as when it was looked for first): reading
 * the record shows there is none, else (or on an error) it is looked for. */
static int add_case(ab_run *run, size_t *cap, const cJSON *c, const char *path, size_t i, size_t done,
                    size_t total, int check, ab_err *e)
{
    ab_record *r = next_slot(run, cap, done, total);
    ab_err re;
    ab_err_clear(&re);
    int distinct = 0, frc = r ? record_from_json_distinct(c, r, &distinct, &re) : AB_EFAIL;
    if (check && (frc || !distinct)) {
        int drc = refuse_dup_keys(c, path, 0, i, e);
        if (drc) {
            if (!frc)
                record_free(r);
            return drc;
        }
    }
    if (!r)
        return ab_errf(e, AB_EUSAGE, "%s: out of memory (more than this machine, or its ulimit -v, allows)",
                       path);
    if (frc)
        return ab_errf(e, AB_EUSAGE, "%s: cases[%zu]: %s", path, i, re.msg);
    added(run);
    return 0;
}

/* The end of loading a results.json: on success doc (without its cases)
 * is the run's info; on failure everything is dropped. */
static int keep_meta(ab_run *run, cJSON *doc, const char *path, int rc, ab_err *e)
{
    if (!rc)
        rc = read_info(run, doc, path, e);
    cJSON_Delete(doc);
    if (rc)
        run_free(run);
    return rc;
}

/* The results.json as one cJSON tree: the way every file can be read. */
static int load_results_whole(ab_run *run, const char *path, const char *text, size_t len, ab_err *e)
{
    cJSON *doc = parse_json_text(path, text, len, e);
    if (!doc)
        return e ? e->code : AB_EUSAGE;
    ab_runinfo probe;
    int rc = runinfo_from_json(doc, path, &probe, e);
    runinfo_free(&probe);
    cJSON *cases = rc ? NULL : cJSON_DetachItemFromObjectCaseSensitive(doc, "cases");
    if (!rc && !cJSON_IsArray(cases))
        rc = ab_errf(e, AB_EUSAGE, "%s: no \"cases\" array (for a run.json, give the run directory)", path);
    size_t cap = 0, i = 0, count = rc ? 0 : (size_t)cJSON_GetArraySize(cases);
    const cJSON *c;
    if (!rc)
        cJSON_ArrayForEach(c, cases)
        {
            if ((rc = add_case(run, &cap, c, path, i, i, count, 0, e)) != 0) /* checked whole */
                break;
            i++;
        }
    cJSON_Delete(cases);
    return keep_meta(run, doc, path, rc, e);
}

static int json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The ']' of a "cases" array that is the document's last member (the
 * writer puts it last): the text ends in "] }" (white space aside). Only a
 * guess: reading the cases one by one must end exactly there (the array's
 * own ']' cannot be taken for an element or a comma), else the file is
 * read whole. */
static int cases_close_at_end(const mapped *m, size_t open, size_t *close)
{
    const char *t = m->text;
    size_t i = m->len;
    while (i > open && json_space(t[i - 1]))
        i--;
    if (i <= open + 1 || t[i - 1] != '}')
        return 0;
    i--;
    while (i > open && json_space(t[i - 1]))
        i--;
    if (i <= open + 1 || t[i - 1] != ']')
        return 0;
    *close = i - 1;
    return 1;
}

/* The '[' and ']' of the top-level "cases" array of a JSON object text, by
 * nesting depth outside strings; 0 when the text has no such member or its
 * brackets do not balance. Only locates: cJSON parses everything. The text
 * before the '[' is scanned; when the array is the last member, its ']' is
 * found from the end and the cases are not scanned here (m->unscanned: a
 * scan of every byte was a tenth of a reading), else the rest is. */
static int find_cases_array(mapped *m, size_t *open, size_t *close)
{
    const char *t = m->text;
    size_t n = m->len;
    int depth = 0;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        if (c == '"') {
            size_t s = ++i;
            while (i < n && t[i] != '"') {
                if (t[i] == '\0' || (t[i] == '\\' && i + 1 < n && t[i + 1] == '\0')) {
                    m->nul_at = i + 1 + (t[i] != '\0');
                    return 0;
                }
                i += t[i] == '\\' ? 2 : 1;
            }
            if (i >= n)
                return 0;
            if (depth == 1 && !at && i - s == 5 && memcmp(t + s, "cases", 5) == 0) {
                size_t j = i + 1;
                while (j < n && json_space(t[j]))
                    j++;
                if (j < n && t[j] == ':') {
                    j++;
                    while (j < n && json_space(t[j]))
                        j++;
                    if (j < n && t[j] == '[') {
                        at = j;
                        i = j;
                        depth++;
                        if (cases_close_at_end(m, at, close)) {
                            *open = at;
                            m->unscanned = 1;
                            return 1;
                        }
                    }
                }
            }
        } else if (c == '{' || c == '[') {
            depth++;
            if (at)
                map_release(m, t + i);
        } else if (c == '}' || c == ']') {
            if (--depth == 1 && at && c == ']') {
                *open = at;
                *close = i;
                const char *z = memchr(t + i, '\0', n - i); /* the rest */
                if (z)
                    m->nul_at = (size_t)(z - t) + 1;
                return !z;
            }
        } else if (c == '\0') {
            m->nul_at = i + 1;
            return 0;
        }
    }
    return 0;
}

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && json_space(*p))
        p++;
    return p;
}

/* The fast path for a results.json: its cases are parsed one at a time and
 * freed, so the file is never one cJSON tree (for 20,000 cases that tree is
 * ten times the file, and building it was most of a comparison's time).
 * Returns -1, having loaded nothing, when the text does not have the shape
 * the writer gives it or a case is not valid JSON: the caller then reads
 * the file whole, which also words the error. */
static int load_results_streamed(ab_run *run, const char *path, mapped *m, ab_err *e)
{
    const char *text = m->text;
    size_t len = m->len, open, close;
    if (!find_cases_array(m, &open, &close))
        return -1; /* (or a NUL byte: cJSON would take it for white space) */
    /* The document without its cases: the run's metadata. */
    size_t tail = len - close - 1;
    char *head = malloc(open + 3 + tail);
    if (!head)
        return -1;
    memcpy(head, text, open);
    memcpy(head + open, "[]", 2);
    memcpy(head + open + 2, text + close + 1, tail);
    head[open + 2 + tail] = '\0';
    const char *hend = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(head, open + 2 + tail, &hend, 0);
    int clean = doc && hend && ab_json_only_space(hend, open + 2 + tail - (size_t)(hend - head)) &&
                !ab_json_dup_key_deep(doc, 1, NULL, 0, NULL);
    free(head);
    if (!clean) { /* read whole, which words the error */
        cJSON_Delete(doc);
        return -1;
    }
    int rc = read_info(run, doc, path, e);
    cJSON_Delete(doc);
    if (rc)
        return rc;

    const char *end = text + close, *p = skip_space(text + open + 1, end);
    size_t cap = 0, i = 0;
    m->released = 0; /* the cases are read again from the start */
    while (p < end && !rc) {
        const char *stop = NULL;
        map_release(m, p);
        arena_begin();
        cJSON *c = cJSON_ParseWithLengthOpts(p, (size_t)(end - p), &stop, 0);
        if (!c || !stop) {
            cJSON_Delete(c);
            arena_end();
            rc = -1;
            break;
        }
        if (m->unscanned && memchr(p, '\0', (size_t)(stop - p))) { /* cJSON takes it for white space */
            cJSON_Delete(c);
            arena_end();
            rc = -1;
            break;
        }
        rc = add_case(run, &cap, c, path, i, (size_t)(p - text) - open, close - open, 1, e);
        i++;
        arena_delete(c);
        arena_end();
        p = skip_space(stop, end);
        if (rc || p == end)
            break;
        if (*p != ',')
            rc = -1;
        else if ((p = skip_space(p + 1, end)) == end)
            rc = -1; /* a trailing comma: not JSON */
    }
    if (rc == -1 && m->unscanned) { /* not read as a stream: a NUL byte is said as such */
        const char *z = memchr(text, '\0', len);
        m->nul_at = z ? (size_t)(z - text) + 1 : 0;
    }
    if (rc)
        run_free(run);
    return rc;
}

static int run_load_results_json_impl(ab_run *run, const char *path, ab_err *e)
{
    run_reset(run, path);
    mapped m;
    if (map_file(path, &m, e))
        return e ? e->code : AB_EUSAGE;
    int rc = load_results_streamed(run, path, &m, e);
    if (rc < 0 && m.nul_at) { /* not JSON, and (a terabyte of zeros) not to be read whole */
        size_t line = 1;
        for (size_t i = 0; i + 1 < m.nul_at; i++)
            line += m.text[i] == '\n';
        rc = ab_errf(e, AB_EUSAGE, "%s:%zu: NUL byte (not JSON)", path, line);
    } else if (rc < 0) {
        rc = load_results_whole(run, path, m.text, m.len, e);
    }
    map_free(&m);
    arena_drop();
    return rc;
}

/* ---------------------------------------------------------------- CSV */

typedef struct csv_state {
    const char *path;
    ab_run *run;
    size_t cap;
    char **header;
    size_t nheader;
    int *map; /* header[i]'s record column (record_csv_map) */
    char **row;
    size_t nrow;
    size_t rowno; /* 1 = header */
    int rc;
    ab_err *e;
} csv_state;

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
}

static void on_field(void *s, size_t len, void *data)
{
    csv_state *st = data;
    if (st->rc)
        return;
    if (st->nrow >= MAX_CSV_COLUMNS) {
        st->rc = ab_errf(st->e, AB_EUSAGE, "%s: row %zu: more than %d columns", st->path, st->rowno + 1,
                         MAX_CSV_COLUMNS);
        return;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        st->rc = ab_errf(st->e, AB_EUSAGE,
                         "%s: out of memory (more than this machine, or its ulimit -v, allows)", st->path);
        return;
    }
    if (len && s)
        memcpy(copy, s, len);
    copy[len] = '\0';
    st->row[st->nrow++] = copy;
}

static void on_row_header(csv_state *st)
{
    st->header = st->row;
    st->nheader = st->nrow;
    st->row = calloc(MAX_CSV_COLUMNS, sizeof *st->row);
    st->nrow = 0;
    if (!st->row) {
        st->rc = ab_errf(st->e, AB_EUSAGE,
                         "%s: out of memory (more than this machine, or its ulimit -v, allows)", st->path);
        return;
    }
    for (size_t i = 0; i < st->nheader; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(st->header[i], st->header[j]) == 0) {
                st->rc = ab_errf(st->e, AB_EUSAGE, "%s: duplicate column \"%.64s\"", st->path, st->header[i]);
                return;
            }
    if (!(st->map = record_csv_map(st->header, st->nheader)))
        st->rc = ab_errf(st->e, AB_EUSAGE,
                         "%s: out of memory (more than this machine, or its ulimit -v, allows)", st->path);
}

/* A CSV's run info: its first row's run-level columns (a file of many runs
 * concatenated is one run to the reader: the last record of a key wins). */
static void info_from_row(ab_run *run, const ab_record *r, const ab_runcols *c)
{
    if (!c->run_id[0] && !c->chip[0] && !c->ane_subtype[0] && !c->os_build[0])
        return; /* a CSV from before the run-level columns */
    ab_runinfo *ri = &run->info;
    ab_strlcpy(ri->run_id, c->run_id, sizeof ri->run_id);
    ab_strlcpy(ri->chip, c->chip, sizeof ri->chip);
    ab_strlcpy(ri->ane_subtype, c->ane_subtype, sizeof ri->ane_subtype);
    ab_strlcpy(ri->os_build, c->os_build, sizeof ri->os_build);
    ab_strlcpy(ri->backend, r->backend, sizeof ri->backend);
    ri->simulated = r->simulated;
    run->has_info = 1;
}

static void on_row(int c, void *data)
{
    csv_state *st = data;
    (void)c;
    if (st->rc)
        return;
    st->rowno++;
    if (st->rowno == 1) {
        on_row_header(st);
        return;
    }
    if (st->nrow != st->nheader) {
        st->rc = ab_errf(st->e, AB_EUSAGE, "%s: row %zu: %zu fields, the header has %zu", st->path, st->rowno,
                         st->nrow, st->nheader);
        return;
    }
    ab_record *r = next_slot(st->run, &st->cap, 0, 0);
    ab_err re;
    ab_err_clear(&re);
    ab_runcols cols;
    if (!r)
        st->rc = ab_errf(st->e, AB_EUSAGE,
                         "%s: out of memory (more than this machine, or its ulimit -v, allows)", st->path);
    else if (record_from_csv_mapped(st->map, st->row, st->nrow, r, &cols, &re) != AB_OK)
        st->rc = ab_errf(st->e, AB_EUSAGE, "%s: row %zu: %s", st->path, st->rowno, re.msg);
    else {
        added(st->run);
        if (st->run->n == 1)
            info_from_row(st->run, r, &cols);
    }
    free_strings(st->row, st->nrow);
    st->nrow = 0;
}

static int run_load_csv_impl(ab_run *run, const char *path, ab_err *e)
{
    run_reset(run, path);
    size_t len;
    char *text = ab_read_file(path, &len, e);
    if (!text)
        return e ? e->code : AB_EUSAGE;
    /* A UTF-8 byte-order mark (spreadsheets write one) is not data. */
    size_t skip = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    csv_state st = {.path = path, .run = run, .e = e};
    st.row = calloc(MAX_CSV_COLUMNS, sizeof *st.row);
    struct csv_parser p;
    int rc = AB_OK;
    if (!st.row || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        rc = ab_errf(e, AB_EUSAGE, "%s: out of memory (more than this machine, or its ulimit -v, allows)",
                     path);
    } else {
        size_t used = skip + csv_parse(&p, text + skip, len - skip, on_field, on_row, &st);
        if (!st.rc && used != len)
            st.rc = ab_errf(e, AB_EUSAGE, "%s: row %zu: malformed CSV (%s)", path, st.rowno + 1,
                            csv_strerror(csv_error(&p)));
        if (!st.rc && csv_fini(&p, on_field, on_row, &st) != 0)
            st.rc = ab_errf(e, AB_EUSAGE, "%s: row %zu: malformed CSV (%s)", path, st.rowno + 1,
                            csv_strerror(csv_error(&p)));
        csv_free(&p);
        rc = st.rc;
        if (!rc && st.rowno == 0)
            rc = ab_errf(e, AB_EUSAGE, "%s: empty, no header row", path);
    }
    free_strings(st.row, st.nrow);
    free(st.row);
    free_strings(st.header, st.nheader);
    free(st.header);
    free(st.map);
    free(text);
    if (rc)
        run_free(run);
    return rc;
}

/* ------------------------------------------------------------ dispatch */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int file_exists(const char *path, struct stat *st)
{
    return stat(path, st) == 0 && S_ISREG(st->st_mode);
}

/* A run directory: results.json, unless the journal has been written since
 * (a resumed run that has not finished); else run.json + cases.jsonl. */
static int load_dir(ab_run *run, const char *dir, ab_err *e)
{
    char rpath[1100], mpath[1100], jpath[1100];
    if (snprintf(rpath, sizeof rpath, "%s/results.json", dir) >= (int)sizeof rpath ||
        snprintf(mpath, sizeof mpath, "%s/run.json", dir) >= (int)sizeof mpath ||
        snprintf(jpath, sizeof jpath, "%s/cases.jsonl", dir) >= (int)sizeof jpath)
        return ab_errf(e, AB_EUSAGE, "path too long: %s", dir);
    struct stat rs, js, ms;
    int have_r = file_exists(rpath, &rs), have_j = file_exists(jpath, &js);
    struct timespec jt = have_j ? ab_stat_mtime(&js) : (struct timespec){0, 0};
    struct timespec rt = have_r ? ab_stat_mtime(&rs) : (struct timespec){0, 0};
    int journal_newer =
        have_j && have_r && (jt.tv_sec > rt.tv_sec || (jt.tv_sec == rt.tv_sec && jt.tv_nsec > rt.tv_nsec));
    int rc;
    if (have_r && !journal_newer) {
        rc = run_load_results_json(run, rpath, e);
    } else if (have_j) {
        rc = run_load_jsonl(run, jpath, e);
        if (!rc && file_exists(mpath, &ms)) {
            cJSON *meta = parse_json_file(mpath, e);
            rc = meta ? read_info(run, meta, mpath, e) : (e ? e->code : AB_EUSAGE);
            cJSON_Delete(meta);
            if (rc)
                run_free(run);
        }
    } else {
        return ab_errf(e, AB_EUSAGE, "%s: not a run directory (no results.json or cases.jsonl)", dir);
    }
    if (!rc)
        ab_strlcpy(run->origin, dir, sizeof run->origin);
    return rc;
}

static int run_load_impl(ab_run *run, const char *path, ab_err *e)
{
    run_reset(run, path ? path : "");
    if (!path || !path[0])
        return ab_errf(e, AB_EUSAGE, "no result file given");
    struct stat st;
    if (stat(path, &st) != 0)
        return ab_errf(e, AB_EUSAGE, "cannot read %s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return load_dir(run, path, e);
    if (ends_with(path, ".jsonl"))
        return run_load_jsonl(run, path, e);
    if (ends_with(path, ".json"))
        return run_load_results_json(run, path, e);
    if (ends_with(path, ".csv"))
        return run_load_csv(run, path, e);
    return ab_errf(e, AB_EUSAGE, "%s: unknown kind of file (expected a run directory, .json, .jsonl or .csv)",
                   path);
}

/* Every loader ends here: one record per key and round, the last one winning. */
static int loaded(ab_run *run, int rc, ab_err *e)
{
    if (!rc && (rc = last_record_wins(run, e)) != 0)
        run_free(run);
    return one_line(rc, e);
}

int run_load_jsonl(ab_run *run, const char *path, ab_err *e)
{
    return loaded(run, run_load_jsonl_impl(run, path, e), e);
}

int run_load_results_json(ab_run *run, const char *path, ab_err *e)
{
    return loaded(run, run_load_results_json_impl(run, path, e), e);
}

int run_load_csv(ab_run *run, const char *path, ab_err *e)
{
    return loaded(run, run_load_csv_impl(run, path, e), e);
}

int run_load(ab_run *run, const char *path, ab_err *e)
{
    return one_line(run_load_impl(run, path, e), e);
}

int run_load_shown(ab_run *run, const char *path, ab_err *e)
{
    tl_shown = 1;
    int rc = run_load(run, path, e);
    tl_shown = 0;
    if (!rc)
        run_scrub_info(run);
    return rc;
}

typedef struct load_job {
    ab_run *run;
    const char *path;
    int shown;
    ab_err err;
    int rc;
} load_job;

static void *load_thread(void *arg)
{
    load_job *j = arg;
    ab_err_clear(&j->err);
    j->rc = j->shown ? run_load_shown(j->run, j->path, &j->err) : run_load(j->run, j->path, &j->err);
    return NULL;
}

int run_load_all(ab_run *runs, const char *const *paths, size_t n, int shown, ab_err *e)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t batch = cpus > 1 ? ((size_t)cpus < n ? (size_t)cpus : n) : 1;
    load_job *job = calloc(n ? n : 1, sizeof *job);
    pthread_t *t = calloc(batch ? batch : 1, sizeof *t);
    int *started = calloc(batch ? batch : 1, sizeof *started);
    if (!job || !t || !started) {
        free(job);
        free(t);
        free(started);
        return ab_errf(e, AB_EUSAGE, "out of memory (more than this machine, or its ulimit -v, allows)");
    }
    for (size_t k = 0; k < n; k++) {
        job[k].run = &runs[k];
        job[k].path = paths[k];
        job[k].shown = shown;
    }
    for (size_t first = 0; first < n; first += batch) {
        size_t m = first + batch <= n ? batch : n - first;
        for (size_t k = 1; k < m; k++)
            started[k] = pthread_create(&t[k], NULL, load_thread, &job[first + k]) == 0;
        load_thread(&job[first]);
        for (size_t k = 1; k < m; k++) {
            if (started[k])
                pthread_join(t[k], NULL);
            else
                load_thread(&job[first + k]);
        }
    }
    int rc = AB_OK;
    for (size_t k = 0; k < n && !rc; k++)
        if (job[k].rc != AB_OK) {
            rc = job[k].rc;
            if (e)
                *e = job[k].err;
        }
    if (rc)
        for (size_t k = 0; k < n; k++)
            run_free(&runs[k]);
    free(job);
    free(t);
    free(started);
    return rc;
}
