/* outfile.c: writing a whole file without harming what is at its name
 * (see outfile.h for the rules). */
#include "harness/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __APPLE__
#include <sys/random.h>
#endif

#include "harness/platform.h"

/* resolve()'s answers, apart from the error codes it may return */
enum { KIND_NEW = 100, KIND_REGULAR, KIND_DIRECT };

/* strerror, with what to do about a file-size limit (EFBIG reads "File
 * too large", which sounds like the file's fault). */
static const char *why(int err, char *buf, size_t n)
{
    if (err == EFBIG)
        snprintf(buf, n, "%s (the process's file-size limit, ulimit -f)", strerror(err));
    else
        snprintf(buf, n, "%s", strerror(err));
    return buf;
}

void ab_random_hex(char *buf, size_t n)
{
    unsigned char raw[128];
    size_t want = (n > 0 ? n - 1 : 0) / 2 + 1;
    if (want > sizeof raw)
        want = sizeof raw;
    if (getentropy(raw, want) != 0) {
        /* No entropy source: the O_EXCL create still keeps the name safe,
         * only less unpredictable. */
        uint64_t x = (uint64_t)time(NULL) * 6364136223846793005ull ^ (uint64_t)getpid() ^ (uintptr_t)buf;
        for (size_t i = 0; i < want; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            raw[i] = (unsigned char)(x >> 56);
        }
    }
    static const char hex[] = "0123456789abcdef";
    size_t i = 0;
    for (; n > 0 && i + 1 < n; i++)
        buf[i] = hex[(raw[i / 2] >> (i % 2 ? 0 : 4)) & 15];
    if (n > 0)
        buf[i] = '\0';
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

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ab_fsync(fd);
        close(fd);
    }
}

/* A link the user may be taken to have made: their own, or in a folder
 * only its owner (the user, or root) can write. */
static int link_trusted(const char *link, const struct stat *lst)
{
    char dir[1100];
    struct stat dst;
    uid_t me = geteuid();
    if (lst->st_uid == me)
        return 1;
    dir_of(link, dir, sizeof dir);
    if (stat(dir, &dst) != 0)
        return 0;
    return !(dst.st_mode & (S_IWGRP | S_IWOTH)) && (dst.st_uid == me || dst.st_uid == 0);
}

/* What is at path, following the links the rules allow: KIND_* with the
 * final name in out and its stat in st, or an error. */
static int resolve(const char *path, int how, char *out, size_t n, struct stat *st, ab_err *e)
{
    char cur[1100], target[1100], dir[1100];
    if (strlen(path) >= sizeof cur)
        return ab_errf(e, AB_EUSAGE, "path too long: %s", path);
    ab_strlcpy(cur, path, sizeof cur);
    for (int hops = 0; hops < 16; hops++) {
        if (lstat(cur, st) != 0) {
            if (errno != ENOENT)
                return ab_errf(e, AB_EUSAGE, "cannot write '%s': %s", cur, strerror(errno));
            ab_strlcpy(out, cur, n);
            return KIND_NEW;
        }
        if (S_ISDIR(st->st_mode))
            return ab_errf(e, AB_EUSAGE, "cannot write '%s': it is a folder", cur);
        if (S_ISREG(st->st_mode) || (how == AB_OUT_OWN && S_ISLNK(st->st_mode))) {
            ab_strlcpy(out, cur, n);
            return S_ISREG(st->st_mode) ? KIND_REGULAR : KIND_NEW;
        }
        if (!S_ISLNK(st->st_mode)) {
            if (how == AB_OUT_OWN) { /* a node in our own folder: replaced as a name */
                ab_strlcpy(out, cur, n);
                return KIND_NEW;
            }
            ab_strlcpy(out, cur, n);
            return KIND_DIRECT;
        }
        if (!link_trusted(cur, st))
            return ab_errf(e, AB_EUSAGE,
                           "'%s' is a symbolic link someone else made in a folder others can write: not "
                           "followed (name its target, or remove the link)",
                           cur);
        ssize_t l = readlink(cur, target, sizeof target - 1);
        if (l < 0)
            return ab_errf(e, AB_EUSAGE, "cannot read the link '%s': %s", cur, strerror(errno));
        target[l] = '\0';
        if (target[0] == '/') {
            ab_strlcpy(cur, target, sizeof cur);
        } else {
            dir_of(cur, dir, sizeof dir);
            if (snprintf(cur, sizeof cur, "%s/%s", dir, target) >= (int)sizeof cur)
                return ab_errf(e, AB_EUSAGE, "path too long: %s/%s", dir, target);
        }
    }
    return ab_errf(e, AB_EUSAGE, "cannot write '%s': too many levels of symbolic links (a loop?)", path);
}

/* A new temporary next to path: "<dir>/.anebench-<random>.tmp", created
 * exclusively (never through a link). fd, or -1 with errno. */
