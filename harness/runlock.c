/* runlock.c: one process per run directory (see runlock.h). POSIX record
 * locks rather than flock(2): F_GETLK names the holder's pid, they are not
 * inherited by the workers posix_spawn starts, and NFS passes them to its
 * lock manager. Their one caveat, that closing any descriptor of the file
 * drops the lock, is harmless: only this module ever opens run.lock. */
#include "harness/runlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct flock whole_file(short type)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = 0;
    fl.l_len = 0; /* to the end, however long */
    return fl;
}

/* The pid holding fd's lock: from the kernel (F_GETLK), else from the
 * file's text; 0 when neither says. */
static long holder_pid(int fd)
{
    struct flock fl = whole_file(F_WRLCK);
    if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK && fl.l_pid > 0)
        return (long)fl.l_pid;
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    long pid = 0;
    if (n > 0) {
        buf[n] = '\0';
        if (sscanf(buf, "%ld", &pid) != 1 || pid < 0)
            pid = 0;
    }
    return pid;
}

int runlock_take(ab_runlock *l, const char *dir, ab_err *e)
{
    l->fd = -1;
    l->note[0] = '\0';
    char path[1100];
    if (snprintf(path, sizeof path, "%s/%s", dir, AB_RUNLOCK_NAME) >= (int)sizeof path)
        return ab_errf(e, AB_EUSAGE, "path too long: %s", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        return ab_errf(e, AB_EFAIL, "cannot open the run's lock %s: %s", path, strerror(errno));
    struct flock fl = whole_file(F_WRLCK);
    while (fcntl(fd, F_SETLK, &fl) != 0) {
        int err = errno;
        if (err == EINTR)
            continue;
        if (err == EACCES || err == EAGAIN) {
            long pid = holder_pid(fd);
            close(fd);
            if (pid > 0)
                return ab_errf(e, AB_EUSAGE,
                               "%s is in use by another anebench (pid %ld); wait for it or stop it", dir,
                               pid);
            return ab_errf(e, AB_EUSAGE, "%s is in use by another anebench; wait for it or stop it", dir);
        }
        close(fd);
        if (err == ENOLCK || err == EOPNOTSUPP || err == ENOSYS) {
            snprintf(l->note, sizeof l->note, "cannot lock %.100s (%s): nothing keeps a second process out",
                     path, strerror(err));
            return AB_OK;
        }
        return ab_errf(e, AB_EFAIL, "cannot lock %s: %s", path, strerror(err));
    }
    /* For people: who owns it. Errors here do not matter (the lock does). */
    char text[32];
    int n = snprintf(text, sizeof text, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) == 0 && pwrite(fd, text, (size_t)n, 0) != n) {
        /* nothing: the kernel's lock is what counts */
    }
    l->fd = fd;
    return AB_OK;
}

void runlock_release(ab_runlock *l)
{
    if (l->fd >= 0)
        close(l->fd); /* closing drops the lock */
    l->fd = -1;
}
