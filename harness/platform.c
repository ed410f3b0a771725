/* platform.c: Linux and macOS implementations of platform.h. */
#include "harness/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __APPLE__
#include <mach-o/dyld.h>
#include <sys/event.h>
#endif
#ifdef __linux__
#include <sys/mman.h>
#include <sys/prctl.h>
#endif

int ab_fsync(int fd)
{
#ifdef F_FULLFSYNC
    if (fcntl(fd, F_FULLFSYNC) == 0)
        return 0;
    if (errno == EBADF)
        return -1;
        /* ENOTSUP/EINVAL: a file system (or a directory) without it. */
#endif
    return fsync(fd);
}

void *ab_host_alloc(size_t n)
{
#ifdef MADV_HUGEPAGE
    if (n >= AB_HOST_HUGE_BYTES) {
        size_t huge = (size_t)2 << 20;
        void *p = NULL;
        size_t len = (n + huge - 1) / huge * huge;
        if (posix_memalign(&p, huge, len) != 0)
            return NULL;
        madvise(p, len, MADV_HUGEPAGE); /* a hint: declined, it is plain memory */
        return p;
    }
#endif
    return malloc(n ? n : 1);
}

struct timespec ab_stat_mtime(const struct stat *st)
{
#ifdef __APPLE__
    return st->st_mtimespec;
#else
    return st->st_mtim;
#endif
}

int ab_self_exe(char *buf, size_t n)
{
    char raw[PATH_MAX], real[PATH_MAX];
#ifdef __APPLE__
    uint32_t size = sizeof raw;
    if (_NSGetExecutablePath(raw, &size) != 0)
        return -1;
#else
    ssize_t k = readlink("/proc/self/exe", raw, sizeof raw - 1);
    if (k <= 0)
        return -1;
    raw[k] = '\0';
#endif
    if (!realpath(raw, real))
        return -1;
    size_t len = strlen(real);
    if (len >= n)
        return -1;
    memcpy(buf, real, len + 1);
    return 0;
}

/* Waits until the process whose id is in arg exits or this process is
 * orphaned, then kills this process. */
static void *watch_parent(void *arg)
{
    pid_t parent = (pid_t)(intptr_t)arg;
#ifdef __APPLE__
    int kq = kqueue();
    if (kq >= 0) {
        struct kevent ev;
        EV_SET(&ev, (uintptr_t)parent, EVFILT_PROC, EV_ADD | EV_ONESHOT, NOTE_EXIT, 0, NULL);
        /* ESRCH at registration: the parent is already gone. */
        if (kevent(kq, &ev, 1, NULL, 0, NULL) == 0 || errno == ESRCH) {
            while (getppid() == parent && kevent(kq, NULL, 0, &ev, 1, NULL) < 0 && errno == EINTR)
                ;
            kill(getpid(), SIGKILL);
        }
        close(kq);
    }
#endif
    const struct timespec tick = {0, 100 * 1000 * 1000};
    while (getppid() == parent)
        nanosleep(&tick, NULL);
    kill(getpid(), SIGKILL);
    return NULL;
}

int ab_exit_with_parent(pid_t parent, int portable)
{
#ifdef __linux__
    if (!portable) {
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
            return -1;
        return getppid() == parent ? 0 : -1;
    }
#else
    (void)portable;
#endif
    if (getppid() != parent)
        return -1;
    pthread_attr_t attr;
    pthread_t t;
    if (pthread_attr_init(&attr) != 0)
        return -1;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&t, &attr, watch_parent, (void *)(intptr_t)parent);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    return getppid() == parent ? 0 : -1;
}