static int make_temp(const char *path, char *tmp, size_t n)
{
    char dir[1100], rnd[17];
    dir_of(path, dir, sizeof dir);
    for (int tries = 0; tries < 32; tries++) {
        ab_random_hex(rnd, sizeof rnd);
        if (snprintf(tmp, n, "%s/.anebench-%s.tmp", dir, rnd) >= (int)n) {
            errno = ENAMETOOLONG;
            return -1;
        }
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

int ab_outfile_open(ab_outfile *o, const char *path, int how, ab_err *e)
{
    struct stat st;
    memset(o, 0, sizeof *o);
    int kind = resolve(path, how, o->path, sizeof o->path, &st, e);
    if (kind < KIND_NEW)
        return kind;
    int fd;
    if (kind == KIND_DIRECT) {
        fd = open(o->path, O_WRONLY | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
        struct stat now;
        if (fd >= 0 && (fstat(fd, &now) != 0 || S_ISREG(now.st_mode) || S_ISDIR(now.st_mode))) {
            close(fd);
            return ab_errf(e, AB_EUSAGE, "cannot write '%s': it changed while being opened", o->path);
        }
        o->direct = 1;
    } else {
        fd = make_temp(o->path, o->tmp, sizeof o->tmp);
        if (fd >= 0 && kind == KIND_REGULAR)
            (void)fchmod(fd, st.st_mode & 07777);
    }
    if (fd < 0)
        return ab_errf(e, AB_EUSAGE, "cannot write '%s': %s", o->path, strerror(errno));
    o->f = fdopen(fd, "w");
    if (!o->f) {
        int err = errno;
        close(fd);
        ab_outfile_abort(o);
        return ab_errf(e, AB_EFAIL, "cannot write '%s': %s", o->path, strerror(err));
    }
    return AB_OK;
}

void ab_outfile_abort(ab_outfile *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    if (o->tmp[0])
        unlink(o->tmp);
    o->tmp[0] = '\0';
}

int ab_outfile_commit(ab_outfile *o, ab_err *e)
{
    char buf[160];
    int err = 0;
    if (fflush(o->f) != 0 || ferror(o->f))
        err = errno ? errno : EIO;
    if (!err && !o->direct && ab_fsync(fileno(o->f)) != 0)
        err = errno;
    if (fclose(o->f) != 0 && !err)
        err = errno;
    o->f = NULL;
    if (!err && !o->direct && rename(o->tmp, o->path) != 0)
        err = errno;
    if (err) {
        ab_outfile_abort(o);
        return ab_errf(e, AB_EFAIL, "cannot write %s: %s", o->path, why(err, buf, sizeof buf));
    }
    if (!o->direct) {
        o->tmp[0] = '\0';
        char dir[1100];
        dir_of(o->path, dir, sizeof dir);
        sync_dir(dir);
    }
    return AB_OK;
}

int ab_write_out(const char *path, const char *text, size_t len, int how, ab_err *e)
{
    ab_outfile o;
    int rc = ab_outfile_open(&o, path, how, e);
    if (rc != AB_OK)
        return rc;
    if (len && fwrite(text, 1, len, o.f) != len) {
        char buf[160];
        int err = errno ? errno : EIO;
        ab_outfile_abort(&o);
        return ab_errf(e, AB_EFAIL, "cannot write %s: %s", o.path, why(err, buf, sizeof buf));
    }
    return ab_outfile_commit(&o, e);
}

int ab_outfile_place(const char *from, const char *path, int how, ab_err *e)
{
    struct stat st;
    char to[1100], buf[160];
    int kind = resolve(path, how, to, sizeof to, &st, e);
    if (kind < KIND_NEW) {
        unlink(from);
        return kind;
    }
    if (kind == KIND_DIRECT) {
        ab_outfile o;
        FILE *in = fopen(from, "rb");
        int rc = in ? ab_outfile_open(&o, to, how, e)
                    : ab_errf(e, AB_EFAIL, "cannot read %s: %s", from, strerror(errno));
        if (rc == AB_OK) {
            char chunk[65536];
            size_t got;
            while ((got = fread(chunk, 1, sizeof chunk, in)) > 0)
                if (fwrite(chunk, 1, got, o.f) != got)
                    break;
            rc = ferror(in) ? (ab_outfile_abort(&o), ab_errf(e, AB_EFAIL, "cannot read %s", from))
                            : ab_outfile_commit(&o, e);
        }
        if (in)
            fclose(in);
        unlink(from);
        return rc;
    }
    if (kind == KIND_REGULAR)
        (void)chmod(from, st.st_mode & 07777);
    if (rename(from, to) != 0) {
        int err = errno;
        unlink(from);
        return ab_errf(e, AB_EFAIL, "cannot write %s: %s", to, why(err, buf, sizeof buf));
    }
    char dir[1100];
    dir_of(to, dir, sizeof dir);
    sync_dir(dir);
    return AB_OK;
}

int ab_private_dir(const char *dir, const char *prefix, char *buf, size_t n, ab_err *e)
{
    char rnd[13];
    for (int tries = 0; tries < 32; tries++) {
        ab_random_hex(rnd, sizeof rnd);
        if (snprintf(buf, n, "%s/.%s-%s", dir, prefix, rnd) >= (int)n)
            return ab_errf(e, AB_EUSAGE, "path too long: %s", dir);
        if (mkdir(buf, 0700) == 0)
            return AB_OK;
        if (errno != EEXIST)
            return ab_errf(e, AB_EUSAGE, "cannot write in '%s': %s", dir, strerror(errno));
    }
    return ab_errf(e, AB_EFAIL, "cannot make a private folder in '%s'", dir);
}

const char *ab_not_dir_reason(const char *path)
{
    struct stat st, lst;
    if (stat(path, &st) == 0)
        return S_ISDIR(st.st_mode) ? "" : "is not a folder (a file of that name is there)";
    int err = errno;
    if (err == ELOOP)
        return "is a loop of symbolic links";
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        return "is a symbolic link to nothing (dangling: its target does not exist)";
    return strerror(err);
}
