/* sink.c: the run directory and its files (see sink.h).
 *
 * Durability rules: a journal line is one write() followed by fsync, so a
 * crash leaves at most one incomplete last line (which the reader drops);
 * a failed append is rolled back by truncating both files to their size
 * before it; whole files (run.json, results.json) are replaced atomically
 * by writing a temporary, fsyncing it and renaming it over the old one
 * (harness/outfile.c); the journal is never opened through a symbolic link.
 * Every fsync is ab_fsync (platform.h): on macOS it reaches the disk. */
#include "harness/sink.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness/outfile.h"
#include "harness/platform.h"
#include "harness/reader.h"

#define JOURNAL_NAME "cases.jsonl"
#define META_NAME "run.json"

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
        ab_fsync(fd);
        close(fd);
    }
}

int ab_write_file_atomic(const char *path, const char *text, size_t len, ab_err *e)
{
    return ab_write_out(path, text, len, AB_OUT_OWN, e);
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
        return ab_errf(e, AB_EUSAGE, "output directory %s %s", buf, ab_not_dir_reason(buf));
    }
    return 0;
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
    if (!err && ab_fsync(fd) != 0)
        err = errno;
    if (err && ftruncate(fd, st.st_size) == 0)
        ab_fsync(fd);
    return err;
}

