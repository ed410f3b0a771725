/* sink.c: the run directory and its files (see sink.h).
 *
 * Durability rules: a journal line is one write() followed by fsync, so a
 * crash leaves at most one incomplete last line (which the reader drops);
 * a failed append is rolled back by truncating both files to their size
 * before it; whole files (run.json, results.json) are replaced atomically
 * by writing a temporary, fsyncing it and renaming it over the old one. */
#include "harness/sink.h"

#include <cjson/cJSON.h>
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness/reader.h"

#define JOURNAL_NAME "cases.jsonl"
#define CSV_NAME "cases.csv"
#define META_NAME "run.json"
#define RESULTS_NAME "results.json"

/* strerror, with what to do about a file-size limit (EFBIG reads "File
 * too large", which sounds like the file's fault). */
static const char *write_error(int err, char *buf, size_t n)
{
    if (err == EFBIG)
        snprintf(buf, n, "%s (the process's file-size limit, ulimit -f)", strerror(err));
    else
        snprintf(buf, n, "%s", strerror(err));
    return buf;
}

static int join(char *dst, size_t n, const char *dir, const char *name, ab_err *e)
{
    int len = snprintf(dst, n, "%s/%s", dir, name);
    if (len < 0 || (size_t)len >= n)
        return ab_errf(e, AB_EUSAGE, "path too long: %s/%s", dir, name);
    return 0;
}

/* fsync of a directory, so a rename or a new entry in it is durable. */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static void dir_of(const char *path, char *dir, size_t n)
{
    ab_strlcpy(dir, path, n);
    char *slash = strrchr(dir, '/');
    if (!slash)
        ab_strlcpy(dir, ".", n);
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
}

/* Writes all of buf; returns 0 or an errno. */
static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, buf, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (w == 0)
            return EIO;
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

int ab_write_file_atomic(const char *path, const char *text, size_t len, ab_err *e)
{
    char tmp[1100];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return ab_errf(e, AB_EUSAGE, "path too long: %s", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return ab_errf(e, AB_EUSAGE, "cannot write %s: %s", tmp, strerror(errno));
    int err = write_all(fd, text, len);
    if (!err && fsync(fd) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    if (!err && rename(tmp, path) != 0)
        err = errno;
    if (err) {
        unlink(tmp);
        char why[160];
        return ab_errf(e, AB_EFAIL, "cannot write %s: %s", path, write_error(err, why, sizeof why));
    }
    char dir[1024];
    dir_of(path, dir, sizeof dir);
    sync_dir(dir);
    return AB_OK;
}

/* "<host>" made safe for a file name: letters, digits, '.', '_', '-'. */
static void sanitize(char *s)
{
    for (; *s; s++) {
        char c = *s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                 c == '_' || c == '-';
        if (!ok)
            *s = '-';
    }
}

static void make_run_id(char *id, size_t n, const char *backend)
{
    char stamp[32], host[128], be[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
    if (gethostname(host, sizeof host) != 0 || !host[0])
        ab_strlcpy(host, "host", sizeof host);
    host[sizeof host - 1] = '\0';
    char *dot = strchr(host, '.');
    if (dot && dot != host)
        *dot = '\0'; /* short host name */
    sanitize(host);
    ab_strlcpy(be, backend && backend[0] ? backend : "unknown", sizeof be);
    sanitize(be); /* "ane-sim:m5" -> "ane-sim-m5" */
    snprintf(id, n, "%s-%s-%s", stamp, host, be);
}

/* mkdir -p for parent; records which levels it made (deepest last) so a
 * failure later can remove exactly those. */
typedef struct made_dirs {
    char path[8][1024];
    int n;
} made_dirs;

static void unmake_parents(made_dirs *made)
{
    while (made->n > 0)
        rmdir(made->path[--made->n]);
}

static int make_parents(const char *parent, made_dirs *made, ab_err *e)
{
    char buf[1024];
    ab_strlcpy(buf, parent, sizeof buf);
    if (strlen(parent) >= sizeof buf)
        return ab_errf(e, AB_EUSAGE, "path too long: %s", parent);
    size_t len = strlen(buf);
    while (len > 1 && buf[len - 1] == '/')
        buf[--len] = '\0';
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char save = *p;
        *p = '\0';
        if (mkdir(buf, 0755) == 0) {
            if (made->n < (int)(sizeof made->path / sizeof made->path[0]))
                ab_strlcpy(made->path[made->n++], buf, sizeof made->path[0]);
        } else if (errno != EEXIST) {
            int err = errno;
            ab_errf(e, AB_EUSAGE, "cannot create output directory %s: %s", buf, strerror(err));
            unmake_parents(made);
            return AB_EUSAGE;
        }
        *p = save;
        if (!save)
            break;
    }
    struct stat st;
    if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
        unmake_parents(made);
        return ab_errf(e, AB_EUSAGE, "output directory %s is not a directory", buf);
    }
    return 0;
}

/* One CSV row (header or record) built with libcsv's csv_write, ending in
 * "\n", so it can be appended with a single write. Returns a malloc'd line. */
static char *csv_line(char *const *fields, size_t n, size_t *len_out)
{
    size_t cap = 2;
    for (size_t i = 0; i < n; i++)
        cap += csv_write(NULL, 0, fields[i], strlen(fields[i])) + 1;
    char *line = malloc(cap);
    if (!line)
        return NULL;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            line[len++] = ',';
        /* null / empty fields stay unquoted-empty; everything else is quoted */
        if (fields[i][0])
            len += csv_write(line + len, cap - len, fields[i], strlen(fields[i]));
    }
    line[len++] = '\n';
    line[len] = '\0';
    *len_out = len;
    return line;
}

