/* runlock.h: a run directory is owned by one process at a time.
 *
 * The owner holds a POSIX write lock (fcntl F_SETLK) on DIR/run.lock for
 * as long as it works on the run; the kernel drops it when the process
 * ends, however it ends (kill -9 included), so a stale lock cannot outlive
 * its holder. The file itself stays (removing it would race a process that
 * has just opened it) and holds the last owner's pid, for people. A second
 * process is refused with the holder's pid. */
#ifndef AB_RUNLOCK_H
#define AB_RUNLOCK_H

#include "harness/error.h"

#define AB_RUNLOCK_NAME "run.lock"

typedef struct ab_runlock {
    int fd;        /* -1: not held */
    char note[200]; /* set when the file system has no locks: the run goes on unowned */
} ab_runlock;

/* Takes the lock of run directory dir (creating DIR/run.lock). AB_EUSAGE
 * "DIR is in use by another anebench (pid N)" when another process holds
 * it; AB_EFAIL naming the file when it cannot be made or locked. On a file
 * system without locks (ENOLCK, EOPNOTSUPP) AB_OK with l->note saying so:
 * refusing every run there would be worse than an unowned one. */
int runlock_take(ab_runlock *l, const char *dir, ab_err *e);
/* Drops the lock (safe when not held). */
void runlock_release(ab_runlock *l);

#endif