/* An append-only descriptor, so each append is a single write(). */
static int open_append_fd(const char *path, int flags, ab_err *e)
{
    int fd = open(path, flags | O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        ab_errf(e, AB_EUSAGE, "cannot open %s: %s", path, strerror(errno));
    return fd;
}

static void fds_none(ab_rundir *d)
{
    for (int i = 0; i < AB_MAX_SINKS; i++)
        d->fd[i] = -1;
}

/* Writes sink i's header (if it has one) to its new, empty file. */
static int write_header(ab_rundir *d, int i, const char *path, ab_err *e)
{
    if (!ab_sinks[i]->header)
        return 0;
    size_t hlen = 0;
    char *header = ab_sinks[i]->header(&hlen);
    off_t old;
    int err = header ? append_once(d->fd[i], header, hlen, &old) : ENOMEM;
    free(header);
    if (err)
        return ab_errf(e, AB_EUSAGE, "cannot write %s: %s", path, strerror(err));
    return 0;
}

int rundir_create(ab_rundir *d, const char *parent, const char *run_id, const char *backend, ab_err *e)
{
    memset(d, 0, sizeof *d);
    fds_none(d);
    char id[256];
    if (run_id)
        ab_strlcpy(id, run_id, sizeof id);
    else
        make_run_id(id, sizeof id, backend);
    if (!parent || !parent[0])
        parent = ".";
    if (join(d->path, sizeof d->path, parent, id, e))
        return AB_EUSAGE;

    made_dirs made_dirs_ = {.n = 0};
    if (make_parents(parent, &made_dirs_, e))
        return AB_EUSAGE;
    if (access(parent, W_OK | X_OK) != 0) {
        unmake_parents(&made_dirs_);
        return ab_errf(e, AB_EUSAGE, "output directory %s is not writable", parent);
    }
    int mrc = mkdir(d->path, 0755);
    /* Two runs started in the same second on the same host and backend:
     * an automatic id gets a suffix rather than failing. */
    for (int n = 2; mrc != 0 && errno == EEXIST && !run_id && n < 100; n++) {
        char alt[300];
        snprintf(alt, sizeof alt, "%s-%d", id, n);
        if (join(d->path, sizeof d->path, parent, alt, e)) {
            unmake_parents(&made_dirs_);
            return AB_EUSAGE;
        }
        mrc = mkdir(d->path, 0755);
    }
    if (mrc != 0) {
        int err = errno;
        unmake_parents(&made_dirs_);
        if (err == EEXIST)
            return ab_errf(e, AB_EUSAGE, "run directory %s exists already", d->path);
        return ab_errf(e, AB_EUSAGE, "cannot create run directory %s: %s", d->path, strerror(err));
    }

    /* One file per append format, each new, with its header. */
    char paths[AB_MAX_SINKS][1100];
    int rc = 0, i;
    for (i = 0; ab_sinks[i] && !rc; i++) {
        paths[i][0] = '\0';
        if (!ab_sinks[i]->line)
            continue;
        rc = join(paths[i], sizeof paths[i], d->path, ab_sinks[i]->file, e);
        if (!rc && (d->fd[i] = open_append_fd(paths[i], O_CREAT | O_EXCL, e)) < 0)
            rc = AB_EUSAGE;
        rc = rc ? rc : write_header(d, i, paths[i], e);
    }
    if (!rc) {
        sync_dir(d->path);
        return AB_OK;
    }
    /* Undo everything: no half-made run directory stays behind. */
    int made = i;
    for (i = 0; i < made; i++)
        if (d->fd[i] >= 0)
            unlink(paths[i]);
    rundir_close(d);
    rmdir(d->path);
    unmake_parents(&made_dirs_);
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
    fds_none(d);
    if (strlen(path) >= sizeof d->path)
        return ab_errf(e, AB_EUSAGE, "path too long: %s", path);
    ab_strlcpy(d->path, path, sizeof d->path);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return ab_errf(e, AB_EUSAGE, "%s is not a run directory", path);

    int rc = 0;
    for (int i = 0; ab_sinks[i] && !rc; i++) {
        if (!ab_sinks[i]->line)
            continue;
        char fpath[1100];
        if (join(fpath, sizeof fpath, path, ab_sinks[i]->file, e))
            return AB_EUSAGE;
        if ((d->fd[i] = open_append_fd(fpath, O_CREAT, e)) < 0) {
            rc = AB_EUSAGE;
            break;
        }
        /* O_APPEND descriptors are opened write-only; read through a new one. */
        int rd = open(fpath, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
        if (rd < 0) {
            rc = ab_errf(e, AB_EUSAGE, "cannot open %s: %s", fpath, strerror(errno));
            break;
        }
        rc = cut_partial_tail(rd, fpath, e);
        if (!rc && ab_sinks[i] == &ab_sink_journal)
            d->ncases = count_lines(rd);
        struct stat fs;
        if (!rc && fstat(rd, &fs) == 0 && fs.st_size == 0)
            rc = write_header(d, i, fpath, e);
        close(rd);
    }
    if (rc)
        rundir_close(d);
    return rc;
}

char *sink_json_text(const void *json, int formatted, size_t *len)
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

int rundir_write_meta(ab_rundir *d, const ab_runinfo *ri, ab_err *e)
{
    char path[1100];
    if (join(path, sizeof path, d->path, META_NAME, e))
        return AB_EUSAGE;
    cJSON *doc = runinfo_to_json(ri);
    size_t len;
    char *text = doc ? sink_json_text(doc, 1, &len) : NULL;
    cJSON_Delete(doc);
    if (!text)
        return ab_errf(e, AB_EFAIL, "cannot format %s: out of memory", path);
    int rc = ab_write_file_atomic(path, text, len, e);
    free(text);
    runinfo_cols(ri, &d->cols);
    return rc;
}

int rundir_append(ab_rundir *d, const ab_record *r, ab_err *e)
{
    char *text[AB_MAX_SINKS] = {0};
    size_t len[AB_MAX_SINKS] = {0};
    off_t old[AB_MAX_SINKS];
    int rc = AB_OK, n = 0;
    for (int i = 0; ab_sinks[i]; i++, n++) {
        if (!ab_sinks[i]->line)
            continue;
        if (d->fd[i] < 0) {
            rc = ab_errf(e, AB_EFAIL, "%s is not open for appending", d->path);
            break;
        }
        if (!(text[i] = ab_sinks[i]->line(r, &d->cols, &len[i]))) {
            rc = ab_errf(e, AB_EFAIL, "cannot format the record of %s: out of memory", r->key);
            break;
        }
    }
    for (int i = 0; !rc && i < n; i++) {
        if (!text[i])
            continue;
        int err = append_once(d->fd[i], text[i], len[i], &old[i]);
        if (err) {
            char fpath[1100], why[160];
            snprintf(fpath, sizeof fpath, "%s/%s", d->path, ab_sinks[i]->file);
            rc = ab_errf(e, AB_EFAIL, "cannot append to %s: %s", fpath, write_error(err, why, sizeof why));
            /* keep the files in step: the case is in none of them */
            for (int k = 0; k < i; k++)
                if (text[k] && ftruncate(d->fd[k], old[k]) == 0)
                    ab_fsync(d->fd[k]);
        }
    }
    if (!rc)
        d->ncases++;
    for (int i = 0; i < n; i++)
        free(text[i]);
    return rc;
}

int rundir_finish(ab_rundir *d, const ab_runinfo *ri, ab_err *e)
{
    char jpath[1100];
    if (join(jpath, sizeof jpath, d->path, JOURNAL_NAME, e))
        return AB_EUSAGE;
    ab_run run;
    int rc = run_load_jsonl(&run, jpath, e);
    for (int i = 0; !rc && ab_sinks[i]; i++) {
        if (!ab_sinks[i]->whole)
            continue;
        char path[1100];
        size_t len = 0;
        if (join(path, sizeof path, d->path, ab_sinks[i]->file, e)) {
            rc = AB_EUSAGE;
            break;
        }
        char *text = ab_sinks[i]->whole(ri, run.recs, run.n, &len);
        rc = text ? ab_write_file_atomic(path, text, len, e)
                  : ab_errf(e, AB_EFAIL, "cannot format %s: out of memory", path);
        free(text);
    }
    run_free(&run);
    return rc;
}

int rundir_rewrite(const char *dir, const ab_runinfo *ri, const ab_record *recs, size_t n, ab_err *e)
{
    ab_runcols cols;
    runinfo_cols(ri, &cols);
    int rc = AB_OK;
    for (int i = 0; ab_sinks[i] && rc == AB_OK; i++) {
        const ab_sink_ops *s = ab_sinks[i];
        if (!s->line)
            continue;
        char *buf = NULL;
        size_t blen = 0;
        FILE *f = open_memstream(&buf, &blen);
        if (!f)
            return ab_errf(e, AB_EFAIL, "out of memory");
        size_t len = 0;
        char *t = s->header ? s->header(&len) : NULL;
        if (s->header && !t)
            rc = ab_errf(e, AB_EFAIL, "out of memory");
        else if (t)
            fwrite(t, 1, len, f);
        free(t);
        for (size_t k = 0; k < n && rc == AB_OK; k++) {
            if (!(t = s->line(&recs[k], &cols, &len)))
                rc = ab_errf(e, AB_EFAIL, "out of memory");
            else
                fwrite(t, 1, len, f);
            free(t);
        }
        if (fclose(f) != 0 && rc == AB_OK)
            rc = ab_errf(e, AB_EFAIL, "out of memory");
        char path[1100];
        if (rc == AB_OK && join(path, sizeof path, dir, s->file, e))
            rc = AB_EUSAGE;
        if (rc == AB_OK)
            rc = ab_write_file_atomic(path, buf, blen, e);
        free(buf);
    }
    return rc;
}

void rundir_close(ab_rundir *d)
{
    for (int i = 0; i < AB_MAX_SINKS; i++) {
        if (d->fd[i] >= 0)
            close(d->fd[i]);
        d->fd[i] = -1;
    }
}