static char *csv_header_line(size_t *len)
{
    return csv_line((char *const *)record_csv_columns, record_csv_ncolumns(), len);
}

/* Appends buf to fd with ONE write; on failure truncates fd back to its
 * former size (so no partial line stays) and returns the errno. */
static int append_once(int fd, const char *buf, size_t len, off_t *old_size)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return errno;
    *old_size = st.st_size;
    ssize_t w = write(fd, buf, len);
    int err = 0;
    if (w < 0) {
        err = errno;
    } else if ((size_t)w != len) {
        /* A short write: out of room or at a file-size limit. Writing the
         * rest says which (ENOSPC, EFBIG); the line is cut back either way. */
        ssize_t w2 = write(fd, buf + w, len - (size_t)w);
        err = w2 < 0 ? errno : ENOSPC;
    }
    if (!err && fsync(fd) != 0)
        err = errno;
    if (err && ftruncate(fd, st.st_size) == 0)
        fsync(fd);
    return err;
}

/* An append-only stream over open(2), so appends can be single write()s on
 * its descriptor (the FILE is never written through stdio). */
static FILE *open_fd_file(const char *path, int flags, ab_err *e)
{
    int fd = open(path, flags | O_WRONLY | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        ab_errf(e, AB_EUSAGE, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    FILE *f = fdopen(fd, "a");
    if (!f) {
        ab_errf(e, AB_EFAIL, "cannot open %s: %s", path, strerror(errno));
        close(fd);
    }
    return f;
}

int rundir_create(ab_rundir *d, const char *parent, const char *run_id, const char *backend, ab_err *e)
{
    memset(d, 0, sizeof *d);
    char id[256];
    if (run_id)
        ab_strlcpy(id, run_id, sizeof id);
    else
        make_run_id(id, sizeof id, backend);
    if (!parent || !parent[0])
        parent = ".";
    if (join(d->path, sizeof d->path, parent, id, e))
        return AB_EUSAGE;

    made_dirs made = {.n = 0};
    if (make_parents(parent, &made, e))
        return AB_EUSAGE;
    if (access(parent, W_OK | X_OK) != 0) {
        unmake_parents(&made);
        return ab_errf(e, AB_EUSAGE, "output directory %s is not writable", parent);
    }
    int mrc = mkdir(d->path, 0755);
    /* Two runs started in the same second on the same host and backend:
     * an automatic id gets a suffix rather than failing. */
    for (int n = 2; mrc != 0 && errno == EEXIST && !run_id && n < 100; n++) {
        char alt[300];
        snprintf(alt, sizeof alt, "%s-%d", id, n);
        if (join(d->path, sizeof d->path, parent, alt, e)) {
            unmake_parents(&made);
            return AB_EUSAGE;
        }
        mrc = mkdir(d->path, 0755);
    }
    if (mrc != 0) {
        int err = errno;
        unmake_parents(&made);
        if (err == EEXIST)
            return ab_errf(e, AB_EUSAGE, "run directory %s exists already", d->path);
        return ab_errf(e, AB_EUSAGE, "cannot create run directory %s: %s", d->path, strerror(err));
    }

    char jpath[1100] = "", cpath[1100] = "";
    size_t hlen = 0;
    char *header = NULL;
    int rc = join(jpath, sizeof jpath, d->path, JOURNAL_NAME, e);
    rc = rc ? rc : join(cpath, sizeof cpath, d->path, CSV_NAME, e);
    if (!rc)
        d->jsonl = open_fd_file(jpath, O_CREAT | O_EXCL, e);
    if (!rc && d->jsonl)
        d->csv = open_fd_file(cpath, O_CREAT | O_EXCL, e);
    if (!rc && d->csv) {
        header = csv_header_line(&hlen);
        off_t old;
        int err = header ? append_once(fileno(d->csv), header, hlen, &old) : ENOMEM;
        if (err)
            ab_errf(e, AB_EUSAGE, "cannot write %s: %s", cpath, strerror(err));
        else
            sync_dir(d->path);
        free(header);
        if (!err)
            return AB_OK;
    }
    /* Undo everything: no half-made run directory stays behind. */
    rundir_close(d);
    if (jpath[0])
        unlink(jpath);
    if (cpath[0])
        unlink(cpath);
    rmdir(d->path);
    unmake_parents(&made);
    return e ? (e->code ? e->code : AB_EUSAGE) : AB_EUSAGE;
}

/* Drops an incomplete last line (a crash mid-write) so appends start clean. */
static int cut_partial_tail(int fd, const char *path, ab_err *e)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return ab_errf(e, AB_EUSAGE, "cannot read %s: %s", path, strerror(errno));
    off_t end = st.st_size;
    char buf[4096];
    while (end > 0) {
        off_t start = end > (off_t)sizeof buf ? end - (off_t)sizeof buf : 0;
        ssize_t r = pread(fd, buf, (size_t)(end - start), start);
        if (r <= 0)
            return ab_errf(e, AB_EUSAGE, "cannot read %s: %s", path, strerror(errno));
        for (ssize_t i = r - 1; i >= 0; i--) {
            if (buf[i] == '\n') {
                off_t keep = start + i + 1;
                if (keep != st.st_size && ftruncate(fd, keep) != 0)
                    return ab_errf(e, AB_EUSAGE, "cannot repair %s: %s", path, strerror(errno));
                return 0;
            }
        }
        end = start;
    }
    if (st.st_size > 0 && ftruncate(fd, 0) != 0)
        return ab_errf(e, AB_EUSAGE, "cannot repair %s: %s", path, strerror(errno));
    return 0;
}

static int count_lines(int fd)
{
    char buf[8192];
    int n = 0;
    off_t off = 0;
    ssize_t r;
    while ((r = pread(fd, buf, sizeof buf, off)) > 0) {
        for (ssize_t i = 0; i < r; i++)
            n += buf[i] == '\n';
        off += r;
    }
    return n;
}

int rundir_open_append(ab_rundir *d, const char *path, ab_err *e)
{
    memset(d, 0, sizeof *d);
    if (strlen(path) >= sizeof d->path)
        return ab_errf(e, AB_EUSAGE, "path too long: %s", path);
    ab_strlcpy(d->path, path, sizeof d->path);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return ab_errf(e, AB_EUSAGE, "%s is not a run directory", path);

    char jpath[1100], cpath[1100];
    if (join(jpath, sizeof jpath, path, JOURNAL_NAME, e) || join(cpath, sizeof cpath, path, CSV_NAME, e))
        return AB_EUSAGE;
    d->jsonl = open_fd_file(jpath, O_CREAT, e);
    if (!d->jsonl)
        return AB_EUSAGE;
    d->csv = open_fd_file(cpath, O_CREAT, e);
    if (!d->csv) {
        rundir_close(d);
        return AB_EUSAGE;
    }
    /* O_APPEND descriptors are opened write-only; read through new ones. */
    int rc = 0;
    int jr = open(jpath, O_RDWR | O_CLOEXEC);
    int cr = open(cpath, O_RDWR | O_CLOEXEC);
    if (jr < 0 || cr < 0)
        rc = ab_errf(e, AB_EUSAGE, "cannot open %s: %s", jr < 0 ? jpath : cpath, strerror(errno));
    rc = rc ? rc : cut_partial_tail(jr, jpath, e);
    rc = rc ? rc : cut_partial_tail(cr, cpath, e);
    if (!rc) {
        d->ncases = count_lines(jr);
        struct stat cs;
        if (fstat(cr, &cs) == 0 && cs.st_size == 0) {
            size_t hlen;
            char *header = csv_header_line(&hlen);
            off_t old;
            int err = header ? append_once(fileno(d->csv), header, hlen, &old) : ENOMEM;
            free(header);
            if (err)
                rc = ab_errf(e, AB_EUSAGE, "cannot write %s: %s", cpath, strerror(err));
        }
    }
    if (jr >= 0)
        close(jr);
    if (cr >= 0)
        close(cr);
    if (rc)
        rundir_close(d);
    return rc;
}

static char *json_text(const void *json, int formatted, size_t *len)
{
    char *s = formatted ? cJSON_Print(json) : cJSON_PrintUnformatted(json);
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *t = realloc(s, n + 2);
    if (!t) {
        free(s);
        return NULL;
    }
    t[n] = '\n';
    t[n + 1] = '\0';
    *len = n + 1;
    return t;
}

int rundir_write_meta(ab_rundir *d, const void *meta, ab_err *e)
{
    char path[1100];
    if (join(path, sizeof path, d->path, META_NAME, e))
        return AB_EUSAGE;
    size_t len;
    char *text = json_text(meta, 1, &len);
    if (!text)
        return ab_errf(e, AB_EFAIL, "cannot format %s: out of memory", path);
    int rc = ab_write_file_atomic(path, text, len, e);
    free(text);
    return rc;
}

int rundir_append(ab_rundir *d, const ab_record *r, ab_err *e)
{
    char jpath[1100], cpath[1100];
    if (join(jpath, sizeof jpath, d->path, JOURNAL_NAME, e) ||
        join(cpath, sizeof cpath, d->path, CSV_NAME, e))
        return AB_EUSAGE;
    if (!d->jsonl || !d->csv)
        return ab_errf(e, AB_EFAIL, "%s is not open for appending", d->path);

    cJSON *j = record_to_json(r, 1);
    size_t jlen = 0, clen = 0;
    char *jline = j ? json_text(j, 0, &jlen) : NULL;
    cJSON_Delete(j);
    char **fields = record_to_csv_fields(r);
    size_t nf = record_csv_ncolumns();
    char *cline = fields ? csv_line(fields, nf, &clen) : NULL;
    for (size_t i = 0; fields && i < nf; i++)
        free(fields[i]);
    free(fields);
    if (!jline || !cline) {
        free(jline);
        free(cline);
        return ab_errf(e, AB_EFAIL, "cannot format the record of %s: out of memory", r->key);
    }

    off_t jold, cold;
    char why[160];
    int rc = AB_OK;
    int err = append_once(fileno(d->jsonl), jline, jlen, &jold);
    if (err) {
        rc = ab_errf(e, AB_EFAIL, "cannot append to %s: %s", jpath, write_error(err, why, sizeof why));
    } else {
        err = append_once(fileno(d->csv), cline, clen, &cold);
        if (err) {
            /* keep the two files in step: the case is not journaled either */
            if (ftruncate(fileno(d->jsonl), jold) == 0)
                fsync(fileno(d->jsonl));
            rc = ab_errf(e, AB_EFAIL, "cannot append to %s: %s", cpath, write_error(err, why, sizeof why));
        } else {
            d->ncases++;
        }
    }
    free(jline);
    free(cline);
    return rc;
}

int rundir_finish(ab_rundir *d, const void *meta, ab_err *e)
{
    char jpath[1100], rpath[1100];
    if (join(jpath, sizeof jpath, d->path, JOURNAL_NAME, e) ||
        join(rpath, sizeof rpath, d->path, RESULTS_NAME, e))
        return AB_EUSAGE;
    ab_run run;
    int rc = run_load_jsonl(&run, jpath, e);
    if (rc)
        return rc;
    cJSON *doc = meta ? cJSON_Duplicate(meta, 1) : cJSON_CreateObject();
    cJSON *cases = cJSON_CreateArray();
    if (!doc || !cases) {
        cJSON_Delete(doc);
        cJSON_Delete(cases);
        run_free(&run);
        return ab_errf(e, AB_EFAIL, "cannot build %s: out of memory", rpath);
    }
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "cases");
    for (size_t i = 0; i < run.n; i++)
        cJSON_AddItemToArray(cases, record_to_json(&run.recs[i], 1));
    cJSON_AddItemToObject(doc, "cases", cases);
    run_free(&run);
    size_t len;
    char *text = json_text(doc, 1, &len);
    cJSON_Delete(doc);
    if (!text)
        return ab_errf(e, AB_EFAIL, "cannot format %s: out of memory", rpath);
    rc = ab_write_file_atomic(rpath, text, len, e);
    free(text);
    return rc;
}

void rundir_close(ab_rundir *d)
{
    if (d->jsonl)
        fclose(d->jsonl);
    if (d->csv)
        fclose(d->csv);
    d->jsonl = d->csv = NULL;
}
