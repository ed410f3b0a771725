/* fuzz_tmpfile.h: the readers under test take paths, so each fuzz input is
 * written to one scratch file (in TMPDIR, /dev/shm when it exists) that is
 * reused for every input and removed at exit. */
#ifndef AB_FUZZ_TMPFILE_H
#define AB_FUZZ_TMPFILE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_path[512];

static void fuzz_tmp_remove(void)
{
    if (fuzz_path[0])
        unlink(fuzz_path);
}

/* Returns the scratch path holding data[0..size), or NULL. suffix picks the
 * reader when it goes by the name (".jsonl", ".json", ".csv"). */
static const char *fuzz_tmp_write(const uint8_t *data, size_t size, const char *suffix)
{
    if (!fuzz_path[0]) {
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
        snprintf(fuzz_path, sizeof fuzz_path, "%s/anebench-fuzz-%ld%s", dir ? dir : "/tmp", (long)getpid(),
                 suffix);
        atexit(fuzz_tmp_remove);
    }
    FILE *f = fopen(fuzz_path, "wb");
    if (!f)
        return NULL;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return NULL;
    }
    fclose(f);
    return fuzz_path;
}

#endif
