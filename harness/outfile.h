/* outfile.h: the one way anebench writes a whole file, without harming
 * what is already at the name.
 *
 * Used for run.json, results.json, the journal rewritten by resume,
 * `probe -o`, and plot's .dat files and images:
 *  - a new name, or an existing regular file: the text goes to a temporary
 *    file of unpredictable name in the same folder (created with O_EXCL,
 *    never through a link), is fsync'd, then renamed over the name, so the
 *    name holds the old file or the new one, never a mix; a replaced
 *    file's permission bits are kept;
 *  - a device, FIFO or socket (`-o /dev/null`, `-o /dev/stdout`, a pipe):
 *    written straight into it; the node is never replaced;
 *  - a symbolic link: AB_OUT_USER (a name the user gave) follows it, as a
 *    shell's > does, unless it lies in a folder others can write and is
 *    not the user's own (then refused: someone else may have planted it);
 *    the target then obeys these same rules. AB_OUT_OWN (a name anebench
 *    chose, in a folder it owns) never follows one: the link itself is
 *    replaced, its target left alone;
 *  - a folder: refused.
 * Errors are AB_EUSAGE (the name is unusable: a folder, a refused link,
 * a loop) or AB_EFAIL (writing failed: disk full, permissions), with the
 * path and the reason in the message. */
#ifndef AB_OUTFILE_H
#define AB_OUTFILE_H

#include <stddef.h>
#include <stdio.h>
#include "harness/error.h"

enum ab_out_how {
    AB_OUT_USER, /* a name the user gave: links followed when safe, devices written through */
    AB_OUT_OWN   /* a name anebench chose in its own folder: nothing followed, always renamed over */
};

typedef struct ab_outfile {
    FILE *f;         /* write here */
    int direct;      /* 1: f is the device or pipe itself (nothing to rename) */
    char path[1100]; /* the name finally written (a followed link's target) */
    char tmp[1100];  /* the temporary, renamed over path by commit */
} ab_outfile;

/* Opens path for writing under the rules above. */
int ab_outfile_open(ab_outfile *o, const char *path, int how, ab_err *e);
/* Flushes, fsyncs and puts the file in place (rename, then fsync of the
 * folder). On failure the temporary is removed and the old file is intact. */
int ab_outfile_commit(ab_outfile *o, ab_err *e);
/* Drops what was written: the temporary is removed (a device keeps what
 * already went into it). */
void ab_outfile_abort(ab_outfile *o);

/* open + write + commit. */
int ab_write_out(const char *path, const char *text, size_t len, int how, ab_err *e);

/* Moves the finished file from (a name anebench made in a private folder
 * on the same file system) to path under the rules above: renamed into
 * place, or copied into a device. from is gone afterwards either way. */
int ab_outfile_place(const char *from, const char *path, int how, ab_err *e);

/* Makes a private folder (mode 0700, unpredictable name "<dir>/.<prefix>-XXXX")
 * and puts its path in buf. */
int ab_private_dir(const char *dir, const char *prefix, char *buf, size_t n, ab_err *e);

/* Why path is not a usable folder, in words: "is a file", "is a symbolic
 * link to nothing (dangling)", "is a loop of symbolic links", or strerror;
 * "" when it is a folder. */
const char *ab_not_dir_reason(const char *path);

/* n-1 random lowercase hex digits into buf (from the system's entropy). */
void ab_random_hex(char *buf, size_t n);

#endif
