/* platform.h: the few things Linux and macOS do differently, behind one
 * small interface so the rest of the code holds no platform #ifdefs for them:
 * durable fsync, a file's modification time, this executable's path, a
 * process that must not outlive its parent, and memory for big buffers. */
#ifndef AB_PLATFORM_H
#define AB_PLATFORM_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

/* Flushes fd's data to the storage device. On macOS fsync() only hands the
 * data to the drive, which may keep it in its cache across a power loss
 * (fsync(2) man page); F_FULLFSYNC asks the drive to write it out. Where the
 * file system does not support F_FULLFSYNC, falls back to fsync(). Returns 0
 * or -1 with errno set. */
int ab_fsync(int fd);

/* The modification time of a stat result (st_mtim on Linux, st_mtimespec on
 * macOS). */
struct timespec ab_stat_mtime(const struct stat *st);

/* Absolute, symlink-resolved path of this executable into buf (size n).
 * Returns 0, or -1 when it cannot be found or does not fit. */
int ab_self_exe(char *buf, size_t n);

/* Makes this process end (SIGKILL, as if killed with it) once the process
 * `parent` exits, so a worker whose scheduler was killed with -9 does not go
 * on measuring for nobody. Linux: the kernel's parent-death signal (prctl
 * PR_SET_PDEATHSIG). Elsewhere, or with portable set (tests): a detached
 * thread that waits for the parent to exit (kqueue EVFILT_PROC/NOTE_EXIT on
 * macOS, which wakes only then) or, where that is not available, checks
 * getppid() every 100 ms (an orphan is re-parented, so getppid() changes).
 * Returns 0; -1 if parent is already gone (then the caller should stop) or
 * the watch cannot be set up (errno set). */
int ab_exit_with_parent(pid_t parent, int portable);

/* Memory for a big buffer the host fills itself, outside every measured
 * phase (a case's data and weight files, the simulator's surfaces, outputs
 * read back), freed with free() (harness/bigmem.h is the reader's kind,
 * its own mappings). On Linux a request of AB_HOST_HUGE_BYTES or more is
 * 2 MiB aligned and asked for in transparent huge pages (madvise
 * MADV_HUGEPAGE; the kernel may decline), so first touching it costs a page
 * fault per 2 MiB, not per 4 KiB: on the project's virtual machine a fault
 * costs about 14 us, 56 ms for a 2048 x 2048 case's 16 MiB of weights.
 * Elsewhere, and for smaller requests, malloc. NULL when out of memory.
 * Never for what a measured phase allocates (the cpu backend's load counts
 * its page faults). */
#define AB_HOST_HUGE_BYTES (4u << 20)
void *ab_host_alloc(size_t n);

#endif
